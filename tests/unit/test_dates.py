"""Reading the times users type, in their time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recorder.domain.dates import local_zone, parse_when, zone
from recorder.domain.errors import InputError

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-20 14:05", datetime(2026, 11, 20, 19, 5, tzinfo=UTC)),
        ("20 Nov 2026 2:05pm", datetime(2026, 11, 20, 19, 5, tzinfo=UTC)),
        ("2026-11-20T14:05:00+01:00", datetime(2026, 11, 20, 13, 5, tzinfo=UTC)),
        ("2026-07-01 09:00", datetime(2026, 7, 1, 13, 0, tzinfo=UTC)),  # summer time
        ("14:05", datetime(2026, 11, 24, 19, 5, tzinfo=UTC)),  # today, local
        ("now", NOW),
    ],
)
def test_reads_times_in_the_users_zone(text: str, expected: datetime) -> None:
    assert parse_when(text, now=NOW, local=NEW_YORK) == expected


@pytest.mark.parametrize("text", ["", "   ", "yesterday-ish", "the 45th of Smarch", "99:99"])
def test_refuses_what_it_cannot_read_and_lists_the_forms(text: str) -> None:
    with pytest.raises(InputError, match="expected '2026-11-20 14:05'"):
        parse_when(text, now=NOW, local=NEW_YORK)


def test_result_is_aware_utc() -> None:
    result = parse_when("2026-03-08 12:00", now=NOW, local=NEW_YORK)
    assert result.tzinfo is UTC


def test_recorder_tz_names_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECORDER_TZ", "Asia/Shanghai")
    assert local_zone() == ZoneInfo("Asia/Shanghai")
    monkeypatch.setenv("RECORDER_TZ", "Mars/Olympus")
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'"):
        local_zone()


def test_zone_refuses_unknown_names() -> None:
    assert zone("Europe/London").key == "Europe/London"
    with pytest.raises(InputError, match="expected an IANA name"):
        zone("Not/AZone")


@given(
    st.datetimes(
        min_value=datetime(1971, 1, 1),
        max_value=datetime(2099, 12, 30),  # the years recorder takes (EARLIEST/LATEST_YEAR)
        timezones=st.just(UTC),
    ),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_any_iso_time_with_offset_reads_back_as_the_same_instant(
    moment: datetime, offset_minutes: int
) -> None:
    shown = moment.astimezone(timezone(timedelta(minutes=offset_minutes)))
    assert parse_when(shown.isoformat(), now=NOW, local=NEW_YORK) == moment


def test_the_system_zone_is_found_by_its_iana_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECORDER_TZ", raising=False)
    monkeypatch.setenv("TZ", "Europe/Berlin")
    assert local_zone() == ZoneInfo("Europe/Berlin")
    monkeypatch.setenv("TZ", ":Asia/Tokyo")
    assert local_zone() == ZoneInfo("Asia/Tokyo")


def test_a_system_zone_without_an_iana_name_falls_back_to_dateutil(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dateutil import tz

    monkeypatch.delenv("RECORDER_TZ", raising=False)
    monkeypatch.setenv("TZ", "not/a zone")
    monkeypatch.setattr("os.path.realpath", lambda path: "/somewhere/else")
    assert isinstance(local_zone(), tz.tzlocal)
