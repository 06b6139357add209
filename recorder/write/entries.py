"""Logging a contact: the one use case behind the TUI's form, `recorder log`, the demo
and the importers.

An interface builds an `Entry` (what the user said), `log_entry` writes it in the
caller's transaction (a new platform and a new case if asked, the contact, its
attachments and follow-up), and the `Logged` it returns says what was written and what
it repeats. The rules live here and below, never in an interface.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.domain.vocabulary import Channel, Direction, Priority, Source
from recorder.store.session import Tx
from recorder.write.cases import open_case
from recorder.write.contacts import follow_up_time, log_contact
from recorder.write.platforms import add_platform

if TYPE_CHECKING:  # imported by the importers, not by `recorder log`
    from recorder.domain.secrets import SecretFinding
    from recorder.store.models import Contact
    from recorder.write.emails import MailFacts


@dataclass(frozen=True)
class NewPlatform:
    """A platform to add with the entry (the form's "+ New platform")."""

    name: str
    timezone: str = "UTC"


@dataclass(frozen=True)
class NewCase:
    """A case to open with the entry: the problem in a few words, and its identifiers."""

    platform: str
    """The platform's name (a new platform's too)."""
    title: str
    priority: Priority | str = Priority.normal
    identifiers: Mapping[str, str | None] = field(default_factory=dict)
    """Values of the fields named in recorder.domain.vocabulary.IDENTIFIERS."""


@dataclass(frozen=True)
class Entry:
    """One contact as a user (or an importer) tells it.

    Exactly one of `case_id` (an existing case) and `new_case` names the case. A
    follow-up is either `follow_up` as typed ("in 3 business days", counted from the
    contact's time), read on the platform's calendar in the zone `local`, or
    `follow_up_at`; without either the platform's window for the channel decides.
    """

    channel: Channel | str
    direction: Direction | str
    occurred_at: datetime
    case_id: int | None = None
    new_case: NewCase | None = None
    new_platform: NewPlatform | None = None
    reference: str | None = None
    agent: str | None = None
    address: str | None = None
    subject: str | None = None
    text: str = ""
    auto_ack: bool | None = None
    """Whether it is an automatic acknowledgement; None: its wording and sender decide."""
    sender_trusted: bool = False
    """The user trusts the sender of an inbound message despite any sender finding."""
    me: Sequence[str] = ()
    """The names the user goes by in a chat transcript, besides You, Me and 我."""
    source: Source = Source.typed
    source_name: str | None = None
    follow_up: str | None = None
    follow_up_at: datetime | None = None
    local: tzinfo = UTC
    attach: Sequence[Path] = ()
    email: MailFacts | None = None
    """The email the entry was imported from, kept with it and checked by its headers."""
    old_ok: bool = False
    """The user confirmed a time before 2000 (recorder.domain.dates.check_contact_time)."""


@dataclass(frozen=True)
class Logged:
    """What `log_entry` wrote.

    Attributes:
        contact_id: the contact (the stored one, for a repeat).
        case_id: its case.
        opened_case: whether the entry opened that case.
        flag_ids: the duplicate flags the entry raised, in the order raised.
        already_recorded: the same text at the same time was stored before, so nothing
            new was stored (attachments aside).
        secrets: the secrets its subject and text hold, each with the field it is in
            (recorder.domain.secrets): what the interface must warn of.
        contact: the contact's row, in the transaction's session.
    """

    contact_id: int
    case_id: int
    opened_case: bool
    flag_ids: tuple[int, ...]
    already_recorded: bool
    secrets: tuple[tuple[str, SecretFinding], ...] = ()
    contact: Contact | None = field(default=None, compare=False, repr=False)

    def secrets_json(self) -> list[dict[str, object]]:
        """The secrets as `--json` prints them: where and what, never the secret."""
        return [
            {"field": name, **finding.to_json(), "warning": finding.warning}
            for name, finding in self.secrets
        ]


def log_entry(tx: Tx, entry: Entry) -> Logged:
    """Write one entry in the transaction `tx`: all of it, or (on an error) none."""
    if (entry.case_id is None) == (entry.new_case is None):
        raise InputError(_("a contact goes into one case: expected an existing case or a new one"))
    raised_before = len(tx.flags)
    repeats_before = len(tx.repeats)
    secrets_before = len(tx.secrets)
    if entry.new_platform is not None:
        add_platform(tx, name=entry.new_platform.name, timezone=entry.new_platform.timezone)
    case_id = entry.case_id
    if entry.new_case is not None:
        new = entry.new_case
        case = open_case(
            tx,
            platform=new.platform,
            title=new.title,
            priority=new.priority,
            **dict(new.identifiers),
        )
        assert case.id is not None
        case_id = case.id
    assert case_id is not None
    follow_up_at = entry.follow_up_at
    if entry.follow_up is not None:
        follow_up_at = follow_up_time(
            tx, case_id, entry.follow_up, entry.local, since=entry.occurred_at
        )
    contact = log_contact(
        tx,
        case_id=case_id,
        channel=entry.channel,
        direction=entry.direction,
        occurred_at=entry.occurred_at,
        reference=entry.reference,
        agent=entry.agent,
        address=entry.address,
        subject=entry.subject,
        text=entry.text,
        auto_ack=entry.auto_ack,
        sender_trusted=entry.sender_trusted,
        me=entry.me,
        source=entry.source,
        source_name=entry.source_name,
        follow_up_at=follow_up_at,
        attach=entry.attach,
        email=entry.email,
        old_ok=entry.old_ok,
    )
    assert contact.id is not None
    return Logged(
        contact_id=contact.id,
        case_id=contact.case_id,
        opened_case=entry.new_case is not None,
        flag_ids=tuple(f.id for f in tx.flags[raised_before:] if f.id is not None),
        already_recorded=len(tx.repeats) > repeats_before,
        secrets=tuple(tx.secrets[secrets_before:]),
        contact=contact,
    )
