"""A chat pasted into the log form: the form says it reads as a conversation before it
is saved, and the case shows it answered in the session, not late. And the due screen
names the ombudsman's dates."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static, TextArea

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.tui.screens.case import CaseScreen
from recorder.write.entries import Entry, NewCase, log_entry
from recorder.write.platforms import add_platform
from tests.helpers.tui import NOW, SIZE, form_in_first_case, make_app, settle
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
        form = await form_in_first_case(pilot)
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


async def test_the_due_screen_names_the_ombudsmans_dates(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        add_platform(tx, name="Coinvault", timezone="Europe/London", jurisdiction="UK")
        logged = log_entry(
            tx,
            Entry(
                new_case=NewCase(platform="Coinvault", title="ETH withdrawal held"),
                channel="complaint",
                direction="outbound",
                occurred_at=NOW - timedelta(days=60),
                text="Formal complaint",
            ),
        )
        # The firm's final response, three days ago: the Ombudsman may be asked now.
        log_entry(
            tx,
            Entry(
                case_id=logged.case_id,
                channel="email",
                direction="inbound",
                occurred_at=NOW - timedelta(days=3),
                text="Our final response: we decline.",
            ),
        )
    access.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1  # the last day, six months on, is beyond the week
        assert str(table.get_row_at(0)[0]).startswith("escalate")
        step = str(app.screen.query_one("#step", Static).render())
        assert "you may take it to the Financial Ombudsman Service" in step
