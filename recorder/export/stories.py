"""The stories the readable files tell: each exported case with its platform, its
contacts in time order (with when an answer was due and whether it came), its
escalation rung and its duplicate flags, read from the staged records a case at a time
(recorder.export.staging), so that no file needs the whole record in memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from recorder.domain.calendars import calendar_of
from recorder.domain.dates import wall_time
from recorder.domain.escalation import Escalation, escalation
from recorder.domain.i18n import _
from recorder.domain.windows import Calendar, answers
from recorder.export.evidence import Evidence
from recorder.store.times import contact_times


@dataclass
class ContactLine:
    """A contact as the timeline tells it."""

    record: dict[str, Any]
    attachments: list[dict[str, Any]]
    due: datetime | None
    answered_by: int | None
    answered_at: datetime | None
    facts: list[tuple[str, str]] | None = None
    """Its labelled facts, made once for the page and the Markdown alike."""
    logged_by: str | None = None
    """The member who logged it, in a store several people keep."""

    def met(self, now: datetime, zone: ZoneInfo) -> str:
        """Whether the answer came by the time it was due, in words."""
        if self.answered_by == self.record["id"]:
            return _("met: answered in the conversation itself")
        if self.record["direction"] != "outbound" or self.due is None:
            return ""
        if self.record.get("due_basis") == "promise":
            return ""
        if self.answered_at is not None:
            when = _("answered by contact #{answered_by} at {when}").format(
                answered_by=self.answered_by, when=when_local(self.answered_at, zone)
            )
            return (
                _("met: {when}").format(when=when)
                if self.answered_at <= self.due
                else _("late: {when}").format(when=when)
            )
        return _("not met: no answer") if self.due <= now else _("pending: no answer yet")


@dataclass
class CaseStory:
    """One case, its platform, its contacts in time order, its rung and its flags."""

    case: dict[str, Any]
    platform: dict[str, Any]
    contacts: list[ContactLine]
    flags: list[dict[str, Any]] = field(default_factory=list)
    rung: Escalation | None = None


def when_local(moment: datetime, zone: ZoneInfo) -> str:
    """A time in the export's zone (named once, in the export's facts)."""
    return wall_time(moment, zone)


def stories(evidence: Evidence) -> Iterator[CaseStory]:
    """The exported cases in the order they were opened, each with what it needs, read
    from the staged records a case at a time."""
    staged = evidence.records
    calendars: dict[tuple[int, frozenset[int]], Calendar] = {}
    platforms = {p["id"]: p for p in staged.each("platforms")}
    for case in staged.in_time_order("cases"):
        platform = platforms[case["platform_id"]]
        contacts = staged.of_case("contacts", case["id"])
        files = staged.of_contacts("attachments", (c["id"] for c in contacts))
        times = [contact_times(c) for c in contacts]
        answered = answers(times)
        at = {t.id: t.occurred_at for t in times}
        lines = [
            ContactLine(
                record=c,
                attachments=files.get(c["id"], []),
                due=t.follow_up_at or t.expected_by,
                answered_by=answered.get(c["id"]),
                answered_at=at.get(answered.get(c["id"]) or -1),
                logged_by=evidence.logged_by.get(c["id"]),
            )
            for c, t in zip(contacts, times, strict=True)
        ]
        years = frozenset(t.occurred_at.year for t in times)
        calendar = calendars.get((platform["id"], years))
        if calendar is None:
            calendar = calendars[platform["id"], years] = calendar_of(
                platform, (t.occurred_at for t in times)
            )
        rung = escalation(
            platform["jurisdiction"],
            [(c["channel"], t) for c, t in zip(contacts, times, strict=True)],
            calendar,
        )
        yield CaseStory(case, platform, lines, staged.of_case("duplicate_flags", case["id"]), rung)
