"""Times on the command line: refused in one line when they cannot be right, read as
people write them otherwise."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from recorder.domain.clock import FixedClock
from tests.helpers import cli

pytestmark = pytest.mark.backends

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tuesday 10:00 in New York


@pytest.fixture
def db(store_url: str) -> str:
    path = store_url
    cli.ok(path, "case", "new", "--platform", "Gemini", "--title", "Frozen account",
           setup=cli.at(FixedClock(NOW)))  # fmt: skip
    return path


def log(db: Path, *more: str) -> tuple[int, str, str]:
    result = cli.run(
        db, "log", "--case", "1", "--channel", "ticket", "--direction", "out", "--text", "Hi",
        "--json", *more, setup=cli.at(FixedClock(NOW, step=timedelta(seconds=1))),
    )  # fmt: skip
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("when", "said"),
    [
        ("32 Nov", "cannot read the date in '32 Nov': no such day"),
        ("tomorrow 9am", "is in the future; a contact is logged once it has happened"),
        ("1999-05-01 10:00", "before 2000; if it is right, confirm it (--old-date"),
    ],
)
def test_a_time_that_cannot_be_right_is_refused_in_one_line(db: Path, when: str, said: str) -> None:
    code, out, err = log(db, "--at", when)
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert said in err


def test_a_confirmed_old_date_is_taken(db: Path) -> None:
    code, out, err = log(db, "--at", "1999-05-01 10:00", "--old-date")
    assert code == 0, err
    assert json.loads(out)["occurred_at"].startswith("1999-05-01T14:00")


def test_yesterday_and_chinese_dates_are_read(db: Path) -> None:
    code, out, _ = log(db, "--at", "yesterday 3pm")
    assert code == 0 and json.loads(out)["occurred_at"] == "2026-11-23T20:00:00+00:00"
    code, out, _ = log(db, "--at", "2026年11月19日 09:10")
    assert code == 0 and json.loads(out)["occurred_at"] == "2026-11-19T14:10:00+00:00"


def test_a_follow_up_typed_as_a_bare_number_is_refused(db: Path) -> None:
    code, _, err = log(db, "--at", "yesterday", "--follow-up", "999")
    assert code != 0
    assert "cannot read the date in '999'" in err or "year 999" in err
    # Counted from the contact's time, as every follow-up is: the day after yesterday.
    code, out, err = log(db, "--at", "yesterday", "--follow-up", "明天 9:00")
    assert code == 0, err
    assert json.loads(out)["expected_by"] == "2026-11-24T14:00:00+00:00"


def test_listings_name_the_zone_once_and_show_years_that_differ(db: Path) -> None:
    log(db, "--at", "2026-11-23 16:00", "--follow-up", "2027-01-05 09:00")
    log(db, "--at", "1999-05-01 10:00", "--old-date")
    setup = cli.at(FixedClock(NOW))
    shown = cli.ok(db, "show", "1", setup=setup)
    assert shown.count("America/New_York") == 1
    assert "EST" not in shown and "UTC" not in shown
    assert "2026-11-23 16:00" in shown and "1999-05-01 10:00" in shown
    listed = cli.ok(db, "list", setup=setup).splitlines()
    assert listed[-1] == "(times in America/New_York)"
    assert "follow up 2027-01-05 09:00" in listed[0]
    due = cli.ok(db, "due", "--within", "60d", setup=setup)
    assert "due 2027-01-05 09:00" in due and due.count("America/New_York") == 1
