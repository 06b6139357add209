"""SVG snapshots of particular states at 80x24 (the light theme, a form's errors), with
a fixed clock and fixed data; every screen and dialog at every size is in
test_screen_sizes.py.

Update them with `pytest tests/tui/test_snapshots.py --snapshot-update` after a
deliberate change, and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from tests.helpers.tui import SIZE, SnapCompare, keys, make_app, settle, still, type_text


def test_open_tickets_light(snap_compare: SnapCompare, demo_store: Path) -> None:
    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=keys("ctrl+t"))


def test_log_form_for_a_new_case_with_errors(snap_compare: SnapCompare, empty_store: Path) -> None:
    async def run(pilot: Pilot[object]) -> None:
        await keys("n")(pilot)
        when = pilot.app.screen.query_one("#when")
        when.focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "someday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        pilot.app.screen.query_one("#platform").focus()
        await still(pilot)

    assert snap_compare(make_app(empty_store), terminal_size=SIZE, run_before=run)
