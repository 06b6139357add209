"""The escalation clock, as stories at fixed times: each message's own window, the
complaint's time to answer from the rules, the ombudsman's dates wherever they are
due, support's promises, and a labelled default where a platform states no window."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from recorder.domain.clock import FixedClock
from tests.helpers import cli

pytestmark = pytest.mark.backends

CLOCK = FixedClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC), step=timedelta(seconds=1))


@pytest.fixture
def db(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RECORDER_TZ", "UTC")  # times typed and shown in UTC
    return store_url


def at(when: str) -> None:
    """Set the clock: the moment the next commands run (UTC)."""
    CLOCK.at = datetime.fromisoformat(when).replace(tzinfo=UTC)


def run(db: Path, *args: str) -> Result:
    return cli.run(db, *args, setup=cli.at(CLOCK))


def ok(db: Path, *args: str) -> str:
    return cli.ok(db, *args, setup=cli.at(CLOCK))


def log(db: Path, case: str, channel: str, direction: str, when: str, *more: str) -> None:
    """Log a contact at `when` (UTC); the clock moves on to it if it is behind, since a
    contact is logged once it has happened."""
    moment = datetime.fromisoformat(when).replace(tzinfo=UTC)
    CLOCK.at = max(CLOCK.at, moment)
    found = ["--case", case, "--channel", channel, "--direction", direction, "--at", when]
    result = run(db, "log", *found, *more)
    assert result.exit_code == 0, result.stderr


def show(db: Path, case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(db, "show", case, "--json"))
    return data


def uk_case(db: Path) -> str:
    at("2026-11-02 09:00")
    ok(
        db,
        "platform",
        "add",
        "Coinvault",
        "--tz",
        "Europe/London",
        "--holidays",
        "GB-ENG",
        "--window",
        "ticket=5bd",
        "--jurisdiction",
        "UK",
    )
    return ok(
        db, "case", "new", "--platform", "Coinvault", "--title", "ETH withdrawal held"
    ).strip()


def test_follow_up_then_complaint_then_the_ombudsmans_dates(db: Path, tmp_path: Path) -> None:
    case = uk_case(db)
    log(db, case, "ticket", "out", "2026-11-02 10:00", "--ref", "CV-88120", "--text", "Held")
    # The ticket's 5 business days ran out on Monday 9 Nov; the user follows up.
    log(db, case, "ticket", "out", "2026-11-10 10:00", "--text", "Any news on CV-88120?")
    at("2026-11-11 09:00")
    shown = show(db, case)
    # Two unanswered messages, but the follow-up's own window still runs: wait, no
    # complaint yet.
    assert shown["next_follow_up"]["expected_by"] == "2026-11-17T10:00:00+00:00"
    assert shown["next_step"].startswith("Wait: ticket CV-88120 is inside its promised window")
    at("2026-11-18 09:00")
    assert show(db, case)["next_step"] == (
        "2 messages unanswered: file a formal complaint, quoting ticket CV-88120"
    )

    log(db, case, "complaint", "out", "2026-11-18 10:00", "--text", "Formal complaint")
    shown = show(db, case)
    complaint = shown["contacts"][-1]
    # The FCA's eight weeks (DISP 1.6.2R), counted from the complaint.
    assert complaint["expected_by"] == "2027-01-13T10:00:00+00:00"
    assert (complaint["due_basis"], complaint["due_window"]) == ("rule", "56d")
    assert shown["status"] == "escalated"
    assert shown["escalation"]["earliest"] == "2027-01-13T10:00:00+00:00"
    assert "Financial Ombudsman Service" in shown["next_step"]

    # The firm's final response: the Ombudsman from now, within six months.
    log(db, case, "email", "in", "2026-12-01 12:00", "--text", "Our final response: declined.")
    at("2026-12-02 09:00")
    shown = show(db, case)
    assert shown["status"] == "waiting_on_me"
    assert shown["next_follow_up"] is None
    assert shown["escalation"]["earliest"] == "2026-12-01T12:00:00+00:00"
    assert shown["escalation"]["latest"] == "2027-06-01T12:00:00+00:00"
    text = ok(db, "show", case)
    assert "must go there by" in text and "DISP 2.8.2R" in text

    # Nothing waits on support, yet `due` names the last day once it is in range.
    soon = json.loads(ok(db, "due", "--within", "30d", "--json"))
    assert [item["kind"] for item in soon] == ["may_escalate"]
    items = json.loads(ok(db, "due", "--within", "400d", "--json"))
    assert [(i["kind"], i["at"]) for i in items] == [
        ("may_escalate", "2026-12-01T12:00:00+00:00"),
        ("last_day", "2027-06-01T12:00:00+00:00"),
    ]
    assert "Financial Ombudsman Service" in items[1]["next_step"]
    assert "last day" in ok(db, "due", "--within", "400d")

    path = tmp_path / "dates.ics"
    ok(db, "calendar", str(path))
    ics = path.read_text()
    assert f"escalation-case-{case}-latest@recorder" in ics
    assert "Last day to take case" in ics
    assert f"follow-up-case-{case}@recorder" not in ics


def test_gemini_names_the_nydfs_portal_without_inventing_deadlines(db: Path) -> None:
    at("2026-11-02 09:00")
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Account frozen").strip()
    log(db, case, "complaint", "out", "2026-11-02 15:00", "--text", "Formal complaint")
    shown = show(db, case)
    escalation = shown["escalation"]
    assert "NYDFS consumer complaint portal (dfs.ny.gov/complaint)" in escalation["next"]
    assert "dfs.ny.gov/complaint" in escalation["source"]
    assert (escalation["earliest"], escalation["latest"]) == (None, None)
    complaint = shown["contacts"][0]
    # No rule gives the company a time: recorder's default, labelled as such.
    assert (complaint["due_basis"], complaint["due_window"]) == ("default", "30d")
    assert "default wait, the platform states none: 30d" in ok(db, "show", case)


def test_a_promise_in_chinese_sets_the_chase_date(db: Path) -> None:
    at("2026-11-02 09:00")
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "USDC 充值未到账").strip()
    log(db, case, "chat", "out", "2026-11-02 14:00", "--text", "我的充值还没到账")
    # Monday 14:00 UTC is 09:00 in New York: three business days later is Thursday.
    log(db, case, "chat", "in", "2026-11-02 14:05", "--text", "我们会在3个工作日内回复您")
    shown = show(db, case)
    assert shown["status"] == "waiting_on_support"
    assert shown["next_follow_up"]["expected_by"] == "2026-11-05T14:05:00+00:00"
    assert shown["next_step"].startswith("Wait: support promised an answer")
    at("2026-11-06 09:00")
    (item,) = json.loads(ok(db, "due", "--json"))
    assert item["basis"] == "support promised an answer within 3 business days"
    assert item["next_step"].startswith("Support's promised answer is late: follow up")


def test_a_channel_without_a_window_gets_a_labelled_default(db: Path) -> None:
    at("2026-11-02 09:00")
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Card declined").strip()
    log(db, case, "phone", "out", "2026-11-02 15:00", "--text", "Called about the card")
    shown = show(db, case)
    assert shown["status"] == "waiting_on_support"
    assert shown["next_follow_up"]["expected_by"] == "2026-11-04T15:00:00+00:00"
    assert "(default wait, the platform states none: 2 business days)" in ok(db, "show", case)
