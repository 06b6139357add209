"""The terminal UI's screens on the 10k-case / 100k-contact bench store, in CPU time.

Adds to a copy of the bench store a case of 2,000 contacts (copies of stored ones),
then drives the app headless with Textual's Pilot, as a user's keys would, and
measures the process's CPU time (every thread: the workers' reads count) of:
- opening that case from the list, until its timeline is shown;
- a page down in its timeline, and a key press (down) in the list;
- typing a 10-letter word in the list's filter, until the list shows what it matches,
  per character.

Targets (issue 17): opening a 2,000-contact case <= 150 ms; a key press <= 10 ms;
filter typing <= 20 ms per character. What measuring costs (Pilot's press, and waiting
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate import NOW, cached
from textual.pilot import Pilot
from textual.widgets import DataTable

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
        "open the 2,000-contact case": [],
        "page down in its timeline": [],
        "a key press in the list": [],
        "filter typing, per character": [],
    }
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(rounds):
            assert isinstance(app.screen, TicketsScreen)
            await pilot.press("home")
            await settle(pilot)
            figures["nothing (the measuring alone)"].append(await cpu(pilot, pilot.pause))
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
            typed = await cpu(pilot, lambda: type_text(pilot, WORD))
            figures["filter typing, per character"].append(typed / len(WORD))
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
        "filter typing, per character": 20,
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
        per = len(WORD) if "per character" in name else 1
        net = median - floor / per
        verdict = "OK" if net <= targets[name] else "MISSED"
        print(f"  {name:<32} {median:7.1f}  net {net:7.1f}  worst {max(samples) * 1000:7.1f}  "
              f"(target <= {targets[name]}): {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
