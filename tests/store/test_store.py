"""The store on a real SQLite file: settings, file modes, locking, backups."""

from __future__ import annotations

import sqlite3
import stat
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from recorder.domain.clock import FixedClock
from recorder.domain.errors import StoreError
from recorder.store import db, sqlite_files
from recorder.store.lookups import count_rows
from recorder.store.session import Store
from recorder.write.audit import verify_store_chain
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.opening import open_store

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _log(store: Store, case_id: int, **extra: object) -> int:
    with store.write() as tx:
        contact = log_contact(
            tx, case_id=case_id, channel="ticket", direction="outbound", occurred_at=AT, **extra
        )
    assert contact.id is not None
    return contact.id


def _case(store: Store, title: str = "BTC withdrawal pending") -> int:
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title=title)
    assert case.id is not None
    return case.id


@pytest.mark.backends
def test_new_store_is_at_head_with_the_builtin_platforms(store: Store) -> None:
    assert db.current_revision(store.engine) == db.SCHEMA_HEAD
    with store.read() as session:
        from recorder.store.lookups import find_platform

        gemini = find_platform(session, "gemini")
        assert gemini.domains == ["gemini.com"]
        assert gemini.timezone == "America/New_York"
        assert gemini.windows["email"] == "72h"
        assert gemini.windows["ticket"] == "5 business days"
        assert gemini.holiday_country == "US"
        find_platform(session, "GENERIC")


@pytest.mark.backends
def test_reopening_a_store_keeps_its_rows_and_adds_no_presets(
    store: Store, store_url: str, clock: FixedClock
) -> None:
    case_id = _case(store)
    _log(store, case_id, text="hello")
    with store.read() as session:
        before = count_rows(session)
    store.close()
    again = open_store(store_url, clock=clock)
    assert not again.created
    with again.read() as session:
        assert count_rows(session) == before


def test_store_files_are_private(store: Store, db_path: Path, tmp_path: Path) -> None:
    screenshot = tmp_path / "shot.png"
    screenshot.write_bytes(b"\x89PNG fake")
    _log(store, _case(store), attach=[screenshot])
    assert _mode(db_path) == 0o600
    for suffix in ("-wal", "-shm"):
        assert _mode(db_path.with_name(db_path.name + suffix)) == 0o600
    assert _mode(store.files.root) == 0o700
    stored = list(store.files.root.rglob("*"))
    assert [p for p in stored if p.is_file()]
    for path in stored:
        assert _mode(path) == (0o700 if path.is_dir() else 0o600)


def test_sqlite_settings_hold_on_every_connection(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_write_transactions_begin_immediate(store: Store) -> None:
    statements: list[str] = []
    from sqlalchemy import event

    def remember(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", remember)
    try:
        with store.write() as tx:
            tx.session.execute(text("SELECT 1"))
    finally:
        event.remove(store.engine, "before_cursor_execute", remember)
    assert statements[0] == "BEGIN IMMEDIATE"


@pytest.mark.backends
def test_a_second_writer_waits_its_turn_instead_of_failing(
    store_url: str, store: Store, clock: FixedClock
) -> None:
    """Two processes' worth of stores write at once: both land, the chain stays whole."""
    case_id = _case(store)
    other = Store.open(store_url, clock=clock)
    holding = threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with store.write() as tx:
                # Read the chain head first, as every write does, then hold the lock.
                log_contact(
                    tx, case_id=case_id, channel="chat", direction="outbound", occurred_at=AT
                )
                holding.set()
                time.sleep(0.5)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=slow_writer)
    thread.start()
    holding.wait(5)
    _log(other, case_id, text="the second writer")
    thread.join()
    assert errors == []
    with store.read() as session:
        assert count_rows(session)["contacts"] == 2
        assert verify_store_chain(session).ok
    other.close()


def test_backup_is_a_consistent_private_copy_and_never_overwrites(
    store: Store, tmp_path: Path
) -> None:
    _log(store, _case(store), text="keep me")
    target = tmp_path / "backup.sqlite3"
    sqlite_files.backup(store.engine, target)
    assert _mode(target) == 0o600
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT text FROM contacts").fetchall() == [("keep me",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    before = target.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        sqlite_files.backup(store.engine, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if "partial" in p.name] == []


def test_backup_into_a_missing_directory_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is not a directory"):
        sqlite_files.backup(store.engine, tmp_path / "nowhere" / "b.sqlite3")


@pytest.mark.backends
def test_a_store_from_a_newer_recorder_is_refused(store: Store, store_url: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    store.close()
    with pytest.raises(StoreError, match="does not know"):
        Store.open(store_url)


def test_default_location_is_the_data_directory(tmp_path: Path) -> None:
    opened = open_store()
    try:
        assert (tmp_path / "data" / "recorder.sqlite3").is_file()
        assert opened.files.root == tmp_path / "data" / "attachments"
    finally:
        opened.close()


def test_recorder_db_names_another_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "elsewhere.sqlite3"
    monkeypatch.setenv("RECORDER_DB", f"sqlite:///{other}")
    open_store().close()
    assert other.is_file()
    assert not (tmp_path / "data" / "recorder.sqlite3").exists()
