"""Opening a store is all or nothing: the schema, its presets and its back-fills in one
transaction; other programs' files refused; several processes opening one new store
at once all succeed."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from pathlib import Path

import pytest

from recorder.domain.errors import StoreError
from recorder.store import db
from recorder.store.lookups import count_rows
from recorder.store.session import Store, Tx
from recorder.write.opening import open_store

SOAK = bool(os.environ.get("RECORDER_SOAK"))


def _application_id(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[68:72], "big")


def test_a_new_store_carries_recorders_mark(db_path: Path) -> None:
    open_store(str(db_path)).close()
    assert _application_id(db_path) == db.APPLICATION_ID


def test_another_programs_database_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "photos.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE albums (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO albums (name) VALUES ('summer')")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="holds tables of another program"):
        open_store(str(path))
    assert path.read_bytes() == before


def test_a_database_marked_by_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(StoreError, match=r"another program \(SQLite application id 0x4d2\)"):
        open_store(str(path))


@pytest.mark.parametrize(
    "content", [b"just some notes\n" * 20, b"SQLite format 3\x00" + b"\xff" * 30]
)
def test_a_file_that_is_not_a_database_is_refused_in_one_line(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        open_store(str(path))
    message = str(caught.value)
    assert "\n" not in message
    assert "is not a SQLite database" in message
    assert "recorder db backup" in message  # the way out, if it was a store
    assert path.read_bytes() == content


def test_an_interrupted_first_run_leaves_nothing_half_made(db_path: Path) -> None:
    def interrupted(tx: Tx, revision: str | None) -> None:
        from recorder.write.opening import prepare

        prepare(tx, revision)
        raise KeyboardInterrupt  # as if killed after the schema and half the presets

    with pytest.raises(KeyboardInterrupt):
        Store.open(str(db_path), prepare=interrupted)
    engine = db.make_engine(f"sqlite:///{db_path}")
    assert db.current_revision(engine) is None, "the schema outlived its presets"
    engine.dispose()

    store = open_store(str(db_path))
    assert store.created
    with store.read() as session:
        assert count_rows(session)["platforms"] == 2  # Gemini and Generic
    store.close()


def test_a_store_left_without_presets_by_an_older_recorder_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine, "0006")  # schema made, presets never written: the old bug
    engine.dispose()
    store = open_store(str(path))
    with store.read() as session:
        from recorder.store.lookups import find_platform

        assert find_platform(session, "Gemini").jurisdiction == "US-NY"
    store.close()


def _open_at_once(path: str, barrier: multiprocessing.synchronize.Barrier) -> None:
    barrier.wait()
    try:
        open_store(path).close()
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}", flush=True)
        os._exit(1)
    os._exit(0)


@pytest.mark.parametrize("processes", [2, 4])
def test_processes_opening_one_new_store_at_once_all_succeed(
    tmp_path: Path, processes: int
) -> None:
    context = multiprocessing.get_context("fork")
    trials = 500 if SOAK else 25  # 2 and 4 processes: 50 openings at once in all
    failures = []
    for trial in range(trials):
        path = tmp_path / f"new-{trial}.sqlite3"
        barrier = context.Barrier(processes)
        children = [
            context.Process(target=_open_at_once, args=(str(path), barrier))
            for _ in range(processes)
        ]
        for child in children:
            child.start()
        for child in children:
            child.join(60)
        failures += [trial for child in children if child.exitcode != 0]
        store = open_store(str(path))
        with store.read() as session:
            assert count_rows(session)["platforms"] == 2  # Gemini and Generic
        store.close()
    assert failures == []


def test_missing_duplicate_keys_are_found_on_open_and_filled_in(db_path: Path) -> None:
    from sqlmodel import select

    from recorder.store.models import Contact
    from recorder.write.cases import open_case
    from recorder.write.contacts import log_contact

    store = open_store(str(db_path))
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="Frozen account")
        assert case.id is not None
        log_contact(tx, case_id=case.id, channel="email", direction="outbound",
                    occurred_at=store.clock.now(), text="Please unfreeze my account.")  # fmt: skip
    store.close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE contacts SET message_key = NULL")
    conn.close()
    again = open_store(str(db_path))
    with again.read() as session:
        assert all(session.exec(select(Contact.message_key)).all())
    again.close()
