"""Response windows, business calendars, follow-ups: when an answer is due, and what is late.

Pure logic on plain values: no database, no UI. The rules (issue 4):

- A window is elapsed time (`10m`, `72h`, `3d`: exact hours) or business days (`5bd`).
- N business days from local time T on local date D end at local time T on the Nth
  business day after D, skipping Saturdays, Sundays, the platform's public holidays
  and the user's closed dates (a contact on a Saturday counts Monday as day 1).
- An outbound contact is expected to be answered by its time plus its window; a time
  the user set by hand wins. An answer (an inbound contact that is not an automatic
  acknowledgement, from a sender the user may trust) answers every earlier outbound
  contact of its case.
- A case's next follow-up is the earliest expected-by among its unanswered outbound
  contacts, overdue once passed; a case waiting on the user, resolved or closed has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from recorder.domain.errors import InputError
from recorder.domain.vocabulary import CaseStatus


class Unit(StrEnum):
    """The units a window can be given in."""

    minutes = "minutes"
    hours = "hours"
    days = "days"
    business_days = "business days"


_SHORT = {Unit.minutes: "m", Unit.hours: "h", Unit.days: "d"}
_UNIT_WORDS = {
    "m": Unit.minutes,
    "min": Unit.minutes,
    "mins": Unit.minutes,
    "minute": Unit.minutes,
    "minutes": Unit.minutes,
    "h": Unit.hours,
    "hr": Unit.hours,
    "hrs": Unit.hours,
    "hour": Unit.hours,
    "hours": Unit.hours,
    "d": Unit.days,
    "day": Unit.days,
    "days": Unit.days,
    "bd": Unit.business_days,
    "business day": Unit.business_days,
    "business days": Unit.business_days,
}
_WINDOW = re.compile(r"(\d{1,4})\s*([a-z]+(?: [a-z]+)?)")

WINDOW_FORMS = "'10m', '72h', '3d' or '5 business days' ('5bd')"


@dataclass(frozen=True)
class Window:
    """A promised response time: an amount of elapsed time or of business days."""

    amount: int
    unit: Unit

    def __str__(self) -> str:
        if self.unit is Unit.business_days:
            return f"{self.amount} business day{'s' if self.amount != 1 else ''}"
        return f"{self.amount}{_SHORT[self.unit]}"

    @property
    def elapsed(self) -> timedelta | None:
        """The window as exact elapsed time; None for business days."""
        if self.unit is Unit.minutes:
            return timedelta(minutes=self.amount)
        if self.unit is Unit.hours:
            return timedelta(hours=self.amount)
        if self.unit is Unit.days:
            return timedelta(days=self.amount)
        return None


def parse_window(text: str) -> Window:
    """Read a window such as `72h` or `5 business days`; refuse anything else."""
    cleaned = " ".join(text.strip().lower().split())
    match = _WINDOW.fullmatch(cleaned)
    unit = _UNIT_WORDS.get(match.group(2)) if match else None
    if match is None or unit is None or int(match.group(1)) == 0:
        raise InputError(f"cannot read the window {text!r}; expected {WINDOW_FORMS}")
    return Window(int(match.group(1)), unit)


@dataclass(frozen=True)
class Calendar:
    """A platform's business calendar: its time zone and the days it is closed.

    Attributes:
        zone: the platform's time zone; business days are its local days.
        closed: public holidays and the user's own closed dates (weekends always are).
    """

    zone: tzinfo
    closed: frozenset[date] = frozenset()

    def is_business_day(self, day: date) -> bool:
        """Monday to Friday, and not closed."""
        return day.weekday() < 5 and day not in self.closed

    def add_business_days(self, day: date, n: int) -> date:
        """The Nth business day after `day` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        current = day
        while n:
            current += timedelta(days=1)
            if self.is_business_day(current):
                n -= 1
        return current


def calendar_for(zone_name: str, closed: Iterable[str | date] = ()) -> Calendar:
    """A calendar from stored values: an IANA zone name and ISO dates."""
    days = frozenset(d if isinstance(d, date) else date.fromisoformat(d) for d in closed)
    return Calendar(ZoneInfo(zone_name), days)


def expected_by(at: datetime, window: Window, calendar: Calendar) -> datetime:
    """When an answer to a contact made at `at` is due under `window`, in UTC."""
    elapsed = window.elapsed
    if elapsed is not None:
        return (at.astimezone(UTC) + elapsed).astimezone(UTC)
    local = at.astimezone(calendar.zone)
    due_day = calendar.add_business_days(local.date(), window.amount)
    due = datetime.combine(due_day, local.time().replace(tzinfo=None), tzinfo=calendar.zone)
    return due.astimezone(UTC)


@dataclass(frozen=True)
class ContactTimes:
    """What the follow-up rules need to know of a contact."""

    id: int
    outbound: bool
    occurred_at: datetime
    auto_ack: bool = False
    expected_by: datetime | None = None
    follow_up_at: datetime | None = None
    """A time the user set by hand; it wins over `expected_by`."""
    trusted: bool = True
    """For an inbound contact: whether its sender may speak for the platform (no sender
    finding, or the user trusts it)."""

    @property
    def is_answer(self) -> bool:
        """Whether this is support's answer: inbound, not automatic, from a trusted
        sender. Only an answer meets a window."""
        return not self.outbound and not self.auto_ack and self.trusted

    @property
    def due(self) -> datetime | None:
        """When the user should act if no answer came."""
        return self.follow_up_at or self.expected_by


@dataclass(frozen=True)
class FollowUp:
    """A case's next follow-up: the contact it waits on, and when."""

    contact_id: int
    expected_by: datetime

    def overdue(self, now: datetime) -> bool:
        """Whether the time has passed."""
        return self.expected_by <= now


NO_FOLLOW_UP = (CaseStatus.waiting_on_me, CaseStatus.resolved, CaseStatus.closed)


def answers(contacts: Sequence[ContactTimes]) -> dict[int, int | None]:
    """For each outbound contact, the inbound contact that answered it (or None).

    An answer (`ContactTimes.is_answer`) answers every earlier outbound contact not yet
    answered. Ties in time go by id (the order of logging).
    """
    answered: dict[int, int | None] = {}
    waiting: list[int] = []
    for contact in sorted(contacts, key=lambda c: (c.occurred_at, c.id)):
        if contact.outbound:
            answered[contact.id] = None
            waiting.append(contact.id)
        elif contact.is_answer:
            for contact_id in waiting:
                answered[contact_id] = contact.id
            waiting.clear()
    return answered


def next_follow_up(contacts: Sequence[ContactTimes], status: CaseStatus) -> FollowUp | None:
    """The earliest due time among the case's unanswered outbound contacts."""
    if status in NO_FOLLOW_UP:
        return None
    answered = answers(contacts)
    pending = [
        FollowUp(c.id, c.due)
        for c in contacts
        if c.outbound and answered.get(c.id) is None and c.due is not None
    ]
    return min(pending, key=lambda f: (f.expected_by, f.contact_id), default=None)


FOLLOW_UP_FORMS = (
    "'in 3 business days', '3bd', '+2d', '+4h', 'in 2 days', 'tomorrow 9am', "
    "'next monday', or a date such as '2026-12-01 10:00'"
)
DEFAULT_TIME = time(9, 0)
"""The time of day a follow-up given as a day ("tomorrow", "next monday") is set to."""

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_RELATIVE = re.compile(
    r"(?:in\s+|\+)?(\d{1,4})\s*(business days?|bd|days?|d|hours?|h|minutes?|mins?|m|weeks?|w)"
)


def parse_follow_up(text: str, *, now: datetime, local: tzinfo, calendar: Calendar) -> datetime:
    """Read a follow-up time as a user types it; business days are the platform's.

    Relative times count from `now` (the moment the follow-up is counted from: the
    write path gives the contact's time) in the user's zone; a bare day is taken at
    09:00.
    Returns an aware datetime in UTC.
    """
    from dateutil import parser as dateparser
    from dateutil.relativedelta import relativedelta

    cleaned = " ".join(text.strip().lower().split())
    here = now.astimezone(local)
    if not cleaned:
        raise InputError(f"empty follow-up; expected {FOLLOW_UP_FORMS}")
    match = _RELATIVE.fullmatch(cleaned)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        if amount < 1:
            raise _unreadable(text)
        if unit.startswith("b"):
            return expected_by(now, Window(amount, Unit.business_days), calendar)
        step = {
            "w": relativedelta(weeks=amount),
            "d": relativedelta(days=amount),
            "h": relativedelta(hours=amount),
            "m": relativedelta(minutes=amount),
        }[unit[0]]
        naive = here.replace(tzinfo=None) + step
        return naive.replace(tzinfo=local).astimezone(UTC)
    day: date | None = None
    rest = cleaned
    for word, offset in (("today", 0), ("tomorrow", 1)):
        if cleaned == word or cleaned.startswith(word + " "):
            day = here.date() + timedelta(days=offset)
            rest = cleaned[len(word) :].strip()
    weekday = re.fullmatch(r"(?:next\s+)?(" + "|".join(_WEEKDAYS) + r")(?:\s+(.*))?", cleaned)
    if weekday:
        target = _WEEKDAYS.index(weekday.group(1))
        ahead = (target - here.weekday()) % 7 or 7
        day = here.date() + timedelta(days=ahead)
        rest = weekday.group(2) or ""
    try:
        if day is not None:
            at = (
                DEFAULT_TIME
                if not rest
                else dateparser.parse(rest, default=datetime.combine(day, DEFAULT_TIME)).time()
            )
            return datetime.combine(day, at, tzinfo=local).astimezone(UTC)
        parsed = dateparser.parse(cleaned, default=datetime.combine(here.date(), DEFAULT_TIME))
    except (dateparser.ParserError, ValueError, OverflowError):
        raise InputError(
            f"cannot read the follow-up {text!r}; expected {FOLLOW_UP_FORMS}"
        ) from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        parsed = parsed.replace(tzinfo=local)
    return parsed.astimezone(UTC)


def _unreadable(text: str) -> InputError:
    return InputError(f"cannot read the follow-up {text!r}; expected {FOLLOW_UP_FORMS}")


ESCALATING_CHANNELS = ("complaint", "regulator")
"""Channels whose contact takes a case beyond support's desk."""


def status_of(contacts: Sequence[tuple[str, ContactTimes]]) -> CaseStatus:
    """What a case waits for, from its contacts as (channel, times) pairs: after the
    user's last message, on support (escalated once a complaint or a regulator is
    involved); after support's answer, on the user. Automatic acknowledgements and
    messages from untrusted senders say nothing; no contact at all: open."""
    ordered = sorted(contacts, key=lambda pair: (pair[1].occurred_at, pair[1].id))
    escalated = any(channel in ESCALATING_CHANNELS for channel, _ in ordered)
    for _, contact in reversed(ordered):
        if contact.outbound:
            return CaseStatus.escalated if escalated else CaseStatus.waiting_on_support
        if contact.is_answer:
            return CaseStatus.waiting_on_me
    return CaseStatus.open
