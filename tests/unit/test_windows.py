"""Response windows: reading them, and the rules of due dates and follow-ups."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from recorder.domain.errors import InputError
from recorder.domain.vocabulary import CaseStatus
from recorder.domain.windows import (
    Calendar,
    ContactTimes,
    Unit,
    Window,
    answers,
    expected_by,
    next_follow_up,
    parse_follow_up,
    parse_window,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10m", Window(10, Unit.minutes)),
        ("72h", Window(72, Unit.hours)),
        ("3d", Window(3, Unit.days)),
        ("5bd", Window(5, Unit.business_days)),
        ("5 business days", Window(5, Unit.business_days)),
        ("1 Business Day", Window(1, Unit.business_days)),
        (" 24 hours ", Window(24, Unit.hours)),
        ("30 min", Window(30, Unit.minutes)),
    ],
)
def test_reads_the_forms_platforms_use(text: str, expected: Window) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "72", "h72", "0h", "5 weeks", "-3d", "3.5h"])
def test_refuses_anything_else_and_says_what_is_expected(text: str) -> None:
    with pytest.raises(InputError, match="expected '10m', '72h', '3d' or '5 business days'"):
        parse_window(text)


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(list(Unit)))
def test_the_written_form_reads_back_the_same(amount: int, unit: Unit) -> None:
    window = Window(amount, unit)
    assert parse_window(str(window)) == window


# The rules of issue 4, with fixed dates.

NY = ZoneInfo("America/New_York")
US_2026 = frozenset(
    {
        date(2026, 1, 1),
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 5, 25),
        date(2026, 6, 19),
        date(2026, 7, 3),
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 11),
        date(2026, 11, 26),
        date(2026, 12, 25),
        date(2027, 1, 1),
    }
)
GEMINI = Calendar(NY, US_2026)


def ny(*args: int) -> datetime:
    return datetime(*args, tzinfo=NY)  # type: ignore[misc]


def test_elapsed_hours_are_exact_across_the_spring_change() -> None:
    # 72h from 2026-03-07 12:00 EST is 2026-03-10 13:00 EDT: one hour of the clock vanished.
    due = expected_by(ny(2026, 3, 7, 12, 0), parse_window("72h"), GEMINI)
    assert due == ny(2026, 3, 10, 13, 0)
    assert due.astimezone(NY).strftime("%H:%M %Z") == "13:00 EDT"


def test_business_days_keep_the_local_time_across_the_spring_change() -> None:
    # A Gemini ticket on Friday 2026-03-06 10:00 plus 3 business days: Wednesday 10:00 EDT.
    due = expected_by(ny(2026, 3, 6, 10, 0), parse_window("3bd"), GEMINI)
    assert due == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)


def test_business_days_keep_the_local_time_across_the_autumn_change() -> None:
    due = expected_by(ny(2026, 10, 30, 16, 30), parse_window("2 business days"), GEMINI)
    assert due.astimezone(NY) == ny(2026, 11, 3, 16, 30)  # Fri -> Mon 2, Tue 3 (EST)
    assert due == datetime(2026, 11, 3, 21, 30, tzinfo=UTC)


def test_a_saturday_contact_counts_monday_as_day_one() -> None:
    due = expected_by(ny(2026, 3, 14, 15, 0), parse_window("1bd"), GEMINI)
    assert due.astimezone(NY) == ny(2026, 3, 16, 15, 0)
    assert expected_by(ny(2026, 3, 15, 9, 0), parse_window("3bd"), GEMINI).astimezone(NY) == ny(
        2026, 3, 18, 9, 0
    )


def test_christmas_and_new_year_are_skipped() -> None:
    # Wed 23 Dec + 5bd: 24 (1), 25 holiday, 28 (2), 29 (3), 30 (4), 31 (5).
    assert expected_by(ny(2026, 12, 23, 11, 0), parse_window("5bd"), GEMINI).astimezone(NY) == ny(
        2026, 12, 31, 11, 0
    )
    # Thu 31 Dec + 1bd: Fri 1 Jan is a holiday, so Monday 4 Jan.
    assert expected_by(ny(2026, 12, 31, 11, 0), parse_window("1bd"), GEMINI).astimezone(NY) == ny(
        2027, 1, 4, 11, 0
    )


def test_thanksgiving_and_the_users_own_closed_dates() -> None:
    mine = Calendar(NY, US_2026 | {date(2026, 11, 27)})
    # Wed 25 Nov + 1bd: Thanksgiving 26, the user's closed 27, weekend: Monday 30.
    assert expected_by(ny(2026, 11, 25, 9, 0), parse_window("1bd"), mine).astimezone(NY) == ny(
        2026, 11, 30, 9, 0
    )


def test_business_days_are_counted_in_the_platforms_zone_not_the_users() -> None:
    # Friday 23:30 in New York is already Saturday in London; the platform's day counts.
    at = ny(2026, 3, 13, 23, 30)
    due = expected_by(at, parse_window("1bd"), GEMINI)
    assert due.astimezone(NY) == ny(2026, 3, 16, 23, 30)
    london = Calendar(ZoneInfo("Europe/London"))
    assert expected_by(at, parse_window("1bd"), london).astimezone(ZoneInfo("Europe/London")) == (
        datetime(2026, 3, 16, 3, 30, tzinfo=ZoneInfo("Europe/London"))
    )


def _contact(
    id: int, hours: float, outbound: bool, *, ack: bool = False, due: float | None = None
) -> ContactTimes:
    start = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    return ContactTimes(
        id=id,
        outbound=outbound,
        occurred_at=start + timedelta(hours=hours),
        auto_ack=ack,
        expected_by=None if due is None else start + timedelta(hours=due),
    )


def test_an_answer_answers_every_earlier_outbound_contact() -> None:
    contacts = [
        _contact(1, 0, True, due=72),
        _contact(2, 1, False, ack=True),  # "we received your request": answers nothing
        _contact(3, 5, True, due=80),
        _contact(4, 30, False),
        _contact(5, 40, True, due=112),
    ]
    assert answers(contacts) == {1: 4, 3: 4, 5: None}
    follow = next_follow_up(contacts, CaseStatus.waiting_on_support)
    assert follow is not None and follow.contact_id == 5
    assert follow.expected_by == datetime(2026, 11, 7, 4, 0, tzinfo=UTC)
    assert follow.overdue(datetime(2026, 11, 8, tzinfo=UTC))
    assert not follow.overdue(datetime(2026, 11, 6, tzinfo=UTC))


def test_the_latest_unanswered_message_sets_the_clock_and_a_hand_set_time_wins() -> None:
    # Each message has its own window; writing again restarts the wait, so the next
    # follow-up is the latest message's, even when an earlier one is due sooner.
    contacts = [_contact(1, 0, True, due=10), _contact(2, 2, True, due=72)]
    follow = next_follow_up(contacts, CaseStatus.open)
    assert follow is not None and follow.contact_id == 2
    assert follow.expected_by == contacts[1].expected_by
    later = contacts[1].occurred_at + timedelta(hours=1)
    by_hand = ContactTimes(
        3,
        True,
        later,
        expected_by=later + timedelta(hours=72),
        follow_up_at=later + timedelta(hours=1),
    )
    follow = next_follow_up([*contacts, by_hand], CaseStatus.open)
    assert follow is not None and follow.contact_id == 3
    assert follow.expected_by == later + timedelta(hours=1)


def test_no_follow_up_while_waiting_on_me_resolved_or_closed() -> None:
    contacts = [_contact(1, 0, True, due=72)]
    for status in (CaseStatus.waiting_on_me, CaseStatus.resolved, CaseStatus.closed):
        assert next_follow_up(contacts, status) is None
    assert next_follow_up(contacts, CaseStatus.escalated) is not None
    assert next_follow_up([_contact(1, 0, True)], CaseStatus.open) is None  # no window


NOW_NY = ny(2026, 11, 24, 15, 0)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in 3 business days", ny(2026, 11, 30, 15, 0)),  # Thanksgiving and the weekend
        ("3bd", ny(2026, 11, 30, 15, 0)),
        ("+2d", ny(2026, 11, 26, 15, 0)),
        ("+4h", ny(2026, 11, 24, 19, 0)),
        ("in 2 days", ny(2026, 11, 26, 15, 0)),
        ("in 1 week", ny(2026, 12, 1, 15, 0)),
        ("tomorrow 9am", ny(2026, 11, 25, 9, 0)),
        ("tomorrow", ny(2026, 11, 25, 9, 0)),
        ("today 5pm", ny(2026, 11, 24, 17, 0)),
        ("next monday", ny(2026, 11, 30, 9, 0)),
        ("friday 14:00", ny(2026, 11, 27, 14, 0)),
        ("next tuesday", ny(2026, 12, 1, 9, 0)),
        ("2026-12-01 10:00", ny(2026, 12, 1, 10, 0)),
        ("1 Dec 2026", ny(2026, 12, 1, 9, 0)),
    ],
)
def test_follow_up_expressions(text: str, expected: datetime) -> None:
    assert parse_follow_up(text, now=NOW_NY, local=NY, calendar=GEMINI) == expected


@pytest.mark.parametrize("text", ["", "soonish", "+0d", "in 3 fortnights", "next blursday"])
def test_unreadable_follow_ups_list_the_accepted_forms(text: str) -> None:
    with pytest.raises(InputError, match="expected 'in 3 business days', '3bd', '\\+2d'"):
        parse_follow_up(text, now=NOW_NY, local=NY, calendar=GEMINI)


days = st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 1))
counts = st.integers(min_value=1, max_value=40)


@given(days, counts)
def test_business_days_never_land_on_a_weekend_or_holiday(day: date, n: int) -> None:
    assert GEMINI.is_business_day(GEMINI.add_business_days(day, n))


@given(days, counts, counts)
def test_adding_business_days_is_monotone(day: date, n: int, m: int) -> None:
    assume(n < m)
    assert GEMINI.add_business_days(day, n) < GEMINI.add_business_days(day, m)


@given(days, counts, counts)
def test_adding_n_then_m_is_adding_n_plus_m(day: date, n: int, m: int) -> None:
    assert GEMINI.add_business_days(GEMINI.add_business_days(day, n), m) == (
        GEMINI.add_business_days(day, n + m)
    )


@given(
    st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 1), timezones=st.just(NY)
    ),
    counts,
)
def test_a_business_day_window_ends_at_the_same_local_time(at: datetime, n: int) -> None:
    due = expected_by(at, parse_window(f"{n}bd"), GEMINI).astimezone(NY)
    assert GEMINI.is_business_day(due.date())
    assume(at.astimezone(NY).fold == 0)
    local = at.astimezone(NY)
    # Except inside the skipped hour of the spring change, the wall-clock time is kept.
    if due.utcoffset() == NY.utcoffset(datetime.combine(due.date(), local.time())):
        assert due.time() == local.time()
