"""Whole-process timings of the everyday CLI commands on the 10k-case bench store.

Prints medians of `recorder log`, `recorder list --json` and `recorder show --json`
beside `python -c "import sqlmodel"` (the floor of our stack) and, where Debian's
taskwarrior is installed, `task add` and `task list` on 10k tasks.

Targets (issue 2): log within 1.3x of the import floor; `list --json` over 10k open
cases no slower than `task list` over 10k tasks.

    python bench/bench_cli.py [--runs 15]
"""

from __future__ import annotations

import argparse
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

from generate import cached  # noqa: E402


def timed(argv: Sequence[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of running `argv` to completion, output discarded."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


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
    args = parser.parse_args()

    store = cached()
    work = Path(tempfile.mkdtemp(prefix="recorder-bench-"))
    try:
        db = work / "bench.sqlite3"
        shutil.copyfile(store, db)
        env = {**os.environ, "RECORDER_DB": str(db), "RECORDER_TZ": "UTC"}
        recorder = [sys.executable, "-m", "recorder"]
        run: Callable[[Sequence[str], dict[str, str]], float] = lambda argv, e: timed(  # noqa: E731
            argv, e, args.runs
        )
        figures: dict[str, float] = {}
        figures["import sqlmodel (floor)"] = run([sys.executable, "-c", "import sqlmodel"], env)
        figures["recorder log"] = run(
            [*recorder, "log", "--case", "5000", "--channel", "chat", "--direction", "out",
             "--text", "Still waiting for an answer."],
            env,
        )
        figures["recorder list --json"] = run([*recorder, "list", "--json"], env)
        figures["recorder show --json"] = run([*recorder, "show", "5000", "--json"], env)
        task_env = taskwarrior(10_000, work)
        if task_env is not None:
            figures["task list (10k tasks)"] = run(["task", "list"], task_env)
            figures["task add (10k tasks)"] = run(["task", "add", "one more"], task_env)

        listed = subprocess.run(
            [*recorder, "list", "--json"], env=env, capture_output=True, check=True
        ).stdout
        print(f"bench store: {store.name}; list --json returns {len(json.loads(listed))} cases")
        print(f"medians over {args.runs} runs each")
        for name, seconds in figures.items():
            print(f"  {name:<28} {seconds * 1000:8.1f} ms")
        floor = figures["import sqlmodel (floor)"]
        print(f"log / import floor: {figures['recorder log'] / floor:.2f}x (target <= 1.30x)")
        if "task list (10k tasks)" in figures:
            ratio = figures["recorder list --json"] / figures["task list (10k tasks)"]
            print(f"list --json / task list: {ratio:.2f}x (target <= 1.00x)")
        else:
            print("taskwarrior is not installed: no comparison with task list")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
