"""Time from start to the first painted open-tickets screen, against a bare Textual app.

The bare app mounts an empty DataTable; the furnished one, as issue 17 names it, a
Header, a Footer and a DataTable of 50 rows. recorder is timed on an empty store and on
the 10k-case / 100k-contact bench store, until a paint is done that shows its rows
(or the welcome of an empty store). Each child process prints a line when it has
painted; the time is taken from its start to that line. Both are started as their
commands start them; recorder's code is byte-compiled, as an installed wheel is.

Targets: the large store costs less than 1.5x the bare app (issue 3), and at most 1.3x
the furnished one (issue 17).

    python bench/bench_tui.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PAINTED = "painted"


def bare() -> None:
    """A bare Textual app that mounts an empty DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_mount(self) -> None:
            self.call_after_refresh(painted, self)

    Bare().run(headless=True, size=(80, 24))


def furnished() -> None:
    """A Textual app with a Header, a Footer and a DataTable of 50 rows."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Furnished(App[None]):
        BINDINGS = [("q", "quit", "Quit"), ("n", "bell", "New")]  # noqa: RUF012

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("Platform", "Title", "Status", "Ref", "Last", "Next")
            for row in range(50):
                table.add_row("Gemini", f"Case {row}", "open", "4815162", "01 Dec", "02 Dec")
            self.call_after_refresh(painted, self)

    Furnished().run(headless=True, size=(80, 24))


def recorder(db: str) -> None:
    """recorder's app, until the open tickets are on the screen; started as the
    `recorder` command starts it (recorder.main.main, then run_tui)."""
    from recorder.process import quick_start

    quick_start()  # as recorder.main.main does
    from textual.widgets import DataTable

    from recorder.access import StoreAccess
    from recorder.tui.app import RecorderApp
    from recorder.tui.screens.tickets import TicketsScreen

    class Probe(RecorderApp):
        def on_mount(self) -> None:
            # No super().on_mount(): Textual calls RecorderApp's handler itself, and
            # calling it here too pushed a second open-tickets screen, timed twice.
            self.call_after_refresh(self.after_paint)

        def after_paint(self) -> None:
            # Called once a paint is done: were the open tickets in it?
            screen = self.screen
            if isinstance(screen, TicketsScreen):
                welcome = "hidden" not in screen.query_one("#welcome").classes
                if screen.query_one(DataTable).row_count or welcome:
                    painted(self)
            self.call_after_refresh(self.after_paint)

    Probe(StoreAccess(db)).run(headless=True, size=(80, 24))


def painted(app: object) -> None:
    """Say so, and leave."""
    print(PAINTED, flush=True)
    os._exit(0)  # the time asked for ends here; do not wait for background imports


def time_to_paint(argv: list[str]) -> float:
    """Seconds from starting `argv` to its painted line."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    elapsed = time.perf_counter() - started
    child.wait()
    if line != PAINTED:
        raise SystemExit(f"{argv} never painted")
    return elapsed


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child[0] == "bare":
            bare()
        elif args.child[0] == "furnished":
            furnished()
        else:
            recorder(args.child[1])
        return

    # Imported here, in the parent only: the timed children must load nothing extra.
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from generate import cached, compile_package

    large = cached()
    compile_package()
    with tempfile.TemporaryDirectory() as work:
        empty = str(Path(work) / "empty.sqlite3")
        from recorder.access import StoreAccess

        StoreAccess(empty).store()  # a store at head, with only the built-in platforms
        me = [sys.executable, __file__, "--child"]
        commands = {
            "bare Textual app, empty DataTable": [*me, "bare"],
            "Header, Footer, 50-row DataTable": [*me, "furnished"],
            "recorder, empty store": [*me, "recorder", empty],
            "recorder, 10k cases / 100k contacts": [*me, "recorder", str(large)],
        }
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                samples[name].append(time_to_paint(argv))
    figures = {name: statistics.median(times) for name, times in samples.items()}
    print(f"time to the first painted screen, medians over {args.runs} runs each")
    for name, seconds in figures.items():
        print(f"  {name:<38} {seconds * 1000:7.1f} ms")
    floor = figures["bare Textual app, empty DataTable"]
    furnished_app = figures["Header, Footer, 50-row DataTable"]
    for name in list(commands)[2:]:
        print(f"{name} / bare app: {figures[name] / floor:.2f}x (target < 1.50x); "
              f"/ furnished: {figures[name] / furnished_app:.2f}x (target <= 1.30x)")  # fmt: skip


if __name__ == "__main__":
    main()
