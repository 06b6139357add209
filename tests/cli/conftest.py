"""Running the command line through click's runner, as the CLI tests do."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from recorder.cli import cli


def run(db: Path, *args: str, input: str | bytes | None = None) -> Result:
    """Run `recorder --db DB ARGS...` and return what happened."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input)


def ok(db: Path, *args: str) -> str:
    """Run a command that must succeed; return what it printed."""
    result = run(db, *args)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout
