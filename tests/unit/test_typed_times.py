"""Times as people type them: named days, Chinese dates, and no date ever rolled into
another year; a contact's time not in the future, a follow-up not before its contact."""

from __future__ import annotations

import calendar
import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.domain.dates import check_contact_time, parse_when, preview
from recorder.domain.errors import InputError
from recorder.domain.windows import check_follow_up

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tuesday 10:00 in New York


def local(text: str) -> datetime:
    return parse_when(text, now=NOW, local=NEW_YORK).astimezone(NEW_YORK)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", datetime(2026, 11, 23, 0, 0)),
        ("yesterday 3pm", datetime(2026, 11, 23, 15, 0)),
        ("Yesterday, 15:30", datetime(2026, 11, 23, 15, 30)),
        ("today 9:05", datetime(2026, 11, 24, 9, 5)),
        ("last friday 10:00", datetime(2026, 11, 20, 10, 0)),
        ("friday", datetime(2026, 11, 20, 0, 0)),
        ("tue 8am", datetime(2026, 11, 24, 8, 0)),  # a bare weekday: the latest, today
        ("last tuesday", datetime(2026, 11, 17, 0, 0)),
        ("2026年11月19日 09:10", datetime(2026, 11, 19, 9, 10)),
        ("11月19日", datetime(2026, 11, 19, 0, 0)),
        ("昨天 15:00", datetime(2026, 11, 23, 15, 0)),
        ("昨天下午3点半", datetime(2026, 11, 23, 15, 30)),
        ("今天", datetime(2026, 11, 24, 0, 0)),
        ("前天 10:00", datetime(2026, 11, 22, 10, 0)),
        ("上周五 上午10点", datetime(2026, 11, 20, 10, 0)),
        ("周一 9:00", datetime(2026, 11, 23, 9, 0)),  # a bare weekday: the latest
        ("星期天", datetime(2026, 11, 22, 0, 0)),
        ("上个星期二 14:00", datetime(2026, 11, 17, 14, 0)),
        # The form's own preview in Chinese reads back as the same instant.
        ("2026年11月24日周二 10:00 EST", datetime(2026, 11, 24, 10, 0)),
        ("20/11/26", datetime(2026, 11, 20, 0, 0)),
        ("30 Nov 2025", datetime(2025, 11, 30, 0, 0)),
        # A weekday before a date, as emails and the form's own preview write it.
        ("Tue 24 Nov 2026 09:00 EST", datetime(2026, 11, 24, 9, 0)),
        ("Fri, 20 Nov 2026 10:00:00 -0500", datetime(2026, 11, 20, 10, 0)),
        ("Sun 01 Nov 2026 01:30 EDT", datetime(2026, 11, 1, 1, 30, fold=0)),
    ],
)
def test_named_days_and_chinese_dates_are_read(text: str, expected: datetime) -> None:
    assert local(text).replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    "text", ["32 Nov", "Nov 32", "31 Nov", "30 Feb 2026", "32/11", "999", "Nov 2026", "13月5日"]
)
def test_a_day_that_does_not_exist_is_refused_not_rolled_into_a_year(text: str) -> None:
    with pytest.raises(InputError, match="expected '2026-11-20 14:05'"):
        parse_when(text, now=NOW, local=NEW_YORK)


MONTHS = [calendar.month_abbr[m] for m in range(1, 13)]


@given(
    st.integers(1, 35),
    st.integers(1, 12),
    st.one_of(st.none(), st.integers(2001, 2099)),
    st.sampled_from(["{d} {m} {y}", "{m} {d} {y}", "{y}-{mm:02d}-{d:02d}", "{y}年{mm}月{d}日"]),
)
def test_a_date_is_the_date_written_or_refused(
    day: int, month: int, year: int | None, form: str
) -> None:
    """Never a date rolled into another year, month or day: what is read is what was
    written, or the input is refused."""
    shown_year = year if year is not None else 2026
    text = form.format(d=day, m=MONTHS[month - 1], mm=month, y=shown_year)
    if year is None and "{y}-" not in form:
        text = text.replace(" 2026", "").replace("2026年", "")
    valid = day <= calendar.monthrange(shown_year, month)[1]
    if not valid:
        with pytest.raises(InputError):
            parse_when(text, now=NOW, local=NEW_YORK)
        return
    assert local(text).date() == date(shown_year, month, day)


@given(st.integers(0, 23), st.integers(0, 59), st.integers(1, 28))
def test_a_chinese_date_and_time_reads_as_the_same_instant_as_its_iso_form(
    hour: int, minute: int, day: int
) -> None:
    chinese = f"2026年10月{day}日 {hour:02d}:{minute:02d}"
    iso = f"2026-10-{day:02d} {hour:02d}:{minute:02d}"
    assert local(chinese) == local(iso)


def test_a_contact_may_not_be_in_the_future_nor_before_2000_unconfirmed() -> None:
    check_contact_time(NOW + timedelta(seconds=50), now=NOW)  # a clock a little ahead
    with pytest.raises(InputError, match="is in the future"):
        check_contact_time(NOW + timedelta(minutes=2), now=NOW)
    old = datetime(1999, 12, 31, tzinfo=UTC)
    with pytest.raises(InputError, match="before 2000; if it is right, confirm it"):
        check_contact_time(old, now=NOW)
    check_contact_time(old, now=NOW, old_ok=True)


def test_a_follow_up_comes_after_its_contact_and_within_five_years() -> None:
    contact = NOW - timedelta(days=10)
    check_follow_up(NOW - timedelta(days=3), now=NOW, since=contact)  # past: overdue
    with pytest.raises(InputError, match="not after the contact it follows"):
        check_follow_up(contact - timedelta(hours=1), now=NOW, since=contact)
    with pytest.raises(InputError, match="more than 5 years away"):
        check_follow_up(NOW + timedelta(days=6 * 365), now=NOW, since=contact)


def test_a_weekday_that_is_not_the_date_s_own_is_refused() -> None:
    with pytest.raises(InputError, match="names a Monday, but 24 Nov 2026 is a Tuesday"):
        local("Mon 24 Nov 2026 09:00")


def test_the_hour_a_clock_change_repeats_is_read_by_its_abbreviation() -> None:
    first = parse_when("Sun 01 Nov 2026 01:30 EDT", now=NOW, local=NEW_YORK)
    second = parse_when("Sun 01 Nov 2026 01:30 EST", now=NOW, local=NEW_YORK)
    assert second - first == timedelta(hours=1)


ZONES = [
    "America/New_York",
    "Europe/London",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Europe/Istanbul",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "UTC",
]


@settings(max_examples=int(os.environ.get("RECORDER_FUZZ", "300")), deadline=None)
@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2026, 11, 24)),
    st.sampled_from(ZONES),
)
def test_every_time_the_form_previews_reads_back_as_the_instant_it_saves(
    wall: datetime, name: str
) -> None:
    """What the form shows under the field ('= Tue 24 Nov 2026 10:00 EST') is what it
    saves: typed back, or pasted, it is the same instant, in every zone, on the hours
    a clock change repeats too."""
    zone = ZoneInfo(name)
    moment = wall.replace(second=0, microsecond=0, tzinfo=UTC)
    shown = preview(moment, zone)
    assert parse_when(shown, now=NOW, local=zone) == moment, shown
