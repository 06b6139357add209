"""Who answered, in the terminal UI: a reply from outside the platform's domains is
flagged before it is saved, marked in the case, and answers only once trusted."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.tui.dialogs.confirm import ConfirmScreen
from recorder.tui.screens.case import CaseScreen
from recorder.tui.screens.contact import ContactScreen
from recorder.write.entries import Entry, NewCase, log_entry
from tests.helpers.tui import NOW, SIZE, form_in_first_case, make_app, rows, settle, type_text

PHISH = "Gemini Security <security@gemini-support.com>"


def overdue_ticket(path: Path) -> int:
    """A Gemini case whose ticket, sent ten days ago, is overdue."""
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        logged = log_entry(
            tx,
            Entry(
                new_case=NewCase(platform="Gemini", title="BTC withdrawal pending"),
                channel="ticket",
                direction="outbound",
                occurred_at=NOW - timedelta(days=10),
                reference="4815162",
                text="My BTC withdrawal has been pending since Friday.",
            ),
        )
    access.close()
    return logged.case_id


async def test_a_reply_from_a_lookalike_domain_is_flagged_and_answers_only_once_trusted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = overdue_ticket(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        form.query_one("#channel", Select).value = "email"
        form.query_one("#direction", Select).value = "inbound"
        form.query_one("#address", Input).value = PHISH
        form.query_one("#text").focus()
        await type_text(pilot, "Verify your account now")
        await settle(pilot)
        warnings = str(form.query_one("#warnings", Static).render())
        # Seen before saving, in words that say what it means.
        assert "The sender is not from the platform's official domains" in warnings
        assert "gemini-support.com is not one of Gemini's official domains" in warnings
        await pilot.press("ctrl+s")
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.case_id == case_id
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        assert "⚠" in str(table.get_row_at(1)[-1])
        summary = str(screen.query_one("#summary", Static).render())
        assert "Overdue since" in summary  # the phishing reply answered nothing

        table.move_cursor(row=1)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        head = str(app.screen.query_one("#head", Static).render())
        assert head.startswith("Received by email")
        assert "not from the platform's official domains" in head
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert "Overdue" not in str(screen.query_one("#summary", Static).render())
    assert rows(path, "SELECT sender_trusted FROM contacts ORDER BY id") == [(0,), (1,)]
    assert rows(path, f"SELECT status FROM cases WHERE id = {case_id}") == [("waiting_on_me",)]


async def test_the_form_says_a_reply_is_automatic_and_the_user_can_say_otherwise(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = overdue_ticket(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        # Only a reply from support has the field.
        assert form.query_one("#auto-ack-row").has_class("hidden")
        form.query_one("#channel", Select).value = "email"
        form.query_one("#direction", Select).value = "inbound"
        await settle(pilot)
        assert not form.query_one("#auto-ack-row").has_class("hidden")
        form.query_one("#text").focus()
        await type_text(pilot, "We have received your request and will reply soon.")
        await settle(pilot)
        warnings = str(form.query_one("#warnings", Static).render())
        assert "Taken for an automatic acknowledgement, which answers nothing" in warnings
        # The user knows better: it is the answer.
        form.query_one("#auto-ack", Select).value = "no"
        await settle(pilot)
        assert "automatic" not in str(form.query_one("#warnings", Static).render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.case_id == case_id
        summary = str(screen.query_one("#summary", Static).render())
        assert "Overdue" not in summary  # it answered the ticket
        assert screen.detail is not None
        assert [c.auto_ack for c in screen.detail.contacts] == [False, False]
        assert screen.detail.status.value == "waiting_on_me"


async def test_urgent_is_marked_explained_and_first_among_equal_follow_ups(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        for title, priority in (("Card declined", "normal"), ("Account frozen", "urgent")):
            log_entry(
                tx,
                Entry(
                    new_case=NewCase(platform="Gemini", title=title, priority=priority),
                    channel="ticket",
                    direction="outbound",
                    occurred_at=NOW - timedelta(days=1),
                    text=f"About: {title}",
                ),
            )
    access.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        legend = str(app.screen.query_one("#legend", Static).render())
        assert "! urgent, first among equal follow-ups" in legend
        # Sorted by the follow-up column: equal times, the urgent case first.
        for _ in range(5):
            await pilot.press("s")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert titles == ["! Account frozen", "Card declined"]
        await pilot.press("question_mark")
        await settle(pilot)
        assert "urgent (sorted first among equal follow-up times)" in "".join(
            str(s.render()) for s in app.screen.query(Static)
        )
