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
- A conversation (a chat split into turns, recorder.domain.transcripts) is answered
  in itself when support spoke after the user's last turn: never late, and an answer to
  the user's earlier messages; when the user spoke last it waits like a message sent.
- An inbound contact (or a conversation) may carry a promise ("we will update you
  within 3 business days"): its expected-by is when support said it would come back,
  kept until a later answer.
- Each message has its own clock. A case's next follow-up is the due time of the
  latest message still waiting (an unanswered outbound contact or an unkept promise):
  writing again restarts the wait. It is overdue once passed; a case waiting on the
  user, resolved or closed has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo

from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _
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

DEFAULT_WINDOWS = {
    "help_center": "10 business days",
    "chat": "1h",
    "ticket": "10 business days",
    "email": "5 business days",
    "phone": "2 business days",
    "social": "3d",
    "complaint": "30d",
    "regulator": "30d",
}
"""The wait recorder assumes on a channel for which the platform states no window and
no rule gives one: the conservative windows of the built-in "Generic" platform, two
business days for a call, a month for a complaint or a regulator. Every date from
them is labelled a default."""


class DueBasis(StrEnum):
    """Where a contact's due time comes from; shown beside the date."""

    window = "window"
    """The platform's promised window for the channel."""
    rule = "rule"
    """The jurisdiction's rule for complaints (recorder/domain/escalation.toml)."""
    default = "default"
    """recorder's default for a channel without a window (`DEFAULT_WINDOWS`)."""
    promise = "promise"
    """Support's own words in an inbound message ("within 3 business days")."""


WINDOW_FORMS = N_("'10m', '72h', '3d' or '5 business days' ('5bd')")


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
        raise InputError(
            _("cannot read the window {text!r}; expected {forms}").format(
                text=text, forms=_(WINDOW_FORMS)
            )
        )
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
    """Outbound: when its answer is due. Inbound: when support promised to come back."""
    follow_up_at: datetime | None = None
    """A time the user set by hand; it wins over `expected_by`."""
    trusted: bool = True
    """For an inbound contact: whether its sender may speak for the platform (no sender
    finding, or the user trusts it)."""
    conversation: bool = False
    """A conversation (a chat split into turns): its own turns say who spoke last."""
    answered_in_session: bool = False
    """For a conversation: support answered the user's last turn in it."""

    @property
    def waits(self) -> bool:
        """Whether it is the user's word waiting for support's: an outbound message, or
        a conversation in which the user spoke last."""
        if self.conversation:
            return not self.answered_in_session
        return self.outbound

    @property
    def is_answer(self) -> bool:
        """Whether this is support's answer: inbound (or a conversation support
        answered in), not automatic, from a trusted sender. Only an answer meets a
        window."""
        if self.auto_ack or not self.trusted:
            return False
        return self.answered_in_session if self.conversation else not self.outbound

    @property
    def due(self) -> datetime | None:
        """When the user should act if no answer came."""
        return self.follow_up_at or self.expected_by

    @property
    def promises(self) -> bool:
        """Whether this is support promising to come back by a time (`expected_by`):
        support's word (automatic or not, or in a conversation), from a trusted sender."""
        return (
            not self.waits
            and self.trusted
            and self.due is not None
            and (self.conversation or not self.outbound)
        )


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
        if contact.waits:
            answered[contact.id] = None
            waiting.append(contact.id)
        elif contact.is_answer:
            for contact_id in waiting:
                answered[contact_id] = contact.id
            waiting.clear()
            if contact.outbound:  # a conversation: answered in itself
                answered[contact.id] = contact.id
    return answered


def waiting(contacts: Sequence[ContactTimes]) -> list[ContactTimes]:
    """The messages still waiting on support, in time order: outbound contacts not yet
    answered, and promises no answer has come after."""
    answered = answers(contacts)
    ordered = sorted(contacts, key=lambda c: (c.occurred_at, c.id))
    last_answer = max((c.occurred_at for c in ordered if c.is_answer), default=None)
    return [
        c
        for c in ordered
        if (c.waits and answered.get(c.id) is None)
        or (c.promises and (last_answer is None or last_answer <= c.occurred_at))
    ]


def next_follow_up(contacts: Sequence[ContactTimes], status: CaseStatus) -> FollowUp | None:
    """The due time of the latest message still waiting (`waiting`) that has one: each
    message has its own clock, and writing again restarts the wait."""
    if status in NO_FOLLOW_UP:
        return None
    for contact in reversed(waiting(contacts)):
        if contact.due is not None:
            return FollowUp(contact.id, contact.due)
    return None


FOLLOW_UP_FORMS = N_(
    "'in 3 business days', '3bd', '+2d', '+4h', 'in 2 days', 'tomorrow 9am', "
    "'next monday', or a date such as '2026-12-01 10:00'"
)
DEFAULT_TIME = time(9, 0)
"""The time of day a follow-up given as a day ("tomorrow", "next monday") is set to."""

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

    from recorder.domain.dates import check_date_written, checked_moment, named_day
    from recorder.domain.dates import normalise_time_text as normalise

    cleaned = normalise(text).lower()
    here = now.astimezone(local)
    if not cleaned:
        raise InputError(_("empty follow-up; expected {forms}").format(forms=_(FOLLOW_UP_FORMS)))
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
        return checked_moment(naive, text, local)
    day, rest = named_day(cleaned, here.date(), past=False)
    default = datetime.combine(here.date() if day is None else day, DEFAULT_TIME)
    try:
        typed = cleaned if day is None else rest or DEFAULT_TIME.isoformat()
        parsed = dateparser.parse(typed, default=default)
    except (dateparser.ParserError, ValueError, OverflowError):
        raise InputError(
            _("cannot read the follow-up {text!r}; expected {forms}").format(
                text=text, forms=_(FOLLOW_UP_FORMS)
            )
        ) from None
    if day is not None and parsed.date() != day:
        raise _unreadable(text)
    if day is None:
        check_date_written(cleaned, parsed, default, text)
    return checked_moment(parsed, text, local)


FOLLOW_UP_YEARS = 5
"""How far ahead a follow-up may be: further is a typing mistake ("999")."""


def check_follow_up(at: datetime, *, now: datetime, since: datetime) -> None:
    """Refuse a follow-up that is not after the contact it follows (`since`), or more
    than FOLLOW_UP_YEARS from now: both are typing mistakes ("999" read as a year).

    A follow-up already past is taken: a contact logged after the fact may carry the
    follow-up the user had set then, which shows as overdue."""
    if at <= since:
        raise InputError(
            _(
                "the follow-up {at:%Y-%m-%d %H:%M} UTC is not after the contact it "
                "follows ({since:%Y-%m-%d %H:%M} UTC); expected a later time"
            ).format(at=at, since=since)
        )
    if at > now + timedelta(days=365 * FOLLOW_UP_YEARS):
        raise InputError(
            _(
                "the follow-up {at:%Y-%m-%d} is more than {years} years "
                "away; expected a nearer time"
            ).format(at=at, years=FOLLOW_UP_YEARS)
        )


def _unreadable(text: str) -> InputError:
    return InputError(
        _("cannot read the follow-up {text!r}; expected {forms}").format(
            text=text, forms=_(FOLLOW_UP_FORMS)
        )
    )


ESCALATING_CHANNELS = ("complaint", "regulator")
"""Channels whose contact takes a case beyond support's desk."""


def status_of(contacts: Sequence[tuple[str, ContactTimes]]) -> CaseStatus:
    """What a case waits for, from its contacts as (channel, times) pairs: after the
    user's last message, or support's promise to come back, on support (escalated once
    a complaint or a regulator is involved); after support's answer, on the user.
    Automatic acknowledgements without a promise and messages from untrusted senders
    say nothing; no contact at all: open."""
    ordered = sorted(contacts, key=lambda pair: (pair[1].occurred_at, pair[1].id))
    escalated = any(channel in ESCALATING_CHANNELS for channel, _ in ordered)
    on_support = CaseStatus.escalated if escalated else CaseStatus.waiting_on_support
    for _channel, contact in reversed(ordered):
        if contact.waits or contact.promises:
            return on_support
        if contact.is_answer:
            return CaseStatus.waiting_on_me
    return CaseStatus.open
