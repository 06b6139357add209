"""Whole-process timings of the everyday CLI commands on the 10k-case bench store.

Prints medians of `recorder log`, `recorder list --json` and `recorder show --json`
beside `python -c "import sqlmodel"` (the floor of our stack), of `recorder --help`
beside `python -c "import click"`, and, where Debian's taskwarrior is installed,
`task add` and `task list` on 10k tasks.

Targets: log within 1.3x of the import floor (issue 2; 1.15x, issue 17), `list --json`
over 10k open cases no slower than `task list` over 10k tasks (issue 2); `due --json`
within 1.5x of `list --json` (issue 4); `--help` within 2x of importing click
(issue 17).

With `--postgres`, the same store is copied (`recorder db copy --to`) into a database
on a throw-away PostgreSQL server on this machine (tests/helpers/postgres.py), and the
store's commands run on it too, taking turns with SQLite's (issue 18).

    python bench/bench_cli.py [--runs 15] [--postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cached, compile_package, postgres_copy

Command = tuple[Sequence[str] | Callable[[int], Sequence[str]], dict[str, str]]
"""What to run (its argv, or the argv of run n) and its environment."""


def medians(commands: dict[str, Command], runs: int) -> dict[str, float]:
    """Median wall time of each command, run to completion with output discarded.

    The commands take turns, one run each per round, so that whatever else the
    machine does in the meantime weighs on all of them alike.
    """
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(runs):
        for name, (argv, env) in commands.items():
            args = argv(n) if callable(argv) else argv
            started = time.perf_counter()
            subprocess.run(args, env=env, stdout=subprocess.DEVNULL, check=True)
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) for name, times in samples.items()}


def taskwarrior(tasks: int, workdir: Path) -> dict[str, str] | None:
    """An environment whose taskwarrior holds `tasks` pending tasks, or None without it."""
    if shutil.which("task") is None:
        return None
    rc = workdir / "taskrc"
    data = workdir / "task"
    data.mkdir()
    rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n")
    env = {**os.environ, "TASKRC": str(rc)}
    items = [
        {
            "uuid": f"00000000-0000-4000-8000-{i:012d}",
            "description": f"Support case {i}: withdrawal pending",
            "status": "pending",
            "entry": "20261101T120000Z",
            "project": "support",
        }
        for i in range(tasks)
    ]
    dump = workdir / "tasks.json"
    dump.write_text(json.dumps(items))
    subprocess.run(["task", "import", str(dump)], env=env, check=True, capture_output=True)
    return env


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--postgres", action="store_true", help="Also on a PostgreSQL copy.")
    args = parser.parse_args()

    store = cached()
    compile_package()
    work = Path(tempfile.mkdtemp(prefix="recorder-bench-"))
    server = contextlib.ExitStack()
    try:
        db = work / "bench.sqlite3"
        shutil.copyfile(store, db)
        env = {**os.environ, "RECORDER_DB": str(db), "RECORDER_TZ": "UTC"}
        recorder = [sys.executable, "-m", "recorder"]
        commands: dict[str, Command] = {
            "import sqlmodel (floor)": ([sys.executable, "-c", "import sqlmodel"], env),
            "import click": ([sys.executable, "-c", "import click"], env),
            "recorder --help": ([*recorder, "--help"], env),
            **store_commands("", recorder, env),
        }
        if args.postgres:
            url = server.enter_context(postgres_copy(db))
            commands |= store_commands("pg: ", recorder, {**env, "RECORDER_DB": url})
        task_env = taskwarrior(10_000, work)
        if task_env is not None:
            commands["task list (10k tasks)"] = (["task", "list"], task_env)
            commands["task add (10k tasks)"] = (["task", "add", "one more"], task_env)
        figures = medians(commands, args.runs)

        listed = subprocess.run(
            [*recorder, "list", "--json"], env=env, capture_output=True, check=True
        ).stdout
        print(f"bench store: {store.name}; list --json returns {len(json.loads(listed))} cases")
        print(f"medians over {args.runs} runs each")
        for name, seconds in figures.items():
            print(f"  {name:<28} {seconds * 1000:8.1f} ms")
        floor = figures["import sqlmodel (floor)"]
        print(f"log / import floor: {figures['recorder log'] / floor:.2f}x (target <= 1.15x)")
        helped = figures["recorder --help"] / figures["import click"]
        print(f"--help / import click: {helped:.2f}x (target <= 2.00x)")
        due = figures["recorder due --json"] / figures["recorder list --json"]
        print(f"due --json / list --json: {due:.2f}x (target <= 1.50x)")
        if args.postgres:
            for name in ("log", "list --json", "show --json", "due --json", "search"):
                ratio = figures[f"pg: recorder {name}"] / figures[f"recorder {name}"]
                print(f"PostgreSQL / SQLite, recorder {name}: {ratio:.2f}x")
        if "task list (10k tasks)" in figures:
            ratio = figures["recorder list --json"] / figures["task list (10k tasks)"]
            print(f"list --json / task list: {ratio:.2f}x (target <= 1.00x)")
        else:
            print("taskwarrior is not installed: no comparison with task list")
    finally:
        server.close()
        shutil.rmtree(work, ignore_errors=True)


def store_commands(prefix: str, recorder: list[str], env: dict[str, str]) -> dict[str, Command]:
    """The commands that use the store, named with `prefix`."""
    log = ["log", "--case", "5000", "--channel", "chat", "--direction", "out"]
    return {
        # A new message each run, as in use: the same one again would be flagged (the
        # duplicate check runs as part of it).
        f"{prefix}recorder log": (lambda n: [*recorder, *log, "--text", f"Any news? ({n})"], env),
        f"{prefix}recorder list --json": ([*recorder, "list", "--json"], env),
        f"{prefix}recorder show --json": ([*recorder, "show", "5000", "--json"], env),
        f"{prefix}recorder due --json": ([*recorder, "due", "--json"], env),
        # A word in no text: the longest search, every text read or looked up.
        f"{prefix}recorder search": ([*recorder, "search", "zyxwvut"], env),
    }


if __name__ == "__main__":
    main()
