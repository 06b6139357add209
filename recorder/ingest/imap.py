"""`recorder fetch`: new messages from the user's IMAP mailbox (imapclient).

Only messages from a platform's domains (or naming a platform in their sender's
name: a lookalike is recorded, with its warning), and the user's own mail to a
platform, are fetched. Each folder is read from where the last run stopped (its
UIDVALIDITY and last UID, kept in `mail_folders`), so a second run fetches nothing
new; a folder whose UIDVALIDITY changed is read again, and what was imported before
is recognised by its Message-ID. TLS is required except to this machine. The
password comes from the system keyring or a command the user names, never from the
store or a file recorder writes.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.parser import BytesHeaderParser
from email.utils import getaddresses
from typing import Any

from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.ingest.importer import Options, Outcome
from recorder.ingest.sources import Raw
from recorder.ingest.threads import PlatformDomains, platform_of_address
from recorder.store.session import Store

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
CHUNK = 200
"""Messages asked for per FETCH."""
KEYRING_SERVICE = "recorder"


@dataclass(frozen=True)
class Account:
    """An IMAP account as the user named it."""

    host: str
    user: str
    port: int | None = None
    folders: tuple[str, ...] = ("INBOX",)
    password_command: str | None = None

    @property
    def tls(self) -> bool:
        """Whether the connection is made over TLS (implicit on 993, STARTTLS on 143):
        always, except to this machine on another port than 993."""
        return self.host not in LOCAL_HOSTS or self.port == 993

    @property
    def name(self) -> str:
        """How `mail_folders` names the account."""
        return f"{self.user}@{self.host}:{self.port or (993 if self.tls else 143)}"


def account_of(saved: dict[str, Any], given: dict[str, Any] | None = None) -> Account:
    """The account from the `imap_account` setting, with what the user gave now over it;
    one line saying what is missing when there is no host or user."""
    chosen = {**saved, **{k: v for k, v in (given or {}).items() if v not in (None, [], ())}}
    if not chosen.get("host") or not chosen.get("user"):
        raise InputError(
            _("no mailbox is set: run `recorder fetch --host HOST --user USER` once (remembered)")
        )
    return Account(
        host=str(chosen["host"]),
        user=str(chosen["user"]),
        port=chosen.get("port"),
        folders=tuple(chosen.get("folders") or ("INBOX",)),
        password_command=chosen.get("password_command"),
    )


def saved_account(store: Store) -> Account:
    """The account the `imap_account` setting names."""
    from recorder.write.settings import get_setting

    with store.read() as session:
        return account_of(get_setting(session, "imap_account") or {})


def account_setting(account: Account) -> dict[str, Any]:
    """The `imap_account` setting that names the account (never its password)."""
    value: dict[str, Any] = {"host": account.host, "user": account.user}
    if account.port is not None:
        value["port"] = account.port
    if account.folders != ("INBOX",):
        value["folders"] = list(account.folders)
    if account.password_command:
        value["password_command"] = account.password_command
    return value


def password_of(account: Account) -> str:
    """The account's password: the command's first line of output, else the keyring's."""
    if account.password_command:
        try:
            done = subprocess.run(
                shlex.split(account.password_command),
                capture_output=True,
                timeout=60,
                check=False,
            )
        except (OSError, ValueError, subprocess.TimeoutExpired) as error:
            raise InputError(
                _("the password command could not be run ({error})").format(error=error)
            ) from None
        if done.returncode != 0:
            raise InputError(
                _(
                    "the password command failed (exit status {returncode}); expected it "
                    "to print the password"
                ).format(returncode=done.returncode)
            )
        lines = done.stdout.decode("utf-8", "replace").splitlines()
        if not lines or not lines[0]:
            raise InputError(_("the password command printed nothing; expected the password"))
        return lines[0]
    try:
        import keyring

        secret = keyring.get_password(KEYRING_SERVICE, f"{account.user}@{account.host}")
    except Exception as error:
        secret = None
        reason = _(" (the keyring is not available: {kind})").format(kind=error.__class__.__name__)
    else:
        reason = ""
    if not secret:
        raise InputError(
            _(
                "no password for {user}@{host}{reason}: store it with `keyring set "
                "{service} {user}@{host}` or give --password-command"
            ).format(user=account.user, host=account.host, reason=reason, service=KEYRING_SERVICE)
        )
    return str(secret)


@dataclass(frozen=True)
class FolderNews:
    """What a folder holds that was not read before."""

    folder: str
    uidvalidity: int
    uids: list[int]
    """The new UIDs the import wants (from or to a platform)."""
    last_uid: int
    """The highest UID seen: where the next run starts."""


class Mailbox:
    """A logged-in IMAP connection (a context manager)."""

    def __init__(self, account: Account, password: str, *, timeout: float = 60) -> None:
        from imapclient import IMAPClient
        from imapclient.exceptions import IMAPClientError, LoginError

        self.account = account
        # Port 143 speaks plain text first: TLS is then started with STARTTLS.
        implicit = account.tls and account.port != 143
        try:
            self.client: Any = IMAPClient(
                account.host, port=account.port, ssl=implicit, timeout=timeout
            )
            if account.tls and not implicit:
                self.client.starttls()
        except (OSError, IMAPClientError) as error:
            raise InputError(
                _(
                    "cannot reach {host} over TLS: {value}; check the host and port "
                    "(recorder sends a password only over TLS)"
                ).format(host=account.host, value=getattr(error, "strerror", None) or error)
            ) from None
        self.client.normalise_times = False  # INTERNALDATE with its offset
        try:
            self.client.login(account.user, password)
        except (LoginError, IMAPClientError) as error:
            self.client.shutdown()
            raise InputError(
                _("{host} refused the login for {user}: {error}").format(
                    host=account.host, user=account.user, error=error
                )
            ) from None

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.client.logout()
        except Exception:
            self.client.shutdown()

    def news(
        self,
        folder: str,
        known: tuple[int, int] | None,
        wanted: Callable[[bytes], bool],
    ) -> FolderNews:
        """The messages of `folder` after `known` (UIDVALIDITY, last UID) that `wanted`
        (given a message's From/To/Cc headers) keeps."""
        from imapclient.exceptions import IMAPClientError

        try:
            selected = self.client.select_folder(folder, readonly=True)
        except IMAPClientError as error:
            raise InputError(
                _("folder {folder!r} cannot be opened: {error}").format(folder=folder, error=error)
            ) from None
        uidvalidity = int(selected[b"UIDVALIDITY"])
        last = known[1] if known is not None and known[0] == uidvalidity else 0
        uids = sorted(u for u in self.client.search(["UID", f"{last + 1}:*"]) if u > last)
        keep: list[int] = []
        for chunk in _chunks(uids):
            heads = self.client.fetch(chunk, ["BODY.PEEK[HEADER.FIELDS (FROM TO CC)]"])
            for uid in chunk:
                fields = heads.get(uid, {})
                head = next((v for k, v in fields.items() if k.startswith(b"BODY[")), b"")
                if wanted(head or b""):
                    keep.append(uid)
        return FolderNews(folder, uidvalidity, keep, max(uids, default=last))

    def messages(self, news: FolderNews) -> Iterator[Raw]:
        """The raw bytes of each wanted message, in UID order."""
        for chunk in _chunks(news.uids):
            bodies = self.client.fetch(chunk, ["BODY.PEEK[]", "INTERNALDATE"])
            for uid in chunk:
                fields = bodies.get(uid, {})
                data = fields.get(b"BODY[]")
                origin = f"imap {self.account.host} {news.folder} UID {uid}"
                if data is None:
                    yield Raw(origin, None, _("the server sent no body for it"))
                    continue
                delivered = fields.get(b"INTERNALDATE")
                if not isinstance(delivered, datetime) or delivered.tzinfo is None:
                    delivered = None
                yield Raw(origin, bytes(data), delivered=delivered)


def _chunks(items: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(items), CHUNK):
        yield list(items[start : start + CHUNK])


def wanted_by(platforms: Sequence[PlatformDomains], mine: Sequence[str]) -> Callable[[bytes], bool]:
    """Whether a message (by its From/To/Cc headers) is the import's: from a platform's
    domain or naming a platform in its sender's name, or the user's own to a platform
    (from one of `mine`; with none set, any in the mailbox addressed to a platform)."""
    names = [p.name.casefold() for p in platforms if len(p.name) > 2]

    def wanted(head: bytes) -> bool:
        headers = BytesHeaderParser().parsebytes(head)
        senders = getaddresses([str(v) for v in headers.get_all("from", [])])
        recipients = getaddresses([str(v) for k in ("to", "cc") for v in headers.get_all(k, [])])
        for name, address in senders:
            address = address.casefold()
            if platform_of_address(platforms, address) is not None:
                return True
            if any(n in name.casefold() for n in names):
                return True
            if address in mine or not mine:  # the user's own (any, until they say which)
                return any(platform_of_address(platforms, r.casefold()) for _, r in recipients)
        return False

    return wanted


def fetch(
    store: Store,
    account: Account,
    password: str,
    options: Options,
    *,
    tell: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Import what is new in each of the account's folders, then remember where each
    folder was read to (not in a dry run)."""
    from recorder.ingest.importer import import_messages
    from recorder.ingest.threads import platforms_of
    from recorder.write.settings import folder_position, get_setting, set_folder_position

    with store.read() as session:
        wanted = wanted_by(platforms_of(session), get_setting(session, "my_addresses"))
        known = {f: folder_position(session, account.name, f) for f in account.folders}
    outcomes: list[Outcome] = []
    with Mailbox(account, password) as box:
        for folder in account.folders:
            news = box.news(folder, known[folder], wanted)
            outcomes += import_messages(
                store, box.messages(news), options, total=len(news.uids), tell=tell
            )
            if not options.dry_run:
                with store.write() as tx:
                    set_folder_position(tx, account.name, folder, news.uidvalidity, news.last_uid)
    return outcomes
