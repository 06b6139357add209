"""The follow-up commands through click's runner, on a real store, with a fixed clock."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import Result
from icalendar import Calendar

from recorder.domain.clock import FixedClock
from tests.helpers import cli

pytestmark = pytest.mark.backends

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # Tuesday 10:00 in New York


@pytest.fixture
def db(store_url: str) -> str:
    """Where the store is (a SQLite file, or a PostgreSQL database); `ok` and `run`
    below run every command at NOW."""
    return store_url


def run(db: Path, *args: str, input: str | None = None) -> Result:
    """A command at NOW."""
    return cli.run(db, *args, input=input, setup=cli.at(FixedClock(NOW)))


def ok(db: Path, *args: str) -> str:
    """A command at NOW that must succeed; what it printed."""
    return cli.ok(db, *args, setup=cli.at(FixedClock(NOW)))


def log(db: Path, case: str, channel: str, direction: str, at: str, *more: str) -> str:
    """Log a contact, which must succeed; the new contact's id."""
    found = ["--case", case, "--channel", channel, "--direction", direction, "--at", at]
    return ok(db, "log", *found, *more).strip()


def gemini_case(db: Path) -> str:
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "BTC withdrawal").strip()
    # Friday 20 Nov 10:00 New York: 5 business days skip Thanksgiving, due Monday 30 Nov.
    log(
        db,
        case,
        "ticket",
        "out",
        "2026-11-20 10:00",
        "--ref",
        "4815162",
        "--text",
        "Withdrawal pending",
    )
    return case


def test_show_json_has_due_times_answers_and_the_next_follow_up(db: Path) -> None:
    case = gemini_case(db)
    log(
        db,
        case,
        "email",
        "in",
        "2026-11-20 10:01",
        "--auto-ack",
        "--text",
        "We received your request",
    )
    shown = json.loads(ok(db, "show", case, "--json"))
    ticket, ack = shown["contacts"]
    assert ticket["expected_by"] == "2026-11-30T15:00:00+00:00"
    assert ticket["answered_by"] is None
    assert ack["expected_by"] is None
    assert shown["next_follow_up"] == {
        "contact_id": ticket["id"],
        "expected_by": "2026-11-30T15:00:00+00:00",
        "overdue": False,
    }
    assert shown["escalation"] is None

    log(db, case, "email", "in", "2026-11-23 09:00", "--agent", "Sam", "--text", "Looking into it")
    shown = json.loads(ok(db, "show", case, "--json"))
    assert shown["contacts"][0]["answered_by"] == shown["contacts"][2]["id"]
    assert shown["next_follow_up"] is None


def test_list_json_marks_overdue_cases(db: Path) -> None:
    case = gemini_case(db)
    log(db, case, "chat", "out", "2026-11-24 08:00", "--text", "Anyone there?")
    (listed,) = json.loads(ok(db, "list", "--json"))
    assert listed["overdue"] is True  # chat answered within 10 minutes, promised
    assert listed["next_follow_up"]["expected_by"] == "2026-11-24T13:10:00+00:00"


def test_due_lists_follow_ups_earliest_first_with_the_next_step(db: Path) -> None:
    first = gemini_case(db)
    second = ok(db, "case", "new", "--platform", "Generic", "--title", "Login fails").strip()
    log(db, second, "chat", "out", "2026-11-24 08:00", "--text", "Cannot log in")
    items = json.loads(ok(db, "due", "--within", "2d", "--json"))
    assert [i["case_id"] for i in items] == [int(second)]  # the ticket is due in 6 days
    assert items[0]["overdue"] is True
    assert "Follow up on the same chat" in items[0]["next_step"]
    items = json.loads(ok(db, "due", "--json"))  # within 7 days
    assert [i["case_id"] for i in items] == [int(second), int(first)]
    assert items[1]["next_step"].startswith("Wait: ticket 4815162 is inside its promised window")
    assert "OVERDUE" in ok(db, "due")


def test_after_unanswered_follow_ups_due_suggests_a_complaint(db: Path) -> None:
    case = gemini_case(db)
    log(
        db,
        case,
        "ticket",
        "out",
        "2026-11-20 11:00",
        "--ref",
        "4815162",
        "--follow-up",
        "2026-11-23 09:00",
        "--text",
        "Following up",
    )
    (item,) = json.loads(ok(db, "due", "--json"))
    assert item["unanswered"] == 2 and item["overdue"] is True
    assert item["next_step"] == (
        "2 messages unanswered: file a formal complaint, quoting ticket 4815162"
    )


def test_show_and_due_give_the_same_next_step(db: Path) -> None:
    case = gemini_case(db)
    log(db, case, "ticket", "out", "2026-11-20 11:00", "--ref", "4815162", "--text", "Again")
    shown = json.loads(ok(db, "show", case, "--json"))
    (item,) = json.loads(ok(db, "due", "--json"))
    assert shown["next_step"] == item["next_step"]
    assert shown["next_step"].startswith("Wait: ticket 4815162 is inside its promised window")
    assert f"next step: {shown['next_step']}" in ok(db, "show", case)
    log(db, case, "email", "in", "2026-11-23 09:00", "--agent", "Sam", "--text", "On it")
    assert json.loads(ok(db, "show", case, "--json"))["next_step"] is None
    assert "next step" not in ok(db, "show", case)


def test_a_follow_up_counts_from_the_contacts_time_not_from_now(db: Path) -> None:
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "BTC withdrawal").strip()
    # Logged on Tuesday 24 Nov about a ticket sent on Friday 20 Nov at 10:00 New York:
    # three business days from then are Mon, Tue, Wed (from now it would be after
    # Thanksgiving).
    contact = log(
        db, case, "ticket", "out", "2026-11-20 10:00", "--follow-up", "in 3 business days"
    )
    shown = json.loads(ok(db, "show", case, "--json"))
    (ticket,) = [c for c in shown["contacts"] if c["id"] == int(contact)]
    assert ticket["expected_by"] == "2026-11-25T15:00:00+00:00"
    later = log(db, case, "email", "out", "2026-11-23 08:00", "--follow-up", "+2d")
    shown = json.loads(ok(db, "show", case, "--json"))
    (email,) = [c for c in shown["contacts"] if c["id"] == int(later)]
    assert email["expected_by"] == "2026-11-25T13:00:00+00:00"


def test_a_complaint_puts_the_case_on_its_ladder(db: Path) -> None:
    ok(
        db,
        "platform",
        "add",
        "Monzo",
        "--tz",
        "Europe/London",
        "--holidays",
        "GB",
        "--jurisdiction",
        "uk",
        "--window",
        "complaint=56d",
    )
    case = ok(db, "case", "new", "--platform", "Monzo", "--title", "Card payment disputed")
    log(db, case.strip(), "complaint", "out", "2026-10-01 12:00", "--text", "Formal complaint")
    shown = json.loads(ok(db, "show", case.strip(), "--json"))
    assert shown["escalation"]["rung"] == "Complaint to the firm"
    assert shown["escalation"]["earliest"] == "2026-11-26T16:00:00+00:00"  # 8 weeks
    assert shown["escalation"]["latest"] is None  # no final response yet
    assert "DISP 1.6.2R" in shown["escalation"]["source"]
    log(db, case.strip(), "email", "in", "2026-11-10 12:00", "--text", "Our final response")
    shown = json.loads(ok(db, "show", case.strip(), "--json"))
    assert shown["escalation"]["earliest"] == "2026-11-10T17:00:00+00:00"
    assert shown["escalation"]["latest"] == "2027-05-10T17:00:00+00:00"  # 6 months


def test_calendar_writes_entries_with_stable_uids(db: Path, tmp_path: Path) -> None:
    case = gemini_case(db)
    target = tmp_path / "follow-ups.ics"
    ok(db, "calendar", str(target))
    parsed = Calendar.from_ical(target.read_bytes())
    events = list(parsed.walk("VEVENT"))
    assert [str(e["uid"]) for e in events] == [f"follow-up-case-{case}@recorder"]
    assert events[0].decoded("dtstart") == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert "4815162" in str(events[0]["summary"])
    ok(db, "calendar", str(target))  # written again: the same entry, updated in place
    again = list(Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert [str(e["uid"]) for e in again] == [str(e["uid"]) for e in events]


def test_stats_measures_answers_against_the_promise(db: Path) -> None:
    case = gemini_case(db)
    log(db, case, "email", "in", "2026-11-23 10:00", "--text", "Answer")
    log(db, case, "email", "out", "2026-11-23 11:00", "--text", "Thanks, but")
    log(db, case, "email", "in", "2026-11-24 09:00", "--text", "Answer two")
    stats = {(s["platform"], s["channel"]): s for s in json.loads(ok(db, "stats", "--json"))}
    ticket = stats[("Gemini", "ticket")]
    assert (ticket["count"], ticket["answered"], ticket["median_hours"]) == (1, 1, 72.0)
    assert ticket["within_window"] == 1.0
    email = stats[("Gemini", "email")]
    assert (email["median_hours"], email["within_window"]) == (22.0, 1.0)


def test_platform_edit_moves_due_times(db: Path) -> None:
    case = gemini_case(db)
    ok(db, "platform", "edit", "gemini", "--window", "ticket=1bd")
    assert json.loads(ok(db, "show", case, "--json"))["next_follow_up"]["overdue"] is True
    shown = json.loads(ok(db, "platform", "show", "gemini", "--json"))
    assert shown["windows"]["ticket"] == "1 business day"
    assert shown["jurisdiction"] == "US-NY"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["due", "--within", "5bd"], "expected elapsed time such as 7d"),
        (["platform", "edit", "gemini", "--holidays", "XX"], "unknown holiday country"),
        (["platform", "edit", "gemini", "--jurisdiction", "mars"], "unknown jurisdiction"),
        (["platform", "edit", "gemini", "--closed", "soon"], "expected YYYY-MM-DD"),
        (
            [
                "log",
                "--case",
                "1",
                "--channel",
                "chat",
                "--direction",
                "out",
                "--follow-up",
                "whenever",
            ],
            "expected 'in 3 business days'",
        ),
    ],
)
def test_bad_follow_up_input_is_one_line(db: Path, args: list[str], message: str) -> None:
    gemini_case(db)
    before = ok(db, "db", "verify", "--json")
    result = run(db, *args)
    assert result.exit_code == 1 and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert json.loads(ok(db, "db", "verify", "--json"))["rows"] == json.loads(before)["rows"]
