"""A chat pasted into the log form: the form says it reads as a conversation before it
is saved, and the case shows it answered in the session, not late."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static, TextArea

from recorder.tui.screens.case import CaseScreen
from recorder.tui.screens.log_contact import LogContactScreen
from tests.helpers.tui import SIZE, make_app, settle
from tests.tui.test_answers_flows import overdue_ticket

CHAT = (
    "[10:32] Anna: Hello, how can I help?\n"
    "[10:33] Li Wei: My BTC withdrawal is pending.\n"
    "[10:35] Anna: It was released a minute ago."
)


async def test_a_pasted_chat_is_a_conversation_answered_in_the_session(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = overdue_ticket(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogContactScreen)
        form.query_one("#channel", Select).value = "chat"
        await settle(pilot)
        assert not form.query_one("#me-row").has_class("hidden")
        # Pasted, as a chat's transcript is.
        form.query_one("#text", TextArea).text = CHAT
        await settle(pilot)
        warnings = str(form.query_one("#warnings", Static).render())
        # Two speakers, and none of them is known as the user: kept whole.
        assert "Not a transcript of turns: kept whole, as written by you." in warnings
        form.query_one("#me", Input).value = "Li Wei"
        await settle(pilot)
        warnings = str(form.query_one("#warnings", Static).render())
        assert "Reads as a conversation of 3 turns; support answered in it." in warnings
        await pilot.press("ctrl+s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.case_id == case_id
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        chat = [str(cell) for cell in table.get_row_at(1)]
        assert "⇄" in chat and "in session" in chat
        summary = str(screen.query_one("#summary", Static).render())
        assert "Overdue" not in summary  # the agent's answer in the chat answered the ticket
        assert screen.detail is not None and screen.detail.status.value == "waiting_on_me"
