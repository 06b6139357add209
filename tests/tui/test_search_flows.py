"""Searching the whole record in the TUI: results as the user types, what matched in
bold, and enter opening the contact found, in its case."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from recorder.tui.screens.case import CaseScreen
from recorder.tui.screens.contact import ContactScreen
from recorder.tui.screens.search import SearchScreen
from tests.helpers.tui import SIZE, make_app, settle, type_text


async def open_search(pilot: Pilot[object]) -> SearchScreen:
    """From the list, as a user does: f."""
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    return screen


async def test_find_a_message_by_a_word_and_open_it_in_its_case(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot)
        await type_text(pilot, "explanation")
        await settle(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count > 0
        assert "found" in str(screen.query_one("#said", Static).render())
        first = screen.hits[0]
        assert first.contact_id is not None and "**" in first.snippet
        await pilot.press("enter")
        await settle(pilot)
        # The case, at the contact found, which is open to read.
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact.id == first.contact_id
        await pilot.press("escape")
        await settle(pilot)
        case = app.screen
        assert isinstance(case, CaseScreen) and case.case_id == first.case_id
        row_key, _ = case.query_one(DataTable).coordinate_to_cell_key(
            case.query_one(DataTable).cursor_coordinate
        )
        assert row_key.value == str(first.contact_id)


async def test_two_chinese_characters_and_nothing_found(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot)
        screen.query_one("#query", Input).value = "到账"
        await settle(pilot)
        assert screen.hits and all("到账" in h.snippet or "到账" in h.title for h in screen.hits)
        screen.query_one("#query", Input).value = "nothing like this anywhere"
        await settle(pilot)
        assert screen.hits == []
        assert "Nothing found." in str(screen.query_one("#said", Static).render())
