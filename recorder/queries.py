"""The read side: lists and detail views as plain values, from SQL text run by a Reader.

Each function runs a fixed number of queries, whatever the number of rows, and every
query uses an index (tests/store/test_query_plans.py checks this). Nothing here
imports SQLAlchemy: see `recorder.reading` for why.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from recorder.errors import unknown_case, unknown_platform
from recorder.reading import Reader, placeholders
from recorder.vocabulary import IDENTIFIERS, OPEN_STATUSES, CaseStatus

if TYPE_CHECKING:
    # Only a case's detail needs these; the lists, which must start fast, do not.
    from recorder.escalation import Escalation
    from recorder.flag_views import FlagView
    from recorder.windows import Calendar, ContactTimes

# The views below are slotted dataclasses, not frozen ones: a frozen dataclass sets
# each field through object.__setattr__, which made building the 10k-case list 4x
# slower. They are plain values all the same; nothing changes them after a query.


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, in UTC; None stays None."""
    if value is None:
        return None
    return (value if value.tzinfo is UTC else value.astimezone(UTC)).isoformat()


def stored_time_or_none(value: Any) -> datetime | None:
    """A stored time (text on SQLite, a naive datetime elsewhere) as aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        # SQLite keeps UTC without an offset; parsing it with one is faster than
        # parsing, then attaching the zone (the case list does this 20,000 times).
        return datetime.fromisoformat(value + "+00:00")
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def stored_iso(value: Any) -> str | None:
    """ISO 8601 in UTC with its offset, exactly as `datetime.isoformat()` writes it, of a
    stored time; from SQLite's text without making a datetime."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == ".":
        fraction = "" if value[20:] == "000000" else value[19:]
        return f"{value[:10]}T{value[11:19]}{fraction}+00:00"
    return iso(stored_time(value))


def stored_time(value: Any) -> datetime:
    """A stored time that is never empty."""
    moment = stored_time_or_none(value)
    assert moment is not None
    return moment


def _json(value: Any) -> Any:
    """A stored JSON value (text on SQLite, decoded already elsewhere)."""
    return json.loads(value) if isinstance(value, str) else value


def _json_column(values: Sequence[Any]) -> list[Any]:
    """A column of stored JSON values, decoded in one call of the decoder, not one a row."""
    if values and all(isinstance(v, str) for v in values):
        decoded: list[Any] = json.loads("[" + ",".join(values) + "]")
        return decoded
    return [_json(v) for v in values]


STATUS_BY_VALUE = {status.value: status for status in CaseStatus}


@dataclass(slots=True)
class PlatformView:
    """A platform as shown."""

    id: int
    name: str
    domains: list[str]
    addresses: list[str]
    timezone: str
    holiday_country: str | None
    holiday_subdivision: str | None
    windows: dict[str, str]
    notes: str
    jurisdiction: str | None = None
    closed_dates: list[str] = field(default_factory=list)
    holiday_dates: list[str] = field(default_factory=list)

    def calendar(self, moments: Iterable[datetime] = ()) -> Calendar:
        """The platform's business calendar, good for the years of these moments."""
        from recorder.calendars import platform_calendar

        return platform_calendar(
            self.timezone,
            self.holiday_country,
            self.holiday_subdivision,
            self.holiday_dates,
            self.closed_dates,
            years={m.year for m in moments},
        )

    @property
    def holidays(self) -> str | None:
        """`US` or `US-NY`, or None."""
        if self.holiday_country is None:
            return None
        return "-".join(p for p in (self.holiday_country, self.holiday_subdivision) if p)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `recorder platform show --json`."""
        return {
            "id": self.id,
            "name": self.name,
            "domains": self.domains,
            "addresses": self.addresses,
            "timezone": self.timezone,
            "holidays": self.holidays,
            "windows": self.windows,
            "jurisdiction": self.jurisdiction,
            "closed_dates": self.closed_dates,
            "notes": self.notes,
        }


_PLATFORM_COLUMNS = (
    "platforms.id, platforms.name, platforms.domains, platforms.addresses, platforms.timezone,"
    " platforms.holiday_country, platforms.holiday_subdivision, platforms.windows,"
    " platforms.notes, platforms.jurisdiction, platforms.closed_dates, platforms.holiday_dates"
)


def _platform(row: Sequence[Any]) -> PlatformView:
    return PlatformView(
        id=row[0],
        name=row[1],
        domains=_json(row[2]),
        addresses=_json(row[3]),
        timezone=row[4],
        holiday_country=row[5],
        holiday_subdivision=row[6],
        windows=_json(row[7]),
        notes=row[8],
        jurisdiction=row[9],
        closed_dates=_json(row[10]),
        holiday_dates=_json(row[11]),
    )


def list_platforms(reader: Reader) -> list[PlatformView]:
    """All platforms by name."""
    sql = f"SELECT {_PLATFORM_COLUMNS} FROM platforms ORDER BY platforms.name_key"
    return [_platform(row) for row in reader.rows(sql)]


def platform_named(reader: Reader, name: str) -> PlatformView:
    """The platform called `name`, whatever its case; NotFoundError otherwise."""
    sql = f"SELECT {_PLATFORM_COLUMNS} FROM platforms WHERE platforms.name_key = :key"
    rows = reader.rows(sql, {"key": name.strip().casefold()})
    if not rows:
        raise unknown_platform(name, [p.name for p in list_platforms(reader)])
    return _platform(rows[0])


@dataclass(slots=True)
class CaseSummary:
    """One row of the case list.

    Its times are kept as the store gave them and converted when asked: the JSON of
    10k rows needs their text, which is cheaper to derive from the stored text than
    through datetime objects.
    """

    id: int
    platform: str
    title: str
    status: CaseStatus
    priority: str
    references: list[str]
    stored_last: Any
    contacts: int
    stored_next: Any = None
    follow_up_contact_id: int | None = None
    open_flags: int = 0
    """How many duplicate flags raised on this case wait for the user's decision."""

    @property
    def last_contact_at(self) -> datetime | None:
        """When the last contact was."""
        return stored_time_or_none(self.stored_last)

    @property
    def next_follow_up_at(self) -> datetime | None:
        """When the next follow-up is due."""
        return stored_time_or_none(self.stored_next)

    def overdue(self, now: datetime) -> bool:
        """Whether the next follow-up's time has passed."""
        due = self.next_follow_up_at
        return due is not None and due <= now

    def to_json(self, now: datetime) -> dict[str, Any]:
        """The JSON object of `recorder list --json`."""
        overdue = self.overdue(now)
        return {
            "id": self.id,
            "platform": self.platform,
            "title": self.title,
            "status": self.status.value,
            "priority": self.priority,
            "references": self.references,
            "last_contact_at": stored_iso(self.stored_last),
            "contacts": self.contacts,
            "next_follow_up": (
                None
                if self.follow_up_contact_id is None or self.stored_next is None
                else {
                    "contact_id": self.follow_up_contact_id,
                    "expected_by": stored_iso(self.stored_next),
                    "overdue": overdue,
                }
            ),
            "overdue": overdue,
            "open_flags": self.open_flags,
        }


def follow_up_json(
    contact_id: int | None, expected: datetime | None, now: datetime
) -> dict[str, Any] | None:
    """The `next_follow_up` object: the contact it waits on, when, whether it is late."""
    if contact_id is None or expected is None:
        return None
    return {"contact_id": contact_id, "expected_by": iso(expected), "overdue": expected <= now}


def list_cases(
    reader: Reader,
    *,
    statuses: Sequence[CaseStatus] | None = OPEN_STATUSES,
    platform: str | None = None,
    text: str | None = None,
    limit: int | None = None,
) -> list[CaseSummary]:
    """Cases with the given statuses (open ones by default; None: all), the one where
    something happened last first. `text` keeps the cases whose title, platform or
    reference numbers contain each of its words (case-insensitive for ASCII, as SQL's
    LIKE is). One query: each case carries its contacts' summary."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if statuses is not None:
        listed, bound = placeholders("status", [s.value for s in statuses])
        conditions.append(f"cases.status IN ({listed})" if bound else "0 = 1")
        params.update(bound)
    if platform is not None:
        conditions.append("cases.platform_id = :platform")
        params["platform"] = platform_named(reader, platform).id
    for n, word in enumerate((text or "").split()):
        # Every word must appear in the title, the platform or a reference number.
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params[f"word{n}"] = f"%{escaped}%"
        conditions.append(
            f"(cases.title LIKE :word{n} ESCAPE '\\' OR platforms.name LIKE :word{n} ESCAPE '\\'"
            f" OR cases.refs LIKE :word{n} ESCAPE '\\')"
        )
    sql = (
        "SELECT cases.id, platforms.name, cases.title, cases.status, cases.priority,"
        " cases.refs, cases.last_contact_at, cases.contact_count, cases.next_follow_up_at,"
        " cases.follow_up_contact_id"
        " FROM cases JOIN platforms ON platforms.id = cases.platform_id"
        + (" WHERE " + " AND ".join(conditions) if conditions else "")
        + " ORDER BY cases.updated_at DESC, cases.id DESC"
    )
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    rows = reader.rows(sql, params)
    references = _json_column([row[5] for row in rows])
    # Open flags are few: one grouped query, not one lookup per listed case.
    flagged: dict[int, int] = {
        row[0]: row[1]
        for row in reader.rows(
            "SELECT case_id, count(*) FROM duplicate_flags WHERE status = 'open' GROUP BY case_id"
        )
    }
    return [
        CaseSummary(
            id=row[0],
            platform=row[1],
            title=row[2],
            status=STATUS_BY_VALUE[row[3]],
            priority=row[4],
            references=refs,
            stored_last=row[6],
            contacts=row[7],
            stored_next=row[8],
            follow_up_contact_id=row[9],
            open_flags=flagged.get(row[0], 0),
        )
        for row, refs in zip(rows, references, strict=True)
    ]


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
            "answered_by": self.answered_by,
            "merged_from": self.merged_from,
        }

    def times(self) -> ContactTimes:
        """What the follow-up rules need of this contact."""
        from recorder.windows import ContactTimes

        return ContactTimes(
            id=self.id,
            outbound=self.direction == "outbound",
            occurred_at=self.occurred_at,
            auto_ack=self.auto_ack,
            expected_by=self.expected_by,
            follow_up_at=self.follow_up_at,
        )


@dataclass(slots=True)
class CaseDetail:
    """A case with all its contacts in time order, its follow-up and its escalation."""

    id: int
    platform: str
    title: str
    status: CaseStatus
    priority: str
    identifiers: dict[str, str | None]
    created_at: datetime
    updated_at: datetime
    contacts: list[ContactView]
    next_follow_up_at: datetime | None = None
    follow_up_contact_id: int | None = None
    unanswered: int = 0
    escalation: Escalation | None = None
    merged_into: int | None = None
    """The case this one was merged into (its contacts are there now)."""
    merged_cases: list[int] = field(default_factory=list)
    """The cases merged into this one."""
    flags: list[FlagView] = field(default_factory=list)
    """Duplicate flags raised on this case or pointing at it, newest first."""

    def to_json(self, now: datetime, local: tzinfo = UTC) -> dict[str, Any]:
        """The JSON document of `recorder show --json`; flag messages in `local` time."""
        ids = self.identifiers
        return {
            "id": self.id,
            "platform": self.platform,
            "title": self.title,
            "status": self.status.value,
            "priority": self.priority,
            "identifiers": {
                "txid": ids["txid"],
                "order": ids["order_number"],
                "account_email": ids["account_email"],
                "asset": ids["asset"],
                "amount": ids["amount"],
            },
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "next_follow_up": follow_up_json(
                self.follow_up_contact_id, self.next_follow_up_at, now
            ),
            "escalation": None if self.escalation is None else self.escalation.to_json(),
            "merged_into": self.merged_into,
            "merged_cases": self.merged_cases,
            "duplicate_flags": [f.to_json(local, now) for f in self.flags],
            "contacts": [c.to_json() for c in self.contacts],
        }


def case_detail(reader: Reader, case_id: int) -> CaseDetail:
    """A case and its contacts in time order, with their attachments, merges and flags.
    Six queries."""
    from recorder.escalation import escalation
    from recorder.flag_views import list_flags
    from recorder.windows import answers

    rows = reader.rows(
        "SELECT cases.id, cases.title, cases.status, cases.priority,"
        " cases.created_at, cases.updated_at, cases.next_follow_up_at,"
        " cases.follow_up_contact_id, cases.unanswered, cases.merged_into_id,"
        f" {', '.join('cases.' + i for i in IDENTIFIERS)}, {_PLATFORM_COLUMNS}"
        " FROM cases JOIN platforms ON platforms.id = cases.platform_id"
        " WHERE cases.id = :id",
        {"id": case_id},
    )
    if not rows:
        raise unknown_case(case_id)
    row = rows[0]
    n = 10 + len(IDENTIFIERS)
    platform = _platform(row[n:])
    contacts = contact_views(reader, case_id=case_id)
    answered = answers([c.times() for c in contacts])
    for contact in contacts:
        contact.answered_by = answered.get(contact.id)
    pairs = [(c.channel, c.times()) for c in contacts]
    return CaseDetail(
        id=row[0],
        platform=platform.name,
        title=row[1],
        status=CaseStatus(row[2]),
        priority=row[3],
        created_at=stored_time(row[4]),
        updated_at=stored_time(row[5]),
        next_follow_up_at=stored_time_or_none(row[6]),
        follow_up_contact_id=row[7],
        unanswered=row[8],
        merged_into=row[9],
        identifiers=dict(zip(IDENTIFIERS, row[10:n], strict=True)),
        contacts=contacts,
        merged_cases=[
            r[0]
            for r in reader.rows(
                "SELECT id FROM cases WHERE merged_into_id = :id ORDER BY id", {"id": case_id}
            )
        ],
        flags=list_flags(reader, every=True, case_id=case_id),
        escalation=escalation(
            platform.jurisdiction, pairs, platform.calendar(c.occurred_at for c in contacts)
        ),
    )


_CONTACT_COLUMNS = (
    "contacts.id, contacts.case_id, contacts.channel, contacts.direction,"
    " contacts.occurred_at, contacts.reference, contacts.agent, contacts.address,"
    " contacts.subject, contacts.text, contacts.auto_ack, contacts.source, contacts.source_name,"
    " contacts.expected_by, contacts.follow_up_at, contacts.merged_from_id"
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
        )
        for r in reader.rows(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts WHERE {where}"
            " ORDER BY contacts.occurred_at, contacts.id",
            params,
        )
    ]
