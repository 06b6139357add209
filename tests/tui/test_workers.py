"""An older read that finishes late does not paint over a newer one."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import on, work
from textual.app import App

from recorder.tui.workers import WorkerResult


@dataclass
class Read(WorkerResult):
    """What one read found."""

    value: str


class Reads(App[None]):
    """Two reads in one exclusive group; the first is held until the second is shown."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.hold = threading.Event()
        self.finished: list[str] = []

    @work(thread=True, exclusive=True, group="read")
    def read(self, value: str, wait: bool) -> None:
        if wait:
            self.hold.wait(5)
        self.post_message(Read(value))
        self.finished.append(value)

    @on(Read)
    def _show(self, message: Read) -> None:
        if not message.stale:
            self.shown.append(message.value)


async def test_a_replaced_read_is_not_shown() -> None:
    app = Reads()
    async with app.run_test() as pilot:
        app.read("old", True)
        await pilot.pause()
        await app.read("new", False).wait()
        await pilot.pause()
        assert app.shown == ["new"]
        app.hold.set()  # the old read finishes now, after the newer one was shown
        for _ in range(100):
            await pilot.pause(0.01)
            if "old" in app.finished:
                break
        await pilot.pause()
        assert app.finished == ["new", "old"]
        assert app.shown == ["new"]


async def test_a_read_that_is_not_replaced_is_shown() -> None:
    app = Reads()
    async with app.run_test() as pilot:
        await app.read("only", False).wait()
        await pilot.pause()
        assert app.shown == ["only"]
