"""Killing a command at a random moment, as a power cut or `kill -9` does.

The command runs in a process forked from the test (everything imported already, so a
run costs milliseconds, not an interpreter's start) and is sent SIGKILL after a delay;
what it printed before dying is read back, so that a test knows which contacts were
acknowledged to the user.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from recorder.cli import Setup, cli


@dataclass
class Killed:
    """How a killed (or finished) command ended."""

    printed: str
    finished: bool
    """Whether it ended by itself before the kill came."""
    children: list[int] = field(default_factory=list)
    """The processes it had forked when it was killed."""


def run_killed(db: Path, args: list[str], delay: float | None) -> Killed:
    """Run `recorder --db DB ARGS` in a forked process and SIGKILL it after `delay`
    seconds (None: let it finish)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the command
        os.close(read_end)
        code = 0
        try:
            sys.stdout = os.fdopen(write_end, "w", buffering=1)
            sys.stderr = Path(os.devnull).open("w")  # noqa: SIM115 - the process ends below
            cli.main(["--db", str(db), *args], prog_name="recorder", obj=Setup())
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        except BaseException:
            code = 99
        os._exit(code)
    os.close(write_end)
    children: list[int] = []
    if delay is not None:
        time.sleep(delay)
        children = children_of(pid)
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end) as printed:
        return Killed(printed.read(), os.WIFEXITED(status), children)


def duration(db: Path, args: list[str]) -> float:
    """How long the command takes when nothing stops it."""
    started = time.perf_counter()
    done = run_killed(db, args, None)
    assert done.finished, done.printed
    return time.perf_counter() - started


def children_of(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """Whether a process runs (a zombie, dead but not yet reaped, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def outlived(pids: list[int], wait: float = 3.0) -> list[int]:
    """Of these processes, those still running after `wait` seconds."""
    deadline = time.monotonic() + wait
    alive = [p for p in pids if running(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if running(p)]
    return alive


def leftovers(folder: Path) -> list[str]:
    """What interrupted commands could leave in a store's folder or an export folder:
    partial copies, journals, partial exports and backups, export registrations."""
    names = []
    for path in folder.rglob("*"):
        name = path.name
        if (
            name.startswith((".incoming-", ".pending-"))
            or name.endswith(".partial")
            or ".partial-" in name
            or (path.parent.name == "exports-in-progress")
        ):
            names.append(str(path.relative_to(folder)))
    return sorted(names)
