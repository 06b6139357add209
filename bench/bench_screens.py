"""The terminal UI's screens on the 10k-case / 100k-contact bench store, in CPU time.

Adds to a copy of the bench store a case of 2,000 contacts (copies of stored ones),
then drives the app headless with Textual's Pilot, as a user's keys would, and
measures the process's CPU time (every thread: the workers' reads count) of:
- showing a bare screen of the same kind (Header, DataTable, Footer; nothing read):
  what Textual itself takes, the floor of the next figure;
- opening that case from the list, until its timeline is shown;
- a page down in its timeline, and a key press (down) in the list;
- typing a 10-letter word in the list's filter, per key (the list waits for a pause
  in the typing), and the list read and shown again after that pause.

Targets (issue 17): opening a 2,000-contact case <= 150 ms; a key press <= 10 ms;
filter typing <= 20 ms per character. (The list after a pause has no target of its
own; 150 ms is the case's.) What measuring costs (Pilot's press, and waiting
for the app to settle: timed alone, with nothing pressed) is taken off each figure.

    python bench/bench_screens.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import NOW, cached
from textual.app import ComposeResult
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.tui.app import RecorderApp
from recorder.tui.screens.case import CaseScreen
from recorder.tui.screens.tickets import TicketsScreen
from tests.helpers.tui import settle, type_text

BIG = 2000
"""Contacts in the big case."""
WORD = "withdrawal"


def add_big_case(path: Path) -> int:
    """A new case (the newest, first in the list) holding BIG copies of stored contacts."""
    with sqlite3.connect(path) as conn:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(cases)") if r[1] != "id"]
        conn.execute(
            f"INSERT INTO cases ({', '.join(columns)}) SELECT {', '.join(columns)} FROM cases"
            " WHERE status = 'open' ORDER BY id LIMIT 1"
        )
        case_id = int(conn.execute("SELECT max(id) FROM cases").fetchone()[0])
        columns = [r[1] for r in conn.execute("PRAGMA table_info(contacts)") if r[1] != "id"]
        chosen = [c if c != "case_id" else f"{case_id}" for c in columns]
        conn.execute(
            f"INSERT INTO contacts ({', '.join(columns)}) SELECT {', '.join(chosen)}"
            f" FROM contacts ORDER BY id LIMIT {BIG}"
        )
        conn.execute(
            "UPDATE cases SET updated_at = (SELECT max(updated_at) FROM cases),"
            " title = 'A case of two thousand contacts' WHERE id = ?",
            (case_id,),
        )
    return case_id


class Bare(Screen[None]):
    """What any screen of that kind costs to show: a Header, a few lines, a DataTable
    of 50 rows of 7 columns and a Footer of 15 keys, nothing read."""

    BINDINGS: ClassVar[list[tuple[str, str, str]]] = [
        (key, "app.bell", key) for key in "abcdefghijklmno"
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A summary\nof three\nlines")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*"abcdefg")
        for row in range(50):
            table.add_row(*[f"cell {row}.{column}" for column in range(7)])


async def cpu(pilot: Pilot[object], act: Callable[[], Awaitable[object]]) -> float:
    """The process's CPU seconds for `act` and the app settling after it."""
    started = time.process_time()
    await act()
    await settle(pilot)
    return time.process_time() - started


async def measure(path: Path, rounds: int) -> dict[str, list[float]]:
    app = RecorderApp(StoreAccess(str(path), clock=FixedClock(NOW)))
    figures: dict[str, list[float]] = {
        "nothing (the measuring alone)": [],
        "a bare screen shown (the floor)": [],
        "open the 2,000-contact case": [],
        "page down in its timeline": [],
        "a key press in the list": [],
        "filter typing, per key": [],
        "the list after a pause in typing": [],
    }
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(rounds):
            assert isinstance(app.screen, TicketsScreen)
            await pilot.press("home")
            await settle(pilot)
            figures["nothing (the measuring alone)"].append(await cpu(pilot, pilot.pause))
            figures["a bare screen shown (the floor)"].append(
                await cpu(pilot, lambda: app.push_screen(Bare()))
            )
            app.pop_screen()
            await settle(pilot)
            figures["open the 2,000-contact case"].append(
                await cpu(pilot, lambda: pilot.press("enter"))
            )
            assert isinstance(app.screen, CaseScreen)
            assert app.screen.query_one(DataTable).row_count > 0
            figures["page down in its timeline"].append(
                await cpu(pilot, lambda: pilot.press("pageup"))
            )
            await pilot.press("escape")
            await settle(pilot)
            figures["a key press in the list"].append(await cpu(pilot, lambda: pilot.press("down")))
            await pilot.press("slash")
            started = time.process_time()
            await type_text(pilot, WORD)  # each key handled; the read waits for a pause
            typed = time.process_time() - started
            figures["filter typing, per key"].append(typed / len(WORD))
            started = time.process_time()
            await settle(pilot)  # the pause, the read, the list filled again
            figures["the list after a pause in typing"].append(time.process_time() - started)
            await pilot.press(*["backspace"] * len(WORD), "escape")
            await settle(pilot)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    targets = {
        "open the 2,000-contact case": 150,
        "page down in its timeline": 10,
        "a key press in the list": 10,
        "filter typing, per key": 20,
        "the list after a pause in typing": 150,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "screens.sqlite3"
        shutil.copyfile(cached(), path)
        add_big_case(path)
        figures = asyncio.run(measure(path, args.rounds))
    floor = statistics.median(figures.pop("nothing (the measuring alone)")) * 1000
    print(f"TUI on the bench store (10k cases, 100k contacts), 120x40: CPU ms, medians of "
          f"{args.rounds} rounds; net: less the measuring alone ({floor:.1f} ms: Pilot's "
          "press and waiting for the app to settle)")  # fmt: skip
    for name, samples in figures.items():
        median = statistics.median(samples) * 1000
        # A key typed is timed as it is handled, without waiting for the app to settle.
        net = median if name == "filter typing, per key" else median - floor
        wanted = targets.get(name)
        said = (
            "(Textual's own cost: no target)"
            if wanted is None
            else f"(target <= {wanted}): {'OK' if net <= wanted else 'MISSED'}"
        )
        print(f"  {name:<32} {median:7.1f}  net {net:7.1f}  worst {max(samples) * 1000:7.1f}  "
              f"{said}")  # fmt: skip


if __name__ == "__main__":
    main()
