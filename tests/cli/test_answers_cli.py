"""Who answered, and when: stories from a crypto exchange's support, at fixed times.

Only the platform answers (a phishing reply does not clear an overdue ticket), an
automatic acknowledgement answers nothing, and a case's status follows the facts
unless the user has set it since.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import Result

from recorder.domain.clock import FixedClock
from tests.helpers import cli

pytestmark = pytest.mark.backends

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # Tuesday 10:00 in New York


CLOCK = FixedClock(NOW, step=timedelta(seconds=1))
"""One clock for every command of a test, moving a second a reading, as time does."""


@pytest.fixture
def db(store_url: str) -> str:
    CLOCK.at = NOW
    return store_url


def run(db: Path, *args: str) -> Result:
    return cli.run(db, *args, setup=cli.at(CLOCK))


def ok(db: Path, *args: str) -> str:
    return cli.ok(db, *args, setup=cli.at(CLOCK))


def log(db: Path, case: str, channel: str, direction: str, at: str, *more: str) -> Result:
    """`recorder log` of one contact in `case`, which must succeed (warnings aside)."""
    found = ["--case", case, "--channel", channel, "--direction", direction, "--at", at]
    result = run(db, "log", *found, *more)
    assert result.exit_code == 0, result.stderr
    return result


def ticket_case(db: Path) -> str:
    """A Gemini case whose ticket of Monday 23 Nov (5 business days) is overdue."""
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "BTC withdrawal").strip()
    log(
        db,
        case,
        "ticket",
        "out",
        "2026-11-23 10:00",
        "--ref",
        "4815162",
        "--text",
        "Withdrawal pending",
    )
    return case


def inbound(db: Path, case: str, *more: str) -> Result:
    return log(db, case, "email", "in", "2026-12-01 09:00", *more)


def test_a_phishing_reply_does_not_answer_an_overdue_ticket(db: Path) -> None:
    case = ticket_case(db)
    (due,) = json.loads(ok(db, "due", "--json"))
    assert due["overdue"] is True
    result = inbound(
        db,
        case,
        "--address",
        "Gemini Security <security@gemini-support.com>",
        "--text",
        "Your withdrawal is on hold: verify at https://gemini.com.security-check.io",
    )
    assert result.exit_code == 0, result.stderr
    warning = result.stderr.strip()
    assert "warning" in warning and "\n" not in warning
    assert "gemini-support.com is not one of Gemini's official domains" in warning
    assert "--trust-sender" in warning

    (still_due,) = json.loads(ok(db, "due", "--json"))
    assert still_due["case_id"] == int(case) and still_due["overdue"] is True
    shown = json.loads(ok(db, "show", case, "--json"))
    ticket, phish = shown["contacts"]
    assert ticket["answered_by"] is None
    assert {f["kind"] for f in phish["sender_findings"]} >= {
        "not_official",
        "official_name_elsewhere",
        "display_name",
    }
    assert phish["sender_trusted"] is False
    assert shown["status"] == "waiting_on_support"
    assert "⚠ not from the platform's official domains" in ok(db, "show", case)

    # The user knows better: trusted, it answers the ticket.
    ok(db, "contact", "edit", str(phish["id"]), "--trust-sender")
    shown = json.loads(ok(db, "show", case, "--json"))
    assert shown["contacts"][0]["answered_by"] == phish["id"]
    assert shown["status"] == "waiting_on_me"
    assert json.loads(ok(db, "due", "--json")) == []


def test_an_answer_from_the_official_domain_answers(db: Path) -> None:
    case = ticket_case(db)
    result = inbound(db, case, "--address", "Sam <support@gemini.com>", "--text", "Released.")
    assert result.stderr == ""
    shown = json.loads(ok(db, "show", case, "--json"))
    assert shown["contacts"][0]["answered_by"] == shown["contacts"][1]["id"]
    assert shown["status"] == "waiting_on_me"


def test_an_acknowledgement_is_recognised_and_can_be_corrected(db: Path) -> None:
    case = ticket_case(db)
    result = inbound(
        db,
        case,
        "--ref",
        "4815162",
        "--json",
        "--text",
        "We have received your request (4815162). We will get back to you soon.",
    )
    assert result.exit_code == 0, result.stderr
    assert "taken for an automatic acknowledgement" in result.stderr
    assert "--no-auto-ack" in result.stderr
    logged = json.loads(result.stdout)
    assert logged["auto_ack"] is True
    assert "we have received your request" in logged["auto_ack_reason"]
    shown = json.loads(ok(db, "show", case, "--json"))
    assert shown["contacts"][0]["answered_by"] is None
    assert shown["status"] == "waiting_on_support"

    ok(db, "contact", "edit", str(logged["id"]), "--no-auto-ack")
    shown = json.loads(ok(db, "show", case, "--json"))
    ack = shown["contacts"][1]
    assert (ack["auto_ack"], ack["auto_ack_reason"]) == (False, None)
    assert shown["contacts"][0]["answered_by"] == ack["id"]
    ok(db, "contact", "edit", str(ack["id"]), "--auto-ack")
    assert json.loads(ok(db, "show", case, "--json"))["contacts"][0]["answered_by"] is None


def test_the_users_word_on_an_acknowledgement_wins(db: Path) -> None:
    case = ticket_case(db)
    result = inbound(
        db, case, "--no-auto-ack", "--json", "--text", "We have received your request."
    )
    assert json.loads(result.stdout)["auto_ack"] is False
    assert "automatic" not in result.stderr


def status(db: Path, case: str) -> str:
    return str(json.loads(ok(db, "show", case, "--json"))["status"])


def test_the_status_follows_the_facts_unless_the_user_set_it_since(db: Path) -> None:
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Account frozen").strip()
    assert status(db, case) == "open"

    def fact(channel: str, direction: str, at: str, text: str) -> None:
        log(db, case, channel, direction, at, "--text", text)

    fact("ticket", "out", "2026-11-23 10:00", "My account is frozen")
    assert status(db, case) == "waiting_on_support"
    fact("email", "in", "2026-11-24 10:00", "Please send a statement")
    assert status(db, case) == "waiting_on_me"
    fact("ticket", "out", "2026-11-24 12:00", "Statement attached")
    assert status(db, case) == "waiting_on_support"
    fact("complaint", "out", "2026-11-30 10:00", "Formal complaint about ticket 4815162")
    assert status(db, case) == "escalated"

    # The user's word stands over the facts...
    ok(db, "case", "status", case, "resolved")
    ok(db, "case", "edit", case, "--title", "Account frozen since 20 Nov")
    assert status(db, case) == "resolved"
    # ...until a newer fact,
    fact("email", "in", "2026-12-01 09:00", "We have unfrozen your account")
    assert status(db, case) == "waiting_on_me"
    # and reopening gives the word back to the facts.
    ok(db, "case", "status", case, "closed")
    ok(db, "case", "status", case, "open")
    assert status(db, case) == "waiting_on_me"

    shown = json.loads(ok(db, "show", case, "--json"))
    assert shown["contacts"][-1]["auto_ack"] is False


def test_the_advice_quotes_the_ticket_number_an_acknowledgement_gave(db: Path) -> None:
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Login fails").strip()
    log(
        db,
        case,
        "help_center",
        "out",
        "2026-11-23 10:00",
        "--follow-up",
        "2026-11-25 10:00",
        "--text",
        "I cannot log in",
    )
    inbound(db, case, "--ref", "7001234", "--text", "Your request (7001234) has been received.")
    (item,) = json.loads(ok(db, "due", "--json"))
    assert item["reference"] == "7001234"
    assert item["next_step"] == "Follow up on ticket 7001234; do not open a new ticket"
    assert json.loads(ok(db, "show", case, "--json"))["next_step"] == item["next_step"]


def test_urgent_cases_come_first_among_equal_follow_up_times(db: Path) -> None:
    cases = []
    for title, priority in (("Card declined", "normal"), ("Account frozen", "urgent")):
        case = ok(
            db, "case", "new", "--platform", "Gemini", "--title", title, "--priority", priority
        ).strip()
        log(db, case, "ticket", "out", "2026-11-23 10:00", "--text", f"About: {title}")
        cases.append(int(case))
    due = json.loads(ok(db, "due", "--within", "30d", "--json"))
    assert [item["case_id"] for item in due] == [cases[1], cases[0]]


def test_the_evidence_says_who_was_not_trusted_and_what_was_automatic(
    db: Path, tmp_path: Path
) -> None:
    case = ticket_case(db)
    inbound(db, case, "--address", "security@gemini-support.com", "--text", "Verify now")
    inbound(db, case, "--text", "We have received your request.")
    ok(db, "export", str(tmp_path / "timeline.md"), "--format", "md")
    timeline = (tmp_path / "timeline.md").read_text("utf-8")
    assert "received, not from the platform's official domains" in timeline
    assert "not trusted: gemini-support.com is not one of Gemini's official domains" in timeline
    # Markdown escapes the parentheses of the reason.
    assert "automatic acknowledgement \\(its text reads as an automatic" in timeline
    assert '"we have received your request"' in timeline


def test_the_ticket_number_an_acknowledgement_names_is_kept_and_quoted(db: Path) -> None:
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "Card declined").strip()
    log(db, case, "help_center", "out", "2026-11-23 10:00", "--text", "My card is declined")
    inbound(db, case, "--text", "Your request (7001234) has been received.")
    shown = json.loads(ok(db, "show", case, "--json"))
    assert shown["contacts"][-1]["reference"] == "7001234"
    (item,) = json.loads(ok(db, "due", "--json"))
    assert item["reference"] == "7001234"
    assert item["next_step"] == "Follow up on ticket 7001234; do not open a new ticket"


def test_stats_count_only_the_platforms_answers(db: Path) -> None:
    case = ticket_case(db)
    inbound(db, case, "--address", "security@gemini-support.com", "--text", "Verify now")
    (ticket,) = [s for s in json.loads(ok(db, "stats", "--json")) if s["channel"] == "ticket"]
    assert (ticket["count"], ticket["answered"]) == (1, 0)
    reply = json.loads(ok(db, "show", case, "--json"))["contacts"][-1]["id"]
    ok(db, "contact", "edit", str(reply), "--trust-sender")
    (ticket,) = [s for s in json.loads(ok(db, "stats", "--json")) if s["channel"] == "ticket"]
    assert (ticket["count"], ticket["answered"]) == (1, 1)
