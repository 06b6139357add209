"""The terminal UI in Simplified Chinese: every screen and dialog at 80x24, as SVG
snapshots, with no label, heading, placeholder or footer key cut; and the language
chosen in the TUI itself (ctrl+l), kept for the next runs.

Update the snapshots with `pytest tests/tui/test_chinese.py --snapshot-update` after a
deliberate change, and look at the report before committing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer, OptionList

from recorder.domain.i18n import CHINESE, ENGLISH, current, use
from recorder.store.locations import saved_language
from tests.helpers.clipping import clipped
from tests.helpers.tui import SIZE, SnapCompare, keys, make_app, settle, still, type_text
from tests.tui.test_screen_sizes import SCREENS

EVERY_SCREEN = {**SCREENS, "language": keys("ctrl+l")}


@pytest.fixture
def chinese() -> Iterator[None]:
    """The app speaks Chinese (as RECORDER_LANG=zh_CN would have it)."""
    use(CHINESE)
    yield
    use(ENGLISH)


def checking(run: Callable[[Pilot[object]], object], cut: list[list[str]]) -> Callable[..., object]:
    """`run`, then what the screen cuts off, into `cut`."""

    async def then(pilot: Pilot[object]) -> None:
        await run(pilot)  # type: ignore[misc]
        cut.append(clipped(pilot.app.screen))

    return then


@pytest.mark.parametrize("screen", EVERY_SCREEN)
def test_every_screen_in_chinese(
    snap_compare: SnapCompare, demo_store: Path, chinese: None, screen: str
) -> None:
    cut: list[list[str]] = []
    run = checking(EVERY_SCREEN[screen], cut)
    assert snap_compare(make_app(demo_store), terminal_size=SIZE, run_before=run)
    assert cut == [[]]


@pytest.mark.parametrize("screen", EVERY_SCREEN)
async def test_nothing_is_cut_in_english_either(demo_store: Path, screen: str) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await EVERY_SCREEN[screen](pilot)  # type: ignore[misc]
        assert clipped(app.screen) == []


def footer_text(pilot: Pilot[object]) -> str:
    footer = pilot.app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.query("*"))


async def test_the_language_is_chosen_in_the_tui_and_kept(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # a case is open: the new language starts afresh
        await settle(pilot)
        assert "Back" in footer_text(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert pilot.app.screen.query_one(OptionList).highlighted == 0  # English, in use
        await pilot.press("down", "enter")
        await settle(pilot)
        await still(pilot)
        assert current() == CHINESE
        assert type(pilot.app.screen).__name__ == "TicketsScreen"
        assert "记录" in footer_text(pilot) and "帮助" in footer_text(pilot)
        assert "时间为" in pilot.app.sub_title
        await pilot.press("enter")  # the case view is made again, in Chinese
        await settle(pilot)
        assert "返回" in footer_text(pilot)
    assert saved_language() == CHINESE


async def test_a_form_with_typing_in_it_keeps_its_language(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        pilot.app.screen.query_one("#title").focus()
        await type_text(pilot, "Withdrawal pending")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert current() == ENGLISH
        assert type(pilot.app.screen).__name__ == "LogContactScreen"
        assert str(pilot.app.screen.query_one("#title").value) == "Withdrawal pending"
    assert saved_language() is None


async def test_escape_keeps_the_language(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("down", "escape")
        await settle(pilot)
        assert current() == ENGLISH
    assert saved_language() is None
