"""Times in the log form: a contact in the future is refused beside its field, one
before 2000 is saved only when saved twice, and a year other than this one shows."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static, TextArea

from recorder.tui.screens.case import CaseScreen
from tests.helpers.tui import NOW, SIZE, form_in_first_case, gemini_case, make_app, rows, settle


async def test_the_form_refuses_a_future_time_and_asks_twice_for_an_old_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    gemini_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        form.query_one("#text", TextArea).load_text("Where is my withdrawal?")
        form.query_one("#when", Input).value = "tomorrow 9am"
        await settle(pilot)
        error = form.query_one("#when-error", Static)
        assert "is in the future" in str(error.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Nothing was saved" in str(form.query_one("#form-error", Static).render())

        form.query_one("#when", Input).value = "1999-05-01 10:00"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Before 2000: if that is right, press ctrl+s again" in str(error.render())
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        # The row of another year says its year.
        assert "01 May 1999" in str(app.screen.query_one(DataTable).get_row_at(0)[0])
    assert rows(path, "SELECT substr(occurred_at, 1, 10) FROM contacts") == [("1999-05-01",)]


async def test_the_reader_says_an_unanswered_message_is_late(tmp_path: Path) -> None:
    from datetime import timedelta

    from recorder.tui.screens.contact import ContactScreen

    path = tmp_path / "s.sqlite3"
    gemini_case(path, channel="email", occurred_at=NOW - timedelta(days=10), text="Where is it?")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        head = str(app.screen.query_one("#head", Static).render())
        assert "Late: an answer was due by" in head and "and none came" in head


async def test_a_follow_up_late_since_another_year_shows_that_year(tmp_path: Path) -> None:
    """A row late since last year must not read like one late since this year's day."""
    from datetime import datetime

    from recorder.domain.dates import zone

    path = tmp_path / "s.sqlite3"
    then = datetime(2025, 11, 28, 15, 0, tzinfo=zone("America/New_York"))
    gemini_case(path, channel="email", occurred_at=then, text="Where is it?")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        cells = [str(cell) for cell in table.get_row_at(0)]
        assert "late 2025" in cells, cells
        assert not any("late 0" in cell or "late 1" in cell for cell in cells), cells
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        row = [str(cell) for cell in app.screen.query_one(DataTable).get_row_at(0)]
        assert "28 Nov 2025" in row and "late 2025" in row, row
