"""Contacts as shown, with their attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from recorder.domain.i18n import _
from recorder.store.readers import Reader
from recorder.store.times import (
    TIMES_COLUMNS,
    contact_times,
    iso,
    stored_json,
    stored_time,
    stored_time_or_none,
)

if TYPE_CHECKING:
    from recorder.domain.windows import ContactTimes


@dataclass(slots=True)
class AttachmentView:
    """An attachment as shown with its contact."""

    id: int
    name: str
    sha256: str
    size: int
    media_type: str

    def to_json(self) -> dict[str, Any]:
        """The JSON object of an attachment in `recorder show --json`."""
        return {
            "id": self.id,
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
        }


@dataclass(slots=True)
class ContactView:
    """A contact with its attachments."""

    id: int
    case_id: int
    channel: str
    direction: str
    occurred_at: datetime
    reference: str | None
    agent: str | None
    address: str | None
    subject: str | None
    text: str
    auto_ack: bool
    source: str
    source_name: str | None
    attachments: list[AttachmentView] = field(default_factory=list)
    expected_by: datetime | None = None
    follow_up_at: datetime | None = None
    answered_by: int | None = None
    merged_from: int | None = None
    """The case this contact was in before that case was merged into this one."""
    auto_ack_reason: str | None = None
    """Why recorder took it for an automatic acknowledgement (None: the user said)."""
    sender_findings: list[dict[str, str]] = field(default_factory=list)
    """Reasons to distrust its sender (recorder.domain.senders)."""
    sender_trusted: bool = False
    """The user trusts its sender despite the findings."""
    due_basis: str | None = None
    due_window: str | None = None
    turns: list[dict[str, Any]] = field(default_factory=list)
    """A conversation's turns (recorder.domain.transcripts.Turn.to_json); empty for a
    single message."""
    secret_kinds: list[str] = field(default_factory=list)
    """The kinds of secret its subject and text hold (recorder.domain.secrets)."""
    logged_by: str | None = None
    """The member who logged it, in a store several people keep (its audit event says)."""

    def secret_warning(self) -> str:
        """One line: which secrets it holds, and what to do."""
        from recorder.domain.secrets import NAMES, SecretKind

        names = [_(NAMES[SecretKind(kind)]) for kind in self.secret_kinds]
        listed = _(" and ").join(names) if len(names) < 3 else _(", ").join(names)
        return _(
            "It holds {secrets}, which support never needs: change or move what it "
            "protects now, and redact it here"
        ).format(secrets=listed)

    @property
    def due(self) -> datetime | None:
        """When its answer is due (outbound) or support promised one (inbound)."""
        return self.follow_up_at or self.expected_by

    def due_label(self) -> str:
        """How its due time was reached: "set by you", "the platform's window: 72h"."""
        from recorder.domain.due_words import describe_basis

        return describe_basis(
            self.due_basis, self.due_window, user_set=self.follow_up_at is not None
        )

    @property
    def distrusted(self) -> bool:
        """Whether its sender cannot speak for the platform, so it answers nothing."""
        return bool(self.sender_findings) and not self.sender_trusted

    def sender_warning(self) -> str:
        """One line: why its sender is not trusted, and what that means."""
        from recorder.domain.senders import SenderFinding, describe

        return describe([SenderFinding.from_json(f) for f in self.sender_findings])

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a contact in `recorder show --json` and `log --json`."""
        return {
            "id": self.id,
            "case_id": self.case_id,
            "channel": self.channel,
            "direction": self.direction,
            "occurred_at": iso(self.occurred_at),
            "reference": self.reference,
            "agent": self.agent,
            "address": self.address,
            "subject": self.subject,
            "text": self.text,
            "auto_ack": self.auto_ack,
            "source": self.source,
            "source_name": self.source_name,
            "attachments": [a.to_json() for a in self.attachments],
            "expected_by": iso(self.follow_up_at or self.expected_by),
            "due_basis": "user" if self.follow_up_at is not None else self.due_basis,
            "due_window": None if self.follow_up_at is not None else self.due_window,
            "turns": self.turns,
            "answered_by": self.answered_by,
            "merged_from": self.merged_from,
            "auto_ack_reason": self.auto_ack_reason,
            "sender_findings": self.sender_findings,
            "sender_trusted": self.sender_trusted,
            "secret_kinds": self.secret_kinds,
            "logged_by": self.logged_by,
        }

    def times(self) -> ContactTimes:
        """What the follow-up rules need of this contact."""
        return contact_times({name: getattr(self, name) for name in TIMES_COLUMNS})


_CONTACT_COLUMNS = (
    "contacts.id, contacts.case_id, contacts.channel, contacts.direction,"
    " contacts.occurred_at, contacts.reference, contacts.agent, contacts.address,"
    " contacts.subject, contacts.text, contacts.auto_ack, contacts.source, contacts.source_name,"
    " contacts.expected_by, contacts.follow_up_at, contacts.merged_from_id,"
    " contacts.auto_ack_reason, contacts.sender_findings, contacts.sender_trusted,"
    " contacts.due_basis, contacts.due_window, contacts.turns, contacts.secret_kinds,"
    # Who logged it: the member its creation's audit event names (ix_audit_events_entity).
    " (SELECT member FROM audit_events WHERE entity = 'contacts'"
    " AND entity_id = contacts.id AND action = 'create' ORDER BY id LIMIT 1)"
)


def contact_views(
    reader: Reader, *, case_id: int | None = None, contact_id: int | None = None
) -> list[ContactView]:
    """The contacts of a case, or one contact, in time order, with their attachments."""
    if (case_id is None) == (contact_id is None):
        raise TypeError("give case_id or contact_id")
    where, params = (
        ("contacts.case_id = :id", {"id": case_id})
        if case_id is not None
        else ("contacts.id = :id", {"id": contact_id})
    )
    files: dict[int, list[AttachmentView]] = {}
    for a in reader.rows(
        "SELECT attachments.contact_id, attachments.id, attachments.name, attachments.sha256,"
        " attachments.size, attachments.media_type"
        " FROM attachments JOIN contacts ON contacts.id = attachments.contact_id"
        f" WHERE {where} ORDER BY attachments.id",
        params,
    ):
        files.setdefault(a[0], []).append(AttachmentView(*a[1:]))
    return [
        ContactView(
            id=r[0],
            case_id=r[1],
            channel=r[2],
            direction=r[3],
            occurred_at=stored_time(r[4]),
            reference=r[5],
            agent=r[6],
            address=r[7],
            subject=r[8],
            text=r[9],
            auto_ack=bool(r[10]),
            source=r[11],
            source_name=r[12],
            attachments=files.get(r[0], []),
            expected_by=stored_time_or_none(r[13]),
            follow_up_at=stored_time_or_none(r[14]),
            merged_from=r[15],
            auto_ack_reason=r[16],
            sender_findings=stored_json(r[17]) or [],
            sender_trusted=bool(r[18]),
            due_basis=r[19],
            due_window=r[20],
            turns=stored_json(r[21]) or [],
            secret_kinds=stored_json(r[22]) or [],
            logged_by=r[23],
        )
        for r in reader.rows(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE {where}"
            " ORDER BY contacts.occurred_at, contacts.id",
            params,
        )
    ]


def case_defaults(reader: Reader, case_id: int) -> tuple[str | None, str | None]:
    """What a new contact in a case most likely shares with the last one: the channel
    of its latest contact, and the latest reference (ticket number) it was given."""
    channel = reader.rows(
        "SELECT channel FROM contacts WHERE case_id = :id"
        " ORDER BY occurred_at DESC, id DESC LIMIT 1",
        {"id": case_id},
    )
    reference = reader.rows(
        "SELECT reference FROM contacts WHERE case_id = :id AND reference IS NOT NULL"
        " ORDER BY occurred_at DESC, id DESC LIMIT 1",
        {"id": case_id},
    )
    return (
        str(channel[0][0]) if channel else None,
        str(reference[0][0]) if reference else None,
    )
