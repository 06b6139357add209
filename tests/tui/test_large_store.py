"""The open tickets on a large store: the first rows come without reading any contact."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from textual.widgets import DataTable, Static

from recorder.store.readers import SqliteReader
from recorder.tui.screens.tickets import PAGE
from recorder.write.opening import UNKEYED
from tests.helpers.tui import SIZE, make_app, settle

# Its module fixture is built once: `make test` keeps these tests on one worker.
pytestmark = pytest.mark.xdist_group("large_store")

BENCH = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


@pytest.fixture(scope="module")
def large_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10k cases and 100k contacts (short texts: the count is what matters here)."""
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH)
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    path = tmp_path_factory.mktemp("large") / "recorder.sqlite3"
    generator.generate(path, cases=10_000, contacts=100_000, text_bytes=40)
    return path


async def test_first_rows_without_reading_contacts(
    large_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements: list[str] = []
    light_rows = SqliteReader.rows

    def spy(self: SqliteReader, sql: str, params: Any = None) -> Any:
        statements.append(sql)
        return light_rows(self, sql, params)

    def remember(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    monkeypatch.setattr(SqliteReader, "rows", spy)
    event.listen(Engine, "before_cursor_execute", remember)
    try:
        app = make_app(large_store)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = app.screen.query_one(DataTable)
            assert table.row_count == PAGE
            assert "hidden" not in app.screen.query_one("#more", Static).classes
    finally:
        event.remove(Engine, "before_cursor_execute", remember)
    # Opening the full store in the background looks up contacts missing their
    # duplicate key (recorder.write.opening.UNKEYED): an index lookup, not the list's.
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT") and s != UNKEYED]
    assert any("FROM cases" in s for s in reads)
    assert not [s for s in reads if "contacts" in s], "the list read contacts"
