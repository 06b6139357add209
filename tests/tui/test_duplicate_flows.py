"""The duplicate guard in the terminal UI: warnings before saving, the earlier case one
key away, dismissing, and a merged case's history."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Static, TextArea

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.tui.screens.case import CaseScreen
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.decisions import merge_cases
from tests.helpers.tui import (
    NOW,
    SIZE,
    SnapCompare,
    form_in_first_case,
    keys,
    make_app,
    rows,
    settle,
    type_text,
)


def gemini_case(path: Path, title: str, at: datetime, **contact: Any) -> int:
    """A Gemini case opened at `at` with one outbound contact sent then."""
    access = StoreAccess(str(path), clock=FixedClock(at))
    with access.store().write() as tx:
        case = open_case(tx, platform="Gemini", title=title)
        assert case.id is not None
        log_contact(tx, case_id=case.id, direction="outbound", occurred_at=at, **contact)
    access.close()
    return case.id


def waiting_ticket(path: Path) -> int:
    """A Gemini case whose ticket, sent yesterday, is inside its 5-business-day window."""
    return gemini_case(
        path,
        "BTC withdrawal pending",
        NOW - timedelta(days=1),
        channel="ticket",
        reference="4815162",
        text="My BTC withdrawal has been pending since Friday.",
    )


def chat_case(path: Path, title: str) -> int:
    """Another Gemini case, opened now, with one chat about the withdrawal."""
    return gemini_case(path, title, NOW, channel="chat", text="Chat about the same withdrawal")


async def test_the_form_warns_before_saving_and_saving_still_works(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = waiting_ticket(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        form.query_one("#channel").value = "email"  # type: ignore[attr-defined]
        await type_text(pilot, "Any news on my withdrawal?")
        await settle(pilot)
        warnings = form.query_one("#warnings", Static)
        assert "hidden" not in warnings.classes
        shown = str(warnings.render())
        assert "ticket 4815162 (5 business days) is still inside its response window" in shown
        assert "ctrl+o opens case #1" in shown

        await pilot.press("ctrl+o")  # the earlier case, one key away
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == case_id
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is form

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    assert rows(path, "SELECT kind, case_id, contact_id, status FROM duplicate_flags") == [
        ("still_waiting", case_id, 2, "open")
    ]
    assert rows(path, "SELECT count(*) FROM contacts") == [(2,)]


async def test_no_warning_for_an_answer_from_support(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    waiting_ticket(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        form = await form_in_first_case(pilot)
        form.query_one("#channel").value = "email"  # type: ignore[attr-defined]
        form.query_one("#direction").value = "inbound"  # type: ignore[attr-defined]
        await type_text(pilot, "We are looking into it.")
        await settle(pilot)
        assert "hidden" in form.query_one("#warnings", Static).classes
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert app.screen is form  # nothing earlier to open


async def test_dismissing_the_warnings_of_a_case(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        open_case(tx, platform="Gemini", title="Phone number change request")
        open_case(tx, platform="Gemini", title="I need to change the phone number on my account")
    access.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first_title = app.screen.query_one(DataTable).get_row_at(0)[1]
        assert str(first_title).startswith("⚑ I need to change")
        assert str(first_title.spans[0].style) == "bold yellow"
        await pilot.press("enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "reads like open case #1 (Phone number change request)" in summary
        await pilot.press("f")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "reads like" not in summary
    assert rows(path, "SELECT status FROM duplicate_flags") == [("dismissed",)]


async def test_a_merged_case_tells_its_story_from_both_ends(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    into = waiting_ticket(path)
    source = chat_case(path, "Where are my bitcoins")
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        merge_cases(tx, source, into)
    access.close()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.case_id == into
        summary = str(screen.query_one("#summary", Static).render())
        assert f"Merged into this case: #{source}" in summary
        table = screen.query_one(DataTable)
        assert table.row_count == 2
        assert f"(from #{source})" in str(table.get_row_at(1)[-1])
        await pilot.press("escape", "a")  # all cases: the merged one is closed
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(source)))
        await pilot.press("enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert f"Merged into #{into}" in summary


async def test_merge_a_repeat_into_the_earlier_case_and_undo_it(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    into = waiting_ticket(path)
    repeat = chat_case(path, "BTC withdrawal still pending")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the newest case, the repeat
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen) and screen.case_id == repeat
        assert screen.check_action("merge", ()) and not screen.check_action("unmerge", ())
        await pilot.press("M")
        await settle(pilot)
        await pilot.press("n")  # asked first; no leaves it alone
        await settle(pilot)
        assert rows(path, "SELECT merged_into_id FROM cases WHERE id = 2") == [(None,)]
        await pilot.press("M")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen
        summary = str(screen.query_one("#summary", Static).render())
        assert f"Merged into #{into}" in summary
        assert screen.query_one(DataTable).row_count == 0
        assert rows(path, "SELECT case_id, merged_from_id FROM contacts WHERE id = 2") == [
            (into, repeat)
        ]
        assert not screen.check_action("merge", ()) and screen.check_action("unmerge", ())
        await pilot.press("U")
        await settle(pilot)
        assert screen.query_one(DataTable).row_count == 1
        assert "Merged into" not in str(screen.query_one("#summary", Static).render())
    # Back to the status it had before the merge: its message waited on support.
    assert rows(path, "SELECT status, merged_into_id FROM cases WHERE id = 2") == [
        ("waiting_on_support", None)
    ]
    assert rows(path, "SELECT case_id, merged_from_id FROM contacts WHERE id = 2") == [
        (repeat, None)
    ]


async def test_merge_needs_a_warning_that_names_the_earlier_case(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = waiting_ticket(path)
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:  # written again while the ticket is in its window
        log_contact(
            tx,
            case_id=case_id,
            channel="ticket",
            direction="outbound",
            occurred_at=NOW,
            text="Second ticket: my BTC withdrawal is still pending.",
        )
    access.close()
    assert rows(path, "SELECT kind, case_id, earlier_case_id FROM duplicate_flags") == [
        ("still_waiting", case_id, case_id)
    ]
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CaseScreen)
        assert not screen.check_action("merge", ())
        screen.action_merge()  # as the command palette would
        await settle(pilot)
        assert app.screen is screen  # nothing to confirm
    assert rows(path, "SELECT count(*) FROM cases WHERE merged_into_id IS NOT NULL") == [(0,)]


def test_log_form_with_a_duplicate_warning(snap_compare: SnapCompare, tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    waiting_ticket(path)

    async def run(pilot: object) -> None:
        from textual.pilot import Pilot

        assert isinstance(pilot, Pilot)
        form = await form_in_first_case(pilot)
        # No blinking from the first key on: the cursor is drawn the same whenever the
        # screenshot is taken, however loaded the machine is.
        form.query_one("#text", TextArea).cursor_blink = False
        form.query_one("#channel").value = "email"  # type: ignore[attr-defined]
        await type_text(pilot, "Any news?")
        await keys()(pilot)

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=run)


async def test_ctrl_g_logs_into_the_earlier_case_instead_of_opening_a_new_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = waiting_ticket(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")  # from the list: a new case
        await settle(pilot)
        form = app.screen
        form.query_one("#title").value = "BTC withdrawal pending"  # type: ignore[attr-defined]
        form.query_one("#text", TextArea).load_text("My BTC withdrawal is still pending.")
        await settle(pilot)
        shown = str(form.query_one("#warnings", Static).render())
        assert f"ctrl+g logs it into case #{case_id} instead" in shown

        await pilot.press("ctrl+g")
        await settle(pilot)
        assert form.query_one("#case").value == str(case_id)  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert rows(path, "SELECT count(*) FROM cases") == [(1,)]
    assert rows(path, f"SELECT count(*) FROM contacts WHERE case_id = {case_id}") == [(2,)]
