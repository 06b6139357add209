"""What an export holds: the chosen records, exactly as the audit log keeps them, and
the audit chain that vouches for them.

Records are the audited columns of each row (`recorder.store.models.record_fields`), so that
replaying the exported audit events gives back exactly the exported records; that is
how `recorder verify` catches an edited record even when the manifests were rewritten.
The chain is exported whole, in order: events about exported records in full, every
other event as its two hashes only (elided), so that the links from the first event
to the head can be checked without giving away other cases.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from recorder.domain.chain import GENESIS_HASH, REF, canonical_json, is_ref
from recorder.domain.errors import InputError, unknown_case
from recorder.domain.i18n import ENGLISH, _, current
from recorder.export.staging import BATCH, Staged
from recorder.store.models import (
    KEY_COLUMNS,
    Anchor,
    Attachment,
    AuditEvent,
    Case,
    Contact,
    DuplicateFlag,
    Email,
    Platform,
    StoredText,
    UTCDateTime,
    table_of,
)
from recorder.store.times import stored_iso

FORMAT = "recorder-export"
VERSION = 1

KINDS: dict[str, type[SQLModel]] = {
    "platforms": Platform,
    "cases": Case,
    "contacts": Contact,
    "attachments": Attachment,
    "emails": Email,
    "duplicate_flags": DuplicateFlag,
}
"""The kinds of records an export holds, by table (and audit entity) name."""


@dataclass(frozen=True)
class Filters:
    """Which records to export: cases by id or platform, contacts by time."""

    cases: tuple[int, ...] = ()
    platform: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    query: str | None = None
    """The search that chose `cases` (`export --query`), kept to say so."""

    def describe(self) -> str:
        """In words, for the bag's External-Description."""
        parts = []
        if self.cases:
            listed = ", ".join(f"#{c}" for c in self.cases)
            parts.append(
                _("cases {cases} (those matching {query!r})").format(cases=listed, query=self.query)
                if self.query
                else _("cases {cases}").format(cases=listed)
            )
        if self.platform:
            parts.append(_("platform {name}").format(name=self.platform))
        if self.since:
            parts.append(_("contacts since {when}").format(when=self.since.isoformat()))
        if self.until:
            parts.append(_("contacts until {when}").format(when=self.until.isoformat()))
        return _("; ").join(parts) or _("every case")

    @classmethod
    def from_json(cls, value: Any) -> Filters:
        """As read back from records.json (verify); InputError if it is not that."""
        try:
            since, until = value.get("since"), value.get("until")
            return cls(
                cases=tuple(int(c) for c in value.get("cases") or ()),
                platform=value.get("platform"),
                since=None if since is None else datetime.fromisoformat(since),
                until=None if until is None else datetime.fromisoformat(until),
                query=value.get("query"),
            )
        except (AttributeError, TypeError, ValueError):
            raise InputError(_("data/records.json: its filters cannot be read")) from None

    def to_json(self) -> dict[str, Any]:
        """As recorded in records.json."""
        return {
            "cases": list(self.cases),
            "platform": self.platform,
            "since": None if self.since is None else self.since.astimezone(UTC).isoformat(),
            "until": None if self.until is None else self.until.astimezone(UTC).isoformat(),
            **({"query": self.query} if self.query else {}),
        }


@dataclass
class Evidence:
    """What an export holds: its records and the audit chain, staged on disk
    (recorder.export.staging), and what is said about them."""

    records: Staged
    """For each of KINDS, its records in id order; and the whole audit chain in order:
    full events of exported records, others elided. A full event keeps its change as
    the canonical JSON text the store holds (`change_json`), written out as it is."""
    head: str
    """The hash of the last audit event at export time."""
    filters: Filters
    generated_at: datetime
    time_zone: str = "UTC"
    """The IANA zone the readable files show times in: the exporter's own (each time
    in records.json is in UTC whatever it is)."""
    redacted: list[str] = field(default_factory=list)
    """What redaction masked, in words; empty when nothing was redacted."""
    redactions: list[dict[str, Any]] = field(default_factory=list)
    """Each field redaction masked: `{"kind": ..., "id": ..., "field": ...}`."""
    withheld: list[int] = field(default_factory=list)
    """The attachments redaction left out of the bag (imported emails), by id: their
    records, with each file's SHA-256, stay."""
    timestamps: list[dict[str, Any]] = field(default_factory=list)
    """RFC 3161 replies for heads of the chain (recorder.export.timestamps), written
    into the bag's data/timestamps."""
    logged_by: dict[int, str] = field(default_factory=dict)
    """The member who logged each exported contact, where a member is named (a store
    several people keep), as its audit event says."""
    language: str = ENGLISH
    """The language of the readable files (`en`, `zh_CN`): the exporter's. records.json
    says it, so that verify makes them again in it, whoever verifies."""

    def count(self, kind: str) -> int:
        """How many records of a kind."""
        return self.records.count(kind)

    @property
    def event_count(self) -> int:
        """How many events the exported chain has (elided ones included)."""
        return self.records.event_count

    def header(self, version: str) -> dict[str, Any]:
        """The records.json document's fields before its records."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "generated_at": self.generated_at.astimezone(UTC).isoformat(),
            "recorder_version": version,
            "time_zone": self.time_zone,
            "language": self.language,
            "filters": self.filters.to_json(),
            "redacted": self.redacted,
            "redactions": self.redactions,
            "withheld": self.withheld,
            "audit_head": self.head,
        }


def record_value(value: Any) -> Any:
    """A column value as `record_fields` writes it."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, StrEnum):
        return value.value
    return value


def audited_columns(model: type[SQLModel]) -> list[sa.Column[Any]]:
    """The columns of a table that its records (and audit events) hold."""
    return [c for c in table_of(model).columns if c.key not in KEY_COLUMNS]


def read_records(
    session: Session, model: type[SQLModel], where: sa.ColumnElement[bool] | None
) -> list[dict[str, Any]]:
    """The records of a table (those `where` chooses), in id order, as audited."""
    return list(iter_records(session, model, where))


def iter_records(
    session: Session, model: type[SQLModel], where: sa.ColumnElement[bool] | None
) -> Iterator[dict[str, Any]]:
    """The records of a table (those `where` chooses), in id order, as audited, read
    as they are asked for.

    Times and enums are read as the text the store keeps and written as
    `record_fields` writes them, without making a datetime of each: an export of
    100k contacts reads 400k times.
    """
    columns = audited_columns(model)
    times = [c.key for c in columns if isinstance(c.type, UTCDateTime)]
    selected = [
        sa.type_coerce(c, sa.String).label(c.key)
        if isinstance(c.type, UTCDateTime | sa.Enum)
        else c
        for c in columns
    ]
    query = sa.select(*selected).order_by(table_of(model).c.id)
    if where is not None:
        query = query.where(where)
    names = [c.key for c in columns]
    for row in session.connection().execute(query.execution_options(yield_per=BATCH)):
        record = dict(zip(names, row, strict=True))
        for key in times:
            record[key] = stored_iso(record[key])
        yield record


def _in(column: sa.Column[Any], ids: Iterable[int]) -> sa.ColumnElement[bool]:
    return column.in_(sorted(set(ids)))


def collect(session: Session, filters: Filters, *, now: datetime, staged: Staged) -> Evidence:
    """Read what `filters` choose, with the audit chain, in one read transaction, into
    `staged` (a row at a time: memory stays flat however many there are).

    The choice is made in SQL (subqueries, not lists of ids), so that an export of
    every case binds no more parameters than an export of one.
    """
    cases_t, contacts_t = table_of(Case), table_of(Contact)
    where: list[sa.ColumnElement[bool]] = []
    if filters.cases:
        chosen = sa.select(cases_t.c.id).where(_in(cases_t.c.id, filters.cases))
        known = set(session.connection().scalars(chosen))
        missing = [c for c in filters.cases if c not in known]
        if missing:
            raise unknown_case(missing[0])
        where.append(_in(cases_t.c.id, filters.cases))
    if filters.platform is not None:
        from recorder.store.lookups import find_platform

        where.append(cases_t.c.platform_id == find_platform(session, filters.platform).id)
    if filters.since and filters.until and filters.since > filters.until:
        raise InputError(_("--since is after --until; expected a time range forwards"))
    timed: list[sa.ColumnElement[bool]] = []
    if filters.since is not None:
        timed.append(contacts_t.c.occurred_at >= filters.since)
    if filters.until is not None:
        timed.append(contacts_t.c.occurred_at <= filters.until)
    if timed:  # a time range keeps the cases it has contacts of
        where.append(sa.exists().where(contacts_t.c.case_id == cases_t.c.id, *timed))
    case_where = sa.and_(sa.true(), *where)
    case_ids = sa.select(cases_t.c.id).where(case_where).scalar_subquery()
    contact_where = sa.and_(contacts_t.c.case_id.in_(case_ids), *timed)
    contact_ids = sa.select(contacts_t.c.id).where(contact_where).scalar_subquery()
    flags_t = table_of(DuplicateFlag)
    tables = {
        "platforms": iter_records(
            session,
            Platform,
            table_of(Platform).c.id.in_(
                sa.select(cases_t.c.platform_id).where(case_where).scalar_subquery()
            ),
        ),
        "cases": iter_records(session, Case, case_where),
        "contacts": iter_records(session, Contact, contact_where),
        "attachments": iter_records(
            session, Attachment, table_of(Attachment).c.contact_id.in_(contact_ids)
        ),
        "emails": iter_records(session, Email, table_of(Email).c.contact_id.in_(contact_ids)),
        "duplicate_flags": iter_records(
            session,
            DuplicateFlag,
            sa.and_(
                flags_t.c.case_id.in_(case_ids),
                sa.or_(flags_t.c.contact_id.is_(None), flags_t.c.contact_id.in_(contact_ids)),
            ),
        ),
    }
    for kind, rows in tables.items():
        staged.add(kind, rows)
    logged_by: dict[int, str] = {}
    head = _chain(session, staged, logged_by)
    return Evidence(
        records=staged,
        head=head,
        filters=filters,
        generated_at=now,
        timestamps=_timestamps(session),
        logged_by=logged_by,
        language=current(),
    )


def _timestamps(session: Session) -> list[dict[str, Any]]:
    """The anchors' timestamp replies (the chain is exported whole, so each head is in
    it): anchor id, reply (base64) and the authority's CA certificate, if kept."""
    table = table_of(Anchor)
    rows = session.connection().execute(
        sa.select(table.c.id, table.c.tsa_token, table.c.tsa_ca)
        .where(table.c.tsa_token.is_not(None))
        .order_by(table.c.id)
    )
    return [{"anchor": row.id, "reply": row.tsa_token, "ca": row.tsa_ca} for row in rows]


def _chain(session: Session, staged: Staged, logged_by: dict[int, str]) -> str:
    """Stage the whole chain in order (full events of exported records, others elided);
    returns its head. Notes in `logged_by` who logged each exported contact."""
    exported = {kind: staged.ids(kind) for kind in KINDS}
    table = table_of(AuditEvent)
    result = session.connection().execute(
        sa.select(
            table.c.id,
            table.c.at,
            table.c.action,
            table.c.entity,
            table.c.entity_id,
            table.c.change,
            table.c.prev_hash,
            table.c.hash,
            table.c.scheme,
            table.c.member,
        )
        .order_by(table.c.id)
        .execution_options(yield_per=BATCH)
    )
    head = GENESIS_HASH
    past = _PastTexts(session)

    def events() -> Iterator[dict[str, Any]]:
        nonlocal head
        for row in result:
            head = row.hash
            if row.entity_id in exported.get(row.entity, ()):
                if row.member and row.entity == "contacts" and row.action == "create":
                    logged_by.setdefault(row.entity_id, row.member)
                yield {
                    "id": row.id,
                    "action": record_value(row.action),
                    "at": record_value(row.at),
                    "change_json": past.shown(row.change),
                    "entity": row.entity,
                    "entity_id": row.entity_id,
                    "prev_hash": row.prev_hash,
                    "hash": row.hash,
                    "scheme": row.scheme,
                    "member": row.member,
                }
            else:
                yield {"id": row.id, "elided": True, "prev_hash": row.prev_hash, "hash": row.hash}

    staged.add_events(events())
    return head


class _PastTexts:
    """The texts that rows no longer hold (an edited text, a deleted contact's), which
    the store keeps once, in stored_texts, and its events by digest: an export shows
    them in the events, so that the bag keeps every version of the record. A value and
    its digest hash alike (scheme 2), so the chain verifies either way; a text that a
    redaction took out of the store stays a digest."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.table = table_of(StoredText)
        self.kept = set(session.connection().scalars(sa.select(self.table.c.sha256)))

    def shown(self, change_json: str) -> str:
        """An event's change with each kept text in place of its digest."""
        if not self.kept or f'"{REF}"' not in change_json:
            return change_json
        change = json.loads(change_json)
        sides = [side for side in change.values() if isinstance(side, dict)]
        wanted = {
            value[REF]
            for side in sides
            for value in side.values()
            if is_ref(value) and value[REF] in self.kept
        }
        if not wanted:
            return change_json
        query = sa.select(self.table.c.sha256, self.table.c.body).where(
            self.table.c.sha256.in_(sorted(wanted))
        )
        bodies = {row.sha256: row.body for row in self.session.connection().execute(query)}
        for side in sides:
            for key, value in side.items():
                if is_ref(value) and value[REF] in bodies:
                    side[key] = json.loads(bodies[value[REF]])
        return canonical_json(change)
