"""Running the command line through click's runner, as a user runs it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from recorder.cli import Setup, cli
from recorder.domain.clock import Clock


def run(
    db: Path | str, *args: str, input: str | bytes | None = None, setup: Setup | None = None
) -> Result:
    """Run `recorder --db DB ARGS...` (DB a SQLite file or a store's URL) and return
    what happened; `setup` gives the command line a fixed clock or a stand-in for the
    terminal UI, as `recorder.main` gives it the real ones."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input, obj=setup)


def ok(db: Path | str, *args: str, setup: Setup | None = None) -> str:
    """Run a command that must succeed; return what it printed."""
    result = run(db, *args, setup=setup)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


def at(clock: Clock) -> Setup:
    """A command line whose clock is `clock`."""
    return Setup(clock=clock)
