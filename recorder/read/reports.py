"""Reports over many cases: what is due and what to do next, how fast support answers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from recorder.domain.dates import shown
from recorder.domain.due_words import describe_basis
from recorder.domain.escalation import Escalation, next_step
from recorder.domain.i18n import _
from recorder.domain.vocabulary import CaseStatus
from recorder.domain.windows import ContactTimes, answers
from recorder.read.cases import STATUS_BY_VALUE, CaseDetail, case_detail
from recorder.read.platforms import platform_named
from recorder.store.readers import Reader
from recorder.store.times import (
    TIMES_COLUMNS,
    contact_times,
    db_time,
    iso,
    stored_json_column,
    stored_time,
)


class DueKind(StrEnum):
    """What a date in `recorder due` is."""

    follow_up = "follow_up"
    """Support's time to answer (or its promise) runs out: follow up, or complain."""
    may_escalate = "may_escalate"
    """From this day the case may go to the next rung (the ombudsman, the regulator)."""
    last_day = "last_day"
    """The last day the rules allow for taking the case to the next rung."""


@dataclass(slots=True)
class DueItem:
    """A date that is passed or near in an open case, and what to do about it."""

    kind: DueKind
    case_id: int
    platform: str
    title: str
    status: CaseStatus
    priority: str
    at: datetime
    overdue: bool
    next_step: str
    contact_id: int | None = None
    channel: str | None = None
    reference: str | None = None
    unanswered: int = 0
    escalation: Escalation | None = None
    basis: str = ""
    """How a follow-up's date was reached ("the platform's window: 72h", "default ...")."""

    @property
    def urgent(self) -> bool:
        """Whether the user marked the case urgent."""
        return self.priority == "urgent"

    def to_json(self) -> dict[str, Any]:
        """One item of `recorder due --json`."""
        return {
            "kind": self.kind.value,
            "case_id": self.case_id,
            "platform": self.platform,
            "title": self.title,
            "status": self.status.value,
            "priority": self.priority,
            "at": iso(self.at),
            "expected_by": iso(self.at) if self.kind is DueKind.follow_up else None,
            "basis": self.basis or None,
            "contact_id": self.contact_id,
            "channel": self.channel,
            "reference": self.reference,
            "overdue": self.overdue,
            "unanswered": self.unanswered,
            "escalation": None if self.escalation is None else self.escalation.to_json(),
            "next_step": self.next_step,
        }


def due_follow_ups(reader: Reader, *, now: datetime, until: datetime) -> list[DueItem]:
    """Follow-ups overdue or due by `until`, and the escalation dates (from when the
    case may go to the ombudsman or regulator, the last day it may) up to `until`,
    earliest first, urgent cases first among equal times.

    One query for the follow-ups, one for the cases with a complaint, plus one case
    detail for each of those (its escalation needs its contacts).
    """
    rows = reader.rows(
        "SELECT cases.id, platforms.name, cases.title, cases.status, cases.follow_up_contact_id,"
        " contacts.channel, contacts.reference, cases.next_follow_up_at, cases.unanswered,"
        " cases.complaint_at, cases.refs, cases.priority,"
        " contacts.due_basis, contacts.due_window, contacts.follow_up_at"
        " FROM cases JOIN platforms ON platforms.id = cases.platform_id"
        " LEFT JOIN contacts ON contacts.id = cases.follow_up_contact_id"
        " WHERE cases.next_follow_up_at IS NOT NULL AND cases.next_follow_up_at <= :until",
        {"until": db_time(until)},
    )
    rungs = _escalations(reader)
    items = []
    for row, refs in zip(rows, stored_json_column([row[10] for row in rows]), strict=True):
        # A ticket number first given by an acknowledgement is the one to quote.
        reference = row[6] or (refs[-1] if refs else None)
        expected = stored_time(row[7])
        rung = rungs[row[0]][1] if row[0] in rungs else None
        overdue = expected <= now
        items.append(
            DueItem(
                kind=DueKind.follow_up,
                case_id=row[0],
                platform=row[1],
                title=row[2],
                status=STATUS_BY_VALUE[row[3]],
                priority=row[11],
                at=expected,
                overdue=overdue,
                contact_id=row[4],
                channel=row[5],
                reference=reference,
                unanswered=row[8],
                escalation=rung,
                basis=describe_basis(row[12], row[13], user_set=row[14] is not None),
                next_step=next_step(
                    channel=row[5],
                    reference=reference,
                    unanswered=row[8],
                    overdue=overdue,
                    rung=rung,
                    now=now,
                    promised=row[12] == "promise",
                ),
            )
        )
    for case_id, (summary, rung) in rungs.items():
        for kind, at in ((DueKind.may_escalate, rung.earliest), (DueKind.last_day, rung.latest)):
            if at is None or at > until:
                continue
            if kind is DueKind.last_day:
                step = _("Last day to take it to {next} ({source})").format(
                    next=_(rung.next), source=rung.source
                )
            else:
                step = _("From {day} you may take it to {next} ({source})").format(
                    day=shown(at, "date"), next=_(rung.next), source=rung.source
                )
            items.append(
                DueItem(
                    kind=kind,
                    case_id=case_id,
                    platform=summary.platform,
                    title=summary.title,
                    status=summary.status,
                    priority=summary.priority,
                    at=at,
                    overdue=kind is DueKind.last_day and at <= now,
                    escalation=rung,
                    next_step=step,
                )
            )
    items.sort(key=lambda i: (i.at, not i.urgent, i.case_id, i.kind is not DueKind.follow_up))
    return items


def _escalations(reader: Reader) -> dict[int, tuple[CaseDetail, Escalation]]:
    """The open cases that have a complaint, each with its summary and escalation."""
    rows = reader.rows(
        "SELECT id FROM cases WHERE complaint_at IS NOT NULL AND merged_into_id IS NULL"
        " AND status NOT IN ('resolved', 'closed') ORDER BY id"
    )
    out: dict[int, tuple[CaseDetail, Escalation]] = {}
    for (case_id,) in rows:
        detail = case_detail(reader, case_id)
        if detail.escalation is not None:
            out[case_id] = (detail, detail.escalation)
    return out


@dataclass(slots=True)
class ResponseStats:
    """How fast a platform answered on a channel, against what it promised."""

    platform: str
    channel: str
    count: int
    answered: int
    median: timedelta | None
    p90: timedelta | None
    within_window: float | None

    def to_json(self) -> dict[str, Any]:
        """One item of `recorder stats --json`."""
        return {
            "platform": self.platform,
            "channel": self.channel,
            "count": self.count,
            "answered": self.answered,
            "median_hours": _hours(self.median),
            "p90_hours": _hours(self.p90),
            "within_window": self.within_window,
        }


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def response_stats(reader: Reader, *, platform: str | None = None) -> list[ResponseStats]:
    """Per platform and channel: outbound contacts, how many were answered, the median
    and 90th percentile of the time to the answer, and the share answered in the window.

    Reads every contact of the platforms asked for: it sums up the whole history.
    """
    params: dict[str, Any] = {}
    where = ""
    if platform is not None:
        where = " WHERE cases.platform_id = :platform"
        params["platform"] = platform_named(reader, platform).id
    rows = reader.rows(
        "SELECT platforms.name, contacts.case_id, contacts.channel, "
        + ", ".join(f"contacts.{name}" for name in TIMES_COLUMNS)
        + " FROM contacts JOIN cases ON cases.id = contacts.case_id"
        " JOIN platforms ON platforms.id = cases.platform_id" + where,
        params,
    )
    by_case: dict[int, list[tuple[str, str, ContactTimes]]] = {}
    for name, case_id, channel, *rest in rows:
        times = contact_times(dict(zip(TIMES_COLUMNS, rest, strict=True)))
        by_case.setdefault(case_id, []).append((name, channel, times))
    waits: dict[tuple[str, str], list[tuple[timedelta | None, bool | None]]] = {}
    for contacts in by_case.values():
        when = {t.id: t.occurred_at for _, _, t in contacts}
        answered = answers([t for _, _, t in contacts])
        for name, channel, t in contacts:
            if not t.outbound:
                continue
            by = answered.get(t.id)
            wait = None if by is None else when[by] - t.occurred_at
            kept = None if t.expected_by is None or by is None else when[by] <= t.expected_by
            waits.setdefault((name, channel), []).append((wait, kept))
    out = []
    for (name, channel), found in sorted(waits.items()):
        waited = sorted(w for w, _ in found if w is not None)
        promised = [k for _, k in found if k is not None]
        out.append(
            ResponseStats(
                platform=name,
                channel=channel,
                count=len(found),
                answered=len(waited),
                median=_quantile(waited, 0.5),
                p90=_quantile(waited, 0.9),
                within_window=(
                    round(sum(1 for k in promised if k) / len(promised), 3) if promised else None
                ),
            )
        )
    return out


def _quantile(values: list[timedelta], q: float) -> timedelta | None:
    """The q-quantile of sorted values (nearest rank)."""
    if not values:
        return None
    rank = max(1, math.ceil(q * len(values)))
    return values[rank - 1]
