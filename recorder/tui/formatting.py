"""How the screens write what they show: statuses, times, first lines."""

from __future__ import annotations

from datetime import datetime, tzinfo

from recorder.domain.vocabulary import CaseStatus

STATUS_LABELS = {
    CaseStatus.open: "open",
    CaseStatus.waiting_on_support: "wait support",
    CaseStatus.waiting_on_me: "wait me",
    CaseStatus.escalated: "escalated",
    CaseStatus.resolved: "resolved",
    CaseStatus.closed: "closed",
}
"""A case's status, short enough for a table column."""


def short_time(value: datetime | None, zone: tzinfo) -> str:
    """`24 Nov 14:05` in the user's zone, or a dash."""
    return "-" if value is None else value.astimezone(zone).strftime("%d %b %H:%M")


def first_line(text: str, width: int = 60) -> str:
    """The first non-empty line of a text, cut to `width`."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"
