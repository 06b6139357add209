"""Chats as conversations, as stories at fixed times: a chat support answered live is
answered and never late, a promise made in it sets the chase date, a chat in which
the user spoke last waits, and a text that is no transcript is kept whole."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from recorder.domain.clock import FixedClock
from tests.helpers import cli

pytestmark = pytest.mark.backends

CLOCK = FixedClock(datetime(2026, 11, 2, 16, 0, tzinfo=UTC), step=timedelta(seconds=1))

LIVE = """[10:32] Anna: Hello, this is Anna from Gemini support. How can I help?
[10:33] You: My BTC withdrawal has been pending since Friday.
[10:35] Anna: I checked: it was released a minute ago, you will see it shortly.
"""


@pytest.fixture
def db(store_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RECORDER_TZ", "UTC")
    CLOCK.at = datetime(2026, 11, 2, 16, 0, tzinfo=UTC)
    return store_url


def ok(db: Path, *args: str) -> str:
    return cli.ok(db, *args, setup=cli.at(CLOCK))


def chat(db: Path, text: str, *more: str) -> tuple[str, dict[str, Any]]:
    """A new Gemini case with one chat, logged as the user logs it ("I wrote")."""
    case = ok(db, "case", "new", "--platform", "Gemini", "--title", "BTC withdrawal").strip()
    found = ["--case", case, "--channel", "chat", "--direction", "out"]
    logged = ok(db, "log", *found, "--at", "2026-11-02 15:30", "--text", text, "--json", *more)
    return case, json.loads(logged)


def show(db: Path, case: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(ok(db, "show", case, "--json"))
    return data


def test_a_chat_answered_live_is_answered_and_never_late(db: Path, tmp_path: Path) -> None:
    case, contact = chat(db, LIVE)
    assert [(t["speaker"], t["name"], t["at"]) for t in contact["turns"]] == [
        ("agent", "Anna", "10:32"),
        ("me", "You", "10:33"),
        ("agent", "Anna", "10:35"),
    ]
    assert contact["text"] == LIVE  # kept exactly as pasted
    CLOCK.at = datetime(2026, 11, 3, 15, 0, tzinfo=UTC)  # a day later
    shown = show(db, case)
    assert shown["status"] == "waiting_on_me"
    assert shown["next_follow_up"] is None
    assert shown["contacts"][0]["answered_by"] == contact["id"]
    assert json.loads(ok(db, "due", "--json")) == []
    text = ok(db, "show", case)
    assert "answered in the conversation" in text
    assert "10:33  You (you): My BTC withdrawal has been pending since Friday." in text

    ok(db, "export", str(tmp_path / "timeline.md"), "--format", "md")
    timeline = (tmp_path / "timeline.md").read_text("utf-8")
    assert "met: answered in the conversation itself" in timeline
    assert "late" not in timeline.split("## ")[-1].casefold()


def test_a_promise_in_the_chat_sets_the_chase_date(db: Path) -> None:
    promise = LIVE.replace(
        "I checked: it was released a minute ago, you will see it shortly.",
        "I escalated it to our team; we will update you within 3 business days.",
    )
    case, contact = chat(db, promise)
    assert (contact["due_basis"], contact["due_window"]) == ("promise", "3 business days")
    shown = show(db, case)
    assert shown["status"] == "waiting_on_support"
    # Monday 15:30 UTC is 10:30 in New York; three business days later, Thursday.
    assert shown["next_follow_up"]["expected_by"] == "2026-11-05T15:30:00+00:00"
    assert shown["next_step"].startswith("Wait: support promised an answer")


def test_a_chat_in_which_the_user_spoke_last_waits_for_its_window(db: Path) -> None:
    unanswered = LIVE + "[10:40] You: Are you still there?\n"
    case, contact = chat(db, unanswered)
    assert contact["turns"][-1]["speaker"] == "me"
    shown = show(db, case)
    assert shown["status"] == "waiting_on_support"
    # Gemini's chat window: 10 minutes.
    assert shown["next_follow_up"]["expected_by"] == "2026-11-02T15:40:00+00:00"


def test_the_users_own_name_in_a_transcript(db: Path) -> None:
    named = "Anna (10:32 AM): How can I help?\nLi Wei (10:33 AM): My deposit is missing\n"
    _, contact = chat(db, named, "--me", "Li Wei")
    assert [t["speaker"] for t in contact["turns"]] == ["agent", "me"]
    _, contact = chat(db, named.replace("missing", "still missing"))
    assert contact["turns"] == []  # two speakers, but which one is the user?


def test_a_text_that_is_no_transcript_is_kept_whole(db: Path) -> None:
    case, contact = chat(db, "Asked about my withdrawal; the agent said to wait.")
    assert contact["turns"] == []
    assert show(db, case)["status"] == "waiting_on_support"  # the user said: I wrote


def test_contact_edit_me_names_the_user_of_a_logged_chat(db: Path) -> None:
    named = "Anna (10:32 AM): How can I help?\nLi Wei (10:33 AM): My deposit is missing\n"
    case, contact = chat(db, named)
    assert contact["turns"] == []
    assert cli.run(db, "contact", "edit", str(contact["id"]), setup=cli.at(CLOCK)).exit_code == 2
    ok(db, "contact", "edit", str(contact["id"]), "--me", "Li Wei")
    shown = show(db, case)
    assert [t["speaker"] for t in shown["contacts"][0]["turns"]] == ["agent", "me"]
    assert shown["status"] == "waiting_on_support"  # Li Wei spoke last
