"""All tables and enums of the store, in the vocabulary of DESIGN.md."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import ConfigDict
from sqlalchemy.engine import Dialect
from sqlmodel import Field, SQLModel

from recorder.domain.vocabulary import (
    OPEN_STATUSES,
    AnchorKind,
    AuditAction,
    CaseStatus,
    Channel,
    Direction,
    DuplicateKind,
    FlagStatus,
    Priority,
    Source,
)
from recorder.store import blobs, search_index  # noqa: F401 - blobs: its table joins

__all__ = [
    "OPEN_STATUSES",
    "Anchor",
    "AnchorKind",
    "Attachment",
    "AuditAction",
    "AuditEvent",
    "Case",
    "CaseStatus",
    "Channel",
    "Contact",
    "Direction",
    "DuplicateFlag",
    "DuplicateKind",
    "FlagStatus",
    "MessageIdentifier",
    "Platform",
    "Priority",
    "Source",
    "StoredText",
    "record_fields",
    "table_of",
]

# Constraint names are fixed by convention so that Alembic's batch mode on SQLite can
# find and alter them, and so that the same schema gets the same names on every backend.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.TypeDecorator[datetime]):
    """An aware datetime, stored as naive UTC and read back as aware UTC.

    SQLite keeps no time zone; storing everything in UTC and refusing naive values
    keeps the store free of times whose zone nobody knows.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Convert an aware datetime to naive UTC for storage."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} given to the store; expected an aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Mark a stored value as UTC."""
        return None if value is None else value.replace(tzinfo=UTC)


def _enum(enum: type[StrEnum]) -> sa.Enum:
    # Stored as plain strings (no native enum type, no CHECK constraint) so that adding
    # a member later is not a schema change; the write path validates values.
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


class _Table(SQLModel):
    """The base of every table: validators are built on first use, not at import.

    Rows are validated by the write path, not by pydantic, so most commands never
    need pydantic's validators; building them for every table took a tenth of the
    start-up time of `recorder log`.
    """

    model_config = ConfigDict(defer_build=True)  # type: ignore[assignment]


class Platform(_Table, table=True):
    """An organisation the user deals with, and what it promises."""

    __tablename__ = "platforms"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    name_key: str = Field(max_length=100, unique=True)
    """The name case-folded; it keeps names unique regardless of case."""
    domains: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    """Official web and email domains, e.g. `gemini.com`."""
    addresses: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    """Official email addresses of support."""
    timezone: str = Field(default="UTC", max_length=64)
    """IANA time zone of the platform's business calendar."""
    holiday_country: str | None = Field(default=None, max_length=8)
    holiday_subdivision: str | None = Field(default=None, max_length=16)
    windows: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    """Promised response window per channel, e.g. `{"email": "72h"}`."""
    jurisdiction: str | None = Field(default=None, max_length=8)
    """Whose complaint rules apply (a key of escalation.toml): US, UK, EU, AU."""
    closed_dates: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    """The user's own closed dates for this platform, ISO dates."""
    holiday_dates: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    """The public holidays of its country, kept for recorder.domain.calendars.HOLIDAY_YEARS."""
    ticket_patterns: list[str] = Field(
        default_factory=list, sa_type=sa.JSON, sa_column_kwargs={"server_default": "[]"}
    )
    """The platform's own ticket-number patterns (regular expressions, group 1 the
    number), tried before recorder.domain.helpdesks.toml's."""
    notes: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(sa_type=UTCDateTime)


class Case(_Table, table=True):
    """One problem with one platform."""

    __tablename__ = "cases"
    __table_args__ = (sa.Index("ix_cases_status_updated", "status", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    platform_id: int = Field(foreign_key="platforms.id", index=True)
    title: str = Field(max_length=300)
    status: CaseStatus = Field(default=CaseStatus.open, sa_type=_enum(CaseStatus))
    priority: Priority = Field(default=Priority.normal, sa_type=_enum(Priority))
    txid: str | None = Field(default=None, max_length=200)
    order_number: str | None = Field(default=None, max_length=100)
    account_email: str | None = Field(default=None, max_length=320)
    asset: str | None = Field(default=None, max_length=32)
    amount: str | None = Field(default=None, max_length=64)
    """Kept as written ("0.5", "1,200.00"): an amount is evidence, not arithmetic."""
    created_at: datetime = Field(sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime, index=True)
    """When anything last happened in the case: the order of the case list."""
    # Its contacts summed up by the write path, so that the case list reads one row a case.
    last_contact_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    contact_count: int = 0
    refs: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    """The reference numbers of the case's contacts, in the order they first appeared."""
    next_follow_up_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    """When the user should act if no answer came (recorder.domain.windows.next_follow_up)."""
    follow_up_contact_id: int | None = None
    """The outbound contact the next follow-up waits on."""
    unanswered: int = 0
    """How many outbound contacts since support last answered."""
    complaint_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the first complaint contact was made, if one was."""
    txid_key: str | None = Field(default=None, max_length=200, index=True)
    order_key: str | None = Field(default=None, max_length=100, index=True)
    """The TxID and order number as compared (recorder.domain.duplicates.identifier_key)."""
    merged_into_id: int | None = Field(default=None, foreign_key="cases.id", index=True)
    """The case this one was merged into: its contacts are there now."""
    status_set_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """When the user set the status by hand: their word stands until a newer contact."""


class Contact(_Table, table=True):
    """One touchpoint in a case."""

    __tablename__ = "contacts"
    __table_args__ = (
        # Covers the per-case aggregates behind the lists (last contact, count,
        # references) so that they never read the contact rows themselves.
        sa.Index("ix_contacts_case_occurred", "case_id", "occurred_at", "reference"),
        # The few contacts that hold a secret, for `recorder scan`: a partial index,
        # as small as they are few. (No postgresql_where here: naming a dialect's
        # option loads that dialect, 70 ms of every `recorder log`.)
        sa.Index(
            "ix_contacts_secrets",
            "id",
            sqlite_where=sa.text("secret_kinds != '[]'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    channel: Channel = Field(sa_type=_enum(Channel))
    direction: Direction = Field(sa_type=_enum(Direction))
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    reference: str | None = Field(default=None, max_length=100, index=True)
    """The ticket or case number the platform gave."""
    agent: str | None = Field(default=None, max_length=200)
    address: str | None = Field(default=None, max_length=320)
    """The counterpart's address: an email address, a chat handle, a phone number."""
    subject: str | None = Field(default=None, max_length=500)
    text: str = Field(default="", sa_type=sa.Text)
    """The message, the email body or the whole transcript."""
    auto_ack: bool = False
    """An automatic acknowledgement ("we received your request"), which answers nothing."""
    auto_ack_reason: str | None = Field(default=None, max_length=300)
    """Why recorder took the contact for an automatic acknowledgement; None when the user
    said so themselves, or it is not one."""
    sender_findings: list[dict[str, str]] = Field(default_factory=list, sa_type=sa.JSON)
    """Reasons to distrust an inbound message's sender (recorder.domain.senders)."""
    sender_trusted: bool = False
    """The user trusts the sender despite the findings: the message may answer."""
    source: Source = Field(default=Source.typed, sa_type=_enum(Source))
    source_name: str | None = Field(default=None, max_length=500)
    """The file an imported contact came from."""
    expected_by: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """For an outbound contact: its time plus the window for its channel (the
    platform's, the rules', or the default). For an inbound one: when support promised
    in it to come back."""
    due_basis: str | None = Field(default=None, max_length=16)
    """Where `expected_by` comes from (recorder.domain.windows.DueBasis)."""
    due_window: str | None = Field(default=None, max_length=40)
    """The window `expected_by` was counted with, as written ("72h", "3 business days")."""
    turns: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    """A conversation's turns (recorder.domain.transcripts.Turn.to_json), in order; empty
    for a single message. Together they are the text, whole."""
    follow_up_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """A follow-up time the user set by hand; it wins over `expected_by`."""
    message_key: str | None = Field(default=None, max_length=64, index=True)
    """The SHA-256 of the normalised text (recorder.domain.duplicates.message_key)."""
    merged_from_id: int | None = Field(default=None, foreign_key="cases.id")
    """The case this contact was in before that case was merged into its case."""
    created_at: datetime = Field(sa_type=UTCDateTime)
    secret_kinds: list[str] = Field(
        default_factory=list, sa_type=sa.JSON, sa_column_kwargs={"server_default": "[]"}
    )
    """The kinds of secret its text and subject hold (recorder.domain.secrets), derived
    from them and not audited; empty once they are redacted."""


class Attachment(_Table, table=True):
    """A file of evidence attached to a contact; the file itself is named by its SHA-256."""

    __tablename__ = "attachments"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=255)
    """The original file name, kept as data only: it never becomes a path."""
    media_type: str = Field(max_length=127)
    size: int
    sha256: str = Field(max_length=64, index=True)
    created_at: datetime = Field(sa_type=UTCDateTime)


class DuplicateFlag(_Table, table=True):
    """A warning that a new contact or case repeats an earlier one, and the user's decision."""

    __tablename__ = "duplicate_flags"
    __table_args__ = (sa.Index("ix_duplicate_flags_case_status", "case_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: DuplicateKind = Field(sa_type=_enum(DuplicateKind))
    case_id: int = Field(foreign_key="cases.id")
    """The new case, or the case of the new contact."""
    contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True)
    """The new contact (none when a new case was flagged)."""
    earlier_case_id: int = Field(foreign_key="cases.id", index=True)
    earlier_contact_id: int | None = Field(default=None, foreign_key="contacts.id", index=True)
    score: float = 100.0
    """How alike the two are, 0 to 100 (100 for the exact kinds)."""
    matched: str = Field(default="", max_length=300)
    """What matched: the reference, the identifier, the window that is still running."""
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """For `still_waiting`: when the earlier contact is due an answer."""
    status: FlagStatus = Field(default=FlagStatus.open, sa_type=_enum(FlagStatus))
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(sa_type=UTCDateTime)


class MessageIdentifier(_Table, table=True):
    """An identifier (TxID, order or ticket number, address) found in a contact's text:
    an index that finds the cases naming it, as the cases' own key columns do. It is
    derived from the audited text, so it is not audited itself."""

    __tablename__ = "message_identifiers"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)
    """txid, order, address or reference (recorder.domain.identifiers.Kind)."""
    key: str = Field(max_length=128, index=True)
    """The identifier as compared (recorder.domain.duplicates.identifier_key)."""
    value: str = Field(max_length=128)
    """The identifier as written."""


class AuditEvent(_Table, table=True):
    """An append-only, hash-chained record of one change."""

    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_entity", "entity", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    action: AuditAction = Field(sa_type=_enum(AuditAction))
    entity: str = Field(max_length=32)
    entity_id: int
    change: str = Field(sa_type=sa.Text)
    """Canonical JSON: `{"before": ..., "after": ...}` with the fields that changed."""
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
    """sha256(prev_hash + canonical JSON of the event), hex (recorder.domain.chain)."""
    scheme: int = Field(default=3, sa_column_kwargs={"server_default": "1"})
    """How the hash covers the event (1, 2, 3: recorder.domain.chain)."""
    member: str | None = Field(default=None, max_length=100)
    """Who made the change, in a store several people keep (recorder.store.session)."""


class StoredText(_Table, table=True):
    """A large value that an audit event holds as its digest (`{"$sha256": ...}`), kept
    here once its row no longer holds it (it was edited, or the row deleted): the
    history keeps every version, and each is stored once."""

    __tablename__ = "stored_texts"

    sha256: str = Field(primary_key=True, max_length=64)
    body: str = Field(sa_type=sa.Text)
    """The value's canonical JSON."""


class Anchor(_Table, table=True):
    """The audit chain's head as it was at a moment, recorded to be kept outside the
    store too: at every export and backup, and when the user asks (`recorder anchor`).

    Its own creation is audited like any record, so the event after `head` commits to
    the anchor; a timestamp token (RFC 3161) proves that `head` existed at its time.
    """

    __tablename__ = "anchors"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime)
    kind: AnchorKind = Field(sa_type=_enum(AnchorKind))
    head: str = Field(max_length=64)
    """The hash of the last audit event before this anchor."""
    events: int
    """How many audit events the chain held up to `head`."""
    fingerprint: str | None = Field(default=None, max_length=64)
    """An export's bag fingerprint, or a backup's SHA-256."""
    target: str | None = Field(default=None, max_length=1000)
    """Where the export or backup was written."""
    tsa_url: str | None = Field(default=None, max_length=1000)
    tsa_token: str | None = Field(default=None, sa_type=sa.Text)
    """The time-stamping authority's reply for `head` (RFC 3161), base64 of its DER."""
    tsa_time: datetime | None = Field(default=None, sa_type=UTCDateTime)
    """The time the token states."""
    tsa_ca: str | None = Field(default=None, sa_type=sa.Text)
    """The authority's CA certificate (PEM) the token was checked against, if given."""


class Email(_Table, table=True):
    """An imported email: the contact made of it and what threads it. Its raw bytes are
    the contact's attachment with the SHA-256 `sha256`, kept byte for byte."""

    __tablename__ = "emails"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True, ondelete="CASCADE")
    message_id: str | None = Field(default=None, max_length=998, index=True)
    sha256: str = Field(max_length=64, index=True)
    sender: str = Field(default="", max_length=320)
    reply_to: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    in_reply_to: str | None = Field(default=None, max_length=998)
    references: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    origin: str | None = Field(default=None, max_length=1000)
    """Where it was imported from: a file, a mailbox, an IMAP folder."""
    problems: list[str] = Field(default_factory=list, sa_type=sa.JSON)
    """What of it could not be read (recorder.ingest.messages.Email.problems)."""
    created_at: datetime = Field(sa_type=UTCDateTime)


class Setting(_Table, table=True):
    """One of the user's settings (the addresses they write from, the mail provider
    whose authentication results they trust, the mailbox to fetch from)."""

    __tablename__ = "settings"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    value: Any = Field(default=None, sa_type=sa.JSON)


class MailFolder(_Table, table=True):
    """How far `recorder fetch` has read an IMAP folder: its UIDVALIDITY and the last
    UID seen. A position, not a record: it is not audited."""

    __tablename__ = "mail_folders"
    __table_args__ = (sa.UniqueConstraint("account", "folder"),)

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=500)
    folder: str = Field(max_length=500)
    uidvalidity: int
    last_uid: int = 0


def table_of(model: type[SQLModel]) -> sa.Table:
    """The Core table of a model, for selects that need no ORM objects."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, sa.Table)
    return table


KEY_COLUMNS = frozenset({"txid_key", "order_key", "message_key", "secret_kinds"})
"""Columns derived from audited fields (recorder.domain.duplicates' normalised forms, the
kinds of secret a text holds): they are not part of any record and are not audited."""


def record_fields(row: SQLModel) -> dict[str, Any]:
    """The columns of a row as plain JSON-ready values (the form audit events keep)."""
    out: dict[str, Any] = {}
    for column in sa.inspect(type(row)).columns:
        if column.key in KEY_COLUMNS:
            continue
        value = getattr(row, column.key)
        if isinstance(value, datetime):
            value = value.astimezone(UTC).isoformat()
        elif isinstance(value, StrEnum):
            value = value.value
        out[column.key] = value
    return out


# A new store gets the search indexes that migrations 0010-0011 make for an existing one.
for _statement in search_index.create_statements():
    _ddl = sa.DDL(_statement)  # type: ignore[no-untyped-call]
    sa.event.listen(SQLModel.metadata, "after_create", _ddl.execute_if(dialect="sqlite"))
