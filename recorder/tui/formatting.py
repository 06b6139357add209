"""How the screens write what they show: statuses, times, first lines."""

from __future__ import annotations

from datetime import datetime, tzinfo

from recorder.domain.dates import shown
from recorder.domain.i18n import N_
from recorder.domain.vocabulary import CaseStatus

STATUS_LABELS = {
    CaseStatus.open: N_("open"),
    CaseStatus.waiting_on_support: N_("wait support"),
    CaseStatus.waiting_on_me: N_("wait me"),
    CaseStatus.escalated: N_("escalated"),
    CaseStatus.resolved: N_("resolved"),
    CaseStatus.closed: N_("closed"),
}
"""A case's status, short enough for a table column (translated where shown)."""


def short_time(value: datetime | None, zone: tzinfo, now: datetime | None = None) -> str:
    """`24 Nov 14:05` in the user's zone, or a dash; `24 Nov 2025` (as wide) for a time
    in another year than `now`'s, so that rows of different years never look alike."""
    if value is None:
        return "-"
    here = value.astimezone(zone)
    if now is not None and here.year != now.astimezone(zone).year:
        return shown(here, "date")
    return shown(here, "day_time")


def short_day(value: datetime, zone: tzinfo, now: datetime) -> str:
    """`01 Dec` in the user's zone, or the year alone (`2025`) for a day in another year
    than `now`'s: short enough for a cell beside a word ("late 01 Dec", "late 2025");
    the reader shows the whole date."""
    here = value.astimezone(zone)
    if here.year != now.astimezone(zone).year:
        return str(here.year)
    return shown(here, "day")


def first_line(text: str, width: int = 60) -> str:
    """The first non-empty line of a text, cut to `width`."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line if len(line) <= width else line[: width - 1] + "…"
