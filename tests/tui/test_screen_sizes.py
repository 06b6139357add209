"""SVG snapshots of every screen and dialog at 60x20, 80x24 and 120x40, on the demo's
cases, English and Chinese: nothing runs off the right edge, titles end in an
ellipsis, dialogs scroll instead of cutting, and the footer draws no key over another
(its first key is always "? Help").

Update them with `pytest tests/tui/test_screen_sizes.py --snapshot-update` after a
deliberate change, and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.helpers.tui import SnapCompare, keys, make_app, settle, still

SIZES = {"60x20": (60, 20), "80x24": (80, 24), "120x40": (120, 40)}


def chinese_case(*then: str) -> Callable[[Pilot[object]], object]:
    """Find the demo's Chinese case with the filter, open it, then press `then`."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one("#text", Input).value = "充值未到账"
        await settle(pilot)
        for key in ("enter", "enter", *then):
            await pilot.press(key)
            await settle(pilot)
        await still(pilot)

    return run


def search_for(query: str) -> Callable[[Pilot[object]], object]:
    """Open the search and look for `query`."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        pilot.app.screen.query_one("#query", Input).value = query
        await settle(pilot)
        await still(pilot)

    return run


SCREENS = {
    "tickets": keys(),
    "case": keys("enter"),
    "case-zh": chinese_case(),
    "contact": keys("down", "enter", "enter"),
    "contact-zh": chinese_case("enter"),
    "log-form": keys("n"),
    "log-form-zh": chinese_case("n"),
    "due": keys("u"),
    "help": keys("question_mark"),
    "export": keys("e"),
    "verify": keys("v"),
    "import": keys("i"),
    "edit-case": keys("enter", "e"),
    "confirm-delete": keys("enter", "d"),
    "search": search_for("withdrawal"),
    "search-zh": search_for("到账"),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_at_every_size(
    snap_compare: SnapCompare, demo_store: Path, screen: str, size: str
) -> None:
    assert snap_compare(make_app(demo_store), terminal_size=SIZES[size], run_before=SCREENS[screen])


@pytest.mark.parametrize("size", SIZES)
def test_the_welcome_at_every_size(snap_compare: SnapCompare, empty_store: Path, size: str) -> None:
    assert snap_compare(make_app(empty_store), terminal_size=SIZES[size], run_before=keys())
