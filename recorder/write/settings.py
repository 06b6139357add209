"""The user's settings, kept in the store and audited like any record: who the user is
in their mail, which mail provider's verdicts they trust, and which mailbox `recorder
fetch` reads. A password is never a setting (recorder.ingest.imap takes it from the
keyring or a command)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from sqlmodel import Session, select

from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _
from recorder.store.models import MailFolder, Setting
from recorder.store.session import Tx
from recorder.write.audit import create, update

_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})")


def _addresses(value: Any) -> list[str]:
    items = _items(value)
    for item in items:
        if not _ADDRESS.fullmatch(item):
            raise InputError(
                _("{item!r} is not an email address; expected name@example.com").format(item=item)
            )
    return sorted({item.casefold() for item in items})


def _hosts(value: Any) -> list[str]:
    items = _items(value)
    for item in items:
        if not _HOST.fullmatch(item):
            raise InputError(
                _("{item!r} is not a host name; expected e.g. mx.google.com").format(item=item)
            )
    return sorted({item.casefold() for item in items})


def _account(value: Any) -> dict[str, Any]:
    keys = {"host", "user", "port", "folders", "password_command"}
    if not isinstance(value, dict) or not {"host", "user"} <= set(value) <= keys:
        raise InputError(
            _("imap_account is set by `recorder fetch --host HOST --user USER`; expected those")
        )
    return {k: value[k] for k in sorted(keys) if value.get(k) not in (None, "", [])}


def _items(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise InputError(_("expected a list of values separated by commas"))
    return [v.strip() for v in value if v.strip()]


SETTINGS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "my_addresses": (
        _addresses,
        N_("the addresses you write from: mail from them is yours (outbound)"),
    ),
    "trusted_authserv_ids": (
        _hosts,
        N_(
            "your own mail provider's name in Authentication-Results (e.g. mx.google.com): "
            "only its DKIM/SPF/DMARC verdicts count"
        ),
    ),
    "imap_account": (
        _account,
        N_(
            "the mailbox `recorder fetch` reads: host, user, folders, and the command that "
            "prints the password (the password itself is never kept)"
        ),
    ),
}
"""Each setting: how its value is checked (and normalised), and what it means."""


def get_setting(session: Session, name: str) -> Any:
    """A setting's value, or its empty value when it was never set."""
    row = session.exec(select(Setting).where(Setting.name == name)).first()
    return [] if row is None else row.value


def set_setting(tx: Tx, name: str, value: Any) -> Any:
    """Set one setting (audited) and return its value as kept."""
    if name not in SETTINGS:
        known = ", ".join(sorted(SETTINGS))
        raise InputError(
            _("no setting is called {name!r}; expected one of {known}").format(
                name=name, known=known
            )
        )
    check, _meaning = SETTINGS[name]
    kept = check(value)
    row = tx.session.exec(select(Setting).where(Setting.name == name)).first()
    if row is None:
        create(tx, Setting(name=name, value=kept))
    else:
        update(tx, row, {"value": kept})
    return kept


def folder_position(session: Session, account: str, folder: str) -> tuple[int, int] | None:
    """How far `recorder fetch` read a folder: (UIDVALIDITY, last UID), or None."""
    row = session.exec(
        select(MailFolder).where(MailFolder.account == account, MailFolder.folder == folder)
    ).first()
    return None if row is None else (row.uidvalidity, row.last_uid)


def set_folder_position(tx: Tx, account: str, folder: str, uidvalidity: int, last_uid: int) -> None:
    """Remember how far a folder was read (a position, not a record: not audited)."""
    row = tx.session.exec(
        select(MailFolder).where(MailFolder.account == account, MailFolder.folder == folder)
    ).first()
    if row is None:
        row = MailFolder(account=account, folder=folder, uidvalidity=uidvalidity)
    row.uidvalidity, row.last_uid = uidvalidity, last_uid
    tx.session.add(row)
