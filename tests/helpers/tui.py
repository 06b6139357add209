"""Driving the terminal UI as a user does: the app on a real store with a fixed clock,
the keyboard, waiting for the screen to settle, and snapshots."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.tui.app import RecorderApp
from recorder.tui.screens.log_contact import LogContactScreen

NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
SIZE = (80, 24)


def make_app(path: Path) -> RecorderApp:
    """The app on the store at `path`, with the clock standing at NOW."""
    return RecorderApp(StoreAccess(str(path), clock=FixedClock(NOW)), subtitle="test store")


def gemini_case(path: Path, **contact: Any) -> int:
    """A Gemini case, "Withdrawal pending", opened at NOW; with `contact` (log_contact's
    fields), one outbound contact logged then. Returns the case's id."""
    from recorder.write.cases import open_case
    from recorder.write.contacts import log_contact

    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        case = open_case(tx, platform="Gemini", title="Withdrawal pending")
        assert case.id is not None
        if contact:
            fields = {"direction": "outbound", "occurred_at": NOW, **contact}
            log_contact(tx, case_id=case.id, **fields)
    access.close()
    return case.id


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Query the store file directly, as a check from outside the app."""
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


async def settle(pilot: Pilot[object]) -> None:
    """Wait until the app's workers are done and it has handled what they sent, and
    until no duplicate check waits for the typing to stop."""

    def busy() -> bool:
        pending = bool(getattr(pilot.app.screen, "check_pending", False))
        return pending or any(worker.is_running for worker in pilot.app.workers)

    idle = 0
    for _ in range(200):
        await pilot.pause()
        if getattr(pilot.app.screen, "check_pending", False):
            idle = 0
            await pilot.pause(0.1)
            continue
        if any(worker.is_running for worker in pilot.app.workers):
            idle = 0
            await pilot.app.workers.wait_for_complete()
            continue
        # Idle three times running: a screen that was just shown has had its chance to
        # start the worker that reads it (under load, that can take a moment).
        idle += 1
        if idle == 3 and not busy():
            return
    raise AssertionError("workers still running")


async def type_text(pilot: Pilot[object], text: str) -> None:
    """Type text key by key."""
    keys = {" ": "space", "/": "slash", ":": "colon", "-": "minus", ".": "full_stop"}
    await pilot.press(*[keys.get(ch, ch) for ch in text])


async def tab_to(pilot: Pilot[object], widget_id: str) -> None:
    """Press tab until the widget with this id has the focus."""
    for _ in range(40):
        focused = pilot.app.focused
        if focused is not None and focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


async def still(pilot: Pilot[object]) -> None:
    """No blinking cursors: screenshots must not depend on the moment they are taken."""
    for widget in [*pilot.app.screen.query(Input), *pilot.app.screen.query(TextArea)]:
        widget.cursor_blink = False
        # Turning blinking off repaints the cursor only when the blink was in its hidden
        # phase; repaint it in either phase, or the snapshot depends on the moment. A
        # TextArea keeps its lines in a cache whose key does not tell a cursor hidden by
        # the blink from one never blinking: empty it, or either may be drawn.
        if isinstance(widget, TextArea):
            widget._line_cache.clear()
        widget.refresh()
    await settle(pilot)


SnapCompare = Callable[..., bool]


def keys(*pressed: str) -> Callable[[Pilot[object]], object]:
    """Settle, press the keys one by one (settling after each), then hold still."""

    async def run(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        await still(pilot)

    return run


async def form_in_first_case(pilot: Pilot[object]) -> LogContactScreen:
    """Open the first listed case and its log form, as a user does: enter, then n."""
    await settle(pilot)
    await pilot.press("enter", "n")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, LogContactScreen)
    return form


def notifications(app: RecorderApp) -> list[str]:
    """The messages the app notifies from now on, in order (it still shows them)."""
    said: list[str] = []
    shown = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append(message)
        shown(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return said
