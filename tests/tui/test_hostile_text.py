"""Stored control characters reach the TUI's screen as nothing: a transcript holding
`ESC [2J` is read, not obeyed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from textual.geometry import Region
from textual.widget import Widget

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.tui.screens.contact import ContactScreen
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from tests.helpers.tui import NOW, SIZE, make_app, settle

HOSTILE = "Agent: done \x1b]0;pwned\x07 and \x1b[2J cleared \u202etxt.exe"


def _store(path: Path) -> None:
    access = StoreAccess(str(path), clock=FixedClock(NOW - timedelta(days=1)))
    with access.store().write() as tx:
        case = open_case(tx, platform="Gemini", title="Title \x1b[31mred\x1b[0m")
        assert case.id is not None
        log_contact(tx, case_id=case.id, channel="chat", direction="inbound",
                    occurred_at=NOW - timedelta(days=1), text=HOSTILE)  # fmt: skip
    access.close()


def _painted(widget: Widget) -> str:
    """What the widget paints, line filters applied (as the terminal gets it)."""
    width, height = widget.size
    if not width or not height:
        return ""
    lines = widget.render_lines(Region(0, 0, width, height))
    return "".join(segment.text for line in lines for segment in line if not segment.control)


async def test_control_characters_are_painted_as_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _store(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(2):  # the list, then the case
            painted = "".join(_painted(w) for w in app.screen.walk_children(Widget))
            assert "Title" in painted or "Agent" in painted
            assert not any(ch in painted for ch in "\x1b\x07\u202e"), repr(painted)
            await pilot.press("enter")
            await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        painted = "".join(_painted(w) for w in app.screen.walk_children(Widget))
        assert "cleared" in painted
        assert not any(ch in painted for ch in "\x1b\x07\u202e"), repr(painted)
