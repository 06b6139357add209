"""Cases as shown: the case list, and one case's detail with its contacts, flags,
escalation and next step.

Each function runs a fixed number of queries, whatever the number of rows, and every
query uses an index (tests/store/test_query_plans.py checks this). Nothing here
imports SQLAlchemy: see `recorder.store.readers` for why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from recorder.domain.errors import unknown_case
from recorder.domain.vocabulary import IDENTIFIERS, OPEN_STATUSES, CaseStatus
from recorder.read.contacts import ContactView, contact_views
from recorder.read.platforms import PLATFORM_COLUMNS, platform_named, platform_view
from recorder.store.readers import Reader, contains, like, placeholders
from recorder.store.times import (
    iso,
    stored_iso,
    stored_json_column,
    stored_time,
    stored_time_or_none,
)

if TYPE_CHECKING:
    # Only a case's detail needs these; the lists, which must start fast, do not.
    from recorder.domain.escalation import Escalation
    from recorder.read.flags import FlagView

# The views below are slotted dataclasses, not frozen ones: a frozen dataclass sets
# each field through object.__setattr__, which made building the 10k-case list 4x
# slower. They are plain values all the same; nothing changes them after a query.


STATUS_BY_VALUE = {status.value: status for status in CaseStatus}


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
    op = like(reader)
    for n, word in enumerate((text or "").split()):
        # Every word must appear in the title, the platform or a reference number.
        params[f"word{n}"] = contains(word)
        conditions.append(
            f"(cases.title {op} :word{n} ESCAPE '\\' OR platforms.name {op} :word{n} ESCAPE '\\'"
            f" OR CAST(cases.refs AS TEXT) {op} :word{n} ESCAPE '\\')"
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
    references = stored_json_column([row[5] for row in rows])
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

    def warnings(self) -> list[FlagView]:
        """The open duplicate flags raised on this case, newest first, each warning
        once (the same repeat flagged on two contacts reads as one line)."""
        seen: set[tuple[str, int, str]] = set()
        out = []
        for flag in self.flags:
            key = (flag.kind.value, flag.earlier_case_id, flag.matched)
            if flag.case_id == self.id and flag.status.value == "open" and key not in seen:
                seen.add(key)
                out.append(flag)
        return out

    @property
    def waits_on(self) -> ContactView | None:
        """The contact the next follow-up waits on: the user's latest unanswered
        message, or support's promise to come back."""
        return next((c for c in self.contacts if c.id == self.follow_up_contact_id), None)

    def next_step(self, now: datetime) -> str | None:
        """What to do next about the case, while it waits on support; None otherwise."""
        if self.next_follow_up_at is None:
            return None
        from recorder.domain.escalation import next_step

        waits_on = self.waits_on
        known = list(dict.fromkeys(c.reference for c in self.contacts if c.reference))
        reference = waits_on.reference if waits_on and waits_on.reference else None
        return next_step(
            channel=waits_on.channel if waits_on else None,
            # A ticket number first given by an acknowledgement is the one to quote.
            reference=reference or (known[-1] if known else None),
            unanswered=self.unanswered,
            overdue=self.next_follow_up_at <= now,
            rung=self.escalation,
            now=now,
            promised=waits_on is not None and waits_on.due_basis == "promise",
        )

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
            "next_step": self.next_step(now),
            "escalation": None if self.escalation is None else self.escalation.to_json(),
            "merged_into": self.merged_into,
            "merged_cases": self.merged_cases,
            "duplicate_flags": [f.to_json(local, now) for f in self.flags],
            "contacts": [c.to_json() for c in self.contacts],
        }


def case_detail(reader: Reader, case_id: int) -> CaseDetail:
    """A case and its contacts in time order, with their attachments, merges and flags.
    Six queries."""
    from recorder.domain.escalation import escalation
    from recorder.domain.windows import answers
    from recorder.read.flags import list_flags

    rows = reader.rows(
        "SELECT cases.id, cases.title, cases.status, cases.priority,"
        " cases.created_at, cases.updated_at, cases.next_follow_up_at,"
        " cases.follow_up_contact_id, cases.unanswered, cases.merged_into_id,"
        f" {', '.join('cases.' + i for i in IDENTIFIERS)}, {PLATFORM_COLUMNS}"
        " FROM cases JOIN platforms ON platforms.id = cases.platform_id"
        " WHERE cases.id = :id",
        {"id": case_id},
    )
    if not rows:
        raise unknown_case(case_id)
    row = rows[0]
    n = 10 + len(IDENTIFIERS)
    platform = platform_view(row[n:])
    contacts = contact_views(reader, case_id=case_id)
    times = [c.times() for c in contacts]  # once: a fifth of reading a long case
    answered = answers(times)
    for contact in contacts:
        contact.answered_by = answered.get(contact.id)
    pairs = [(c.channel, t) for c, t in zip(contacts, times, strict=True)]
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
