"""An import commits in batches: many messages to a commit, but never holding the
store's write lock for long, so that another command can write between two batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recorder.ingest import importer
from recorder.ingest.importer import Options, import_messages
from recorder.ingest.sources import sources_of
from recorder.store.session import Store
from tests.ingest.conftest import HELPDESKS

THREAD = sorted(HELPDESKS.glob("0[1-4]-*.eml"))


def _committed(db_path: Path) -> int:
    with sqlite3.connect(db_path) as conn:  # another connection sees commits only
        count: int = conn.execute("SELECT count(*) FROM emails").fetchone()[0]
        return count


def _import(store: Store, db_path: Path) -> list[int]:
    seen: list[int] = []
    raws = (raw for source in sources_of(THREAD) for raw in source.messages())

    def tell(done: int, total: int) -> None:
        seen.append(_committed(db_path))

    import_messages(store, raws, Options(), tell=tell)
    return seen


def test_messages_share_a_commit_while_it_is_short(store: Store, db_path: Path) -> None:
    assert _import(store, db_path) == [0, 0, 0, 0]
    assert _committed(db_path) == 4


def test_a_batch_that_runs_long_is_committed_before_the_next_message(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH_SECONDS", 0.0)
    assert _import(store, db_path) == [0, 1, 2, 3]
    assert _committed(db_path) == 4
