"""Every query behind a command uses an index: none reads the whole contacts table.

`recorder stats` is left out on purpose: it sums up every contact of the history.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import event
from sqlalchemy.engine import Engine

from recorder.cli import cli
from recorder.store.readers import SqliteReader

FORBIDDEN = ("SCAN contacts", "SCAN attachments")


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """Every statement run while the test runs: by any engine, and by the light reader."""
    seen: list[tuple[str, Any]] = []

    def remember(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        seen.append((statement, parameters))

    light_rows = SqliteReader.rows

    def spy(self: SqliteReader, sql: str, params: Any = None) -> Any:
        seen.append((sql, params))
        light.append(sql)
        return light_rows(self, sql, params)

    light: list[str] = []
    monkeypatch.setattr(SqliteReader, "rows", spy)
    event.listen(Engine, "before_cursor_execute", remember)
    yield seen
    event.remove(Engine, "before_cursor_execute", remember)
    assert light, "the light reader was never used"


def _plan(db: Path, statement: str, parameters: Any) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(f"EXPLAIN QUERY PLAN {statement}", parameters or ()).fetchall()
    return [row[-1] for row in rows]


def test_commands_never_scan_contacts(tmp_path: Path, statements: list[tuple[str, Any]]) -> None:
    db = tmp_path / "plans.sqlite3"
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout.strip()

    shot = tmp_path / "a.png"
    shot.write_bytes(b"png")
    for n in range(3):
        case = run("case", "new", "--platform", "Gemini", "--title", f"problem {n}")
        for m in range(3):
            run(
                "log",
                "--case",
                case,
                "--channel",
                "ticket",
                "--direction",
                "out",
                "--ref",
                f"R{n}{m}",
                "--text",
                "text",
                "--attach",
                str(shot),
            )
    statements.clear()
    contact = run("log", "--case", "1", "--channel", "chat", "--direction", "in", "--json")
    assert contact
    for args in (
        ["list", "--json"],
        ["list", "--all", "--platform", "gemini"],
        ["list", "--status", "open", "--json"],
        ["show", "2", "--json"],
        ["show", "2"],
        ["case", "status", "1", "waiting_on_me"],
        ["case", "edit", "1", "--title", "renamed"],
        ["contact", "edit", "1", "--text", "edited"],
        ["contact", "delete", "2", "--yes"],
        ["platform", "list"],
        ["platform", "show", "gemini"],
        ["due", "--json"],
        ["due", "--within", "30d"],
        ["platform", "edit", "gemini", "--window", "chat=15m"],
        ["scan", "--json"],
        ["scan", "--case", "1"],
    ):
        run(*args)

    checked = 0
    for statement, parameters in statements:
        head = statement.lstrip().split(None, 1)[0].upper()
        if head not in ("SELECT", "UPDATE", "DELETE"):
            continue
        plan = _plan(db, statement, parameters)
        checked += 1
        for line in plan:
            assert not any(line.startswith(bad) for bad in FORBIDDEN), (statement, plan)
    assert checked > 20
