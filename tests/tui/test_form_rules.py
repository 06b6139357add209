"""The log form never loses work: escape closes an open list first and asks before
leaving a filled form; a form with nothing to keep is refused; after a failed save the
focus is on the first field in error."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static, TextArea

from recorder.tui.dialogs.confirm import ConfirmScreen
from recorder.tui.screens.case import CaseScreen
from recorder.tui.widgets.contact_fields import NEW
from tests.helpers.tui import SIZE, form_in_first_case, gemini_case, make_app, rows, settle


async def test_escape_closes_an_open_list_before_the_form(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    gemini_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        channel = form.query_one("#channel", Select)
        channel.focus()
        channel.expanded = True
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form and not channel.expanded
        await pilot.press("escape")  # nothing typed: the form closes at once
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)


async def test_escape_on_a_filled_form_asks_before_anything_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    gemini_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        form.query_one("#text", TextArea).load_text("Three paragraphs I do not want to lose")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is form
        assert form.query_one("#text", TextArea).text.startswith("Three paragraphs")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert rows(path, "SELECT count(*) FROM contacts") == [(0,)]


async def test_an_empty_form_is_refused_and_the_focus_goes_to_the_field(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    gemini_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        form.query_one("#platform", Select).focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        said = str(form.query_one("#text-error", Static).render())
        assert "needs something to keep: its text, a reference or an attachment" in said
        assert app.focused is form.query_one("#text", TextArea)
        await pilot.press("H", "i")  # what is typed next goes into the text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert rows(path, "SELECT text FROM contacts") == [("Hi",)]


def ticket_case(path: Path) -> None:
    gemini_case(path, channel="ticket", reference="4815162", text="Pending since Friday")


async def test_a_case_s_form_takes_its_last_channel_and_ticket_number(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    ticket_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        await settle(pilot)
        assert form.query_one("#channel", Select).value == "ticket"
        assert form.query_one("#reference", Input).value == "4815162"


async def test_n_on_the_list_is_for_a_new_case(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    ticket_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert form.query_one("#case", Select).value == NEW
        assert form.query_one("#channel", Select).value == "chat"
        assert form.query_one("#reference", Input).value == ""


async def test_several_lines_pasted_into_a_one_line_field_go_into_the_text(
    tmp_path: Path,
) -> None:
    from textual import events

    path = tmp_path / "s.sqlite3"
    gemini_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        subject = form.query_one("#subject", Input)
        subject.focus()
        subject.post_message(events.Paste("Agent: hello\nMe: my withdrawal is stuck"))
        await settle(pilot)
        assert subject.value == ""
        text = form.query_one("#text", TextArea).text
        assert "Agent: hello\nMe: my withdrawal is stuck" in text
        subject.post_message(events.Paste("Re: ticket 4815162"))  # one line stays
        await settle(pilot)
        assert subject.value == "Re: ticket 4815162"


@pytest.mark.parametrize("made", [False, True], ids=["not-there-yet", "made-but-empty"])
async def test_an_empty_store_shows_its_welcome_from_the_first_paint(
    empty_store: Path, made: bool
) -> None:
    """A store not there yet is known empty without a read; one at head is read before
    the first paint (TicketsScreen.load)."""
    from textual.widgets import DataTable

    from recorder.access import StoreAccess

    if made:  # created, migrated and given its presets, with no case in it
        access = StoreAccess(str(empty_store))
        access.store()
        access.close()
        assert empty_store.is_file()
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        # Before any read has come back: the welcome, and no empty table header.
        screen = app.screen
        assert "hidden" not in screen.query_one("#welcome").classes
        assert "hidden" in screen.query_one(DataTable).classes
        await settle(pilot)
        assert "hidden" not in screen.query_one("#welcome").classes
