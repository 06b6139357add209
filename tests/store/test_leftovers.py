"""What interrupted commands leave behind is swept when the store is next opened, a
rolled-back attachment never takes a file another contact holds, and what recorder
writes is the user's alone."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from recorder.domain.clock import FixedClock
from recorder.store.models import AuditEvent
from recorder.store.session import Store, Tx
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.opening import open_store
from recorder.write.sweep import EXPORTS_DIR
from tests.helpers.cli import ok

AT = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    return int(child.stdout)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _log(store: Store, case_id: int, shot: Path) -> int:
    with store.write() as tx:
        contact = log_contact(
            tx, case_id=case_id, channel="chat", direction="outbound", occurred_at=AT,
            text="here is the screenshot", attach=[shot],
        )  # fmt: skip
    assert contact.id is not None
    return contact.id


def _case(store: Store) -> int:
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="Withdrawal pending")
    assert case.id is not None
    return case.id


def test_a_rolled_back_attachment_leaves_nothing(store: Store, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG only here")
    case_id = _case(store)
    with pytest.raises(RuntimeError), store.write() as tx:
        log_contact(tx, case_id=case_id, channel="chat", direction="outbound",
                    occurred_at=AT, attach=[shot])  # fmt: skip
        raise RuntimeError("the user pressed Ctrl-C")
    assert [p.name for p in store.files.root.rglob("*") if p.is_file()] == []


def test_a_rolled_back_attachment_keeps_the_file_a_concurrent_contact_committed(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG the same screenshot, twice")
    case_id = _case(store)
    forget = Store._forget_files

    def other_writer_first(self: Store, tx: Tx) -> None:
        # Between the rollback and its clean-up, another writer attaches the same file.
        other = threading.Thread(target=_log, args=(store, case_id, shot))
        other.start()
        other.join()
        forget(self, tx)

    monkeypatch.setattr(Store, "_forget_files", other_writer_first)
    with pytest.raises(RuntimeError), store.write() as tx:
        log_contact(tx, case_id=case_id, channel="chat", direction="outbound",
                    occurred_at=AT, attach=[shot])  # fmt: skip
        raise RuntimeError("failed after the copy")
    files = [p for p in store.files.root.rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].read_bytes() == shot.read_bytes()


def test_what_a_killed_log_left_is_swept_and_audited(db_path: Path, tmp_path: Path) -> None:
    store = open_store(str(db_path))
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG kept")
    _log(store, _case(store), shot)
    kept = next(p for p in store.files.root.rglob("*") if p.is_file())
    orphan_sha = "ab" * 32
    orphan = store.files.path_of(orphan_sha)
    orphan.parent.mkdir(exist_ok=True)
    orphan.write_bytes(b"copied, never committed")
    dead = _dead_pid()
    journal = store.files.root / f".pending-{dead}-0a0b0c"
    journal.write_text(f"{orphan_sha}\n{kept.name}\n")
    incoming = store.files.root / f".incoming-{dead}-0d0e0f"
    incoming.write_bytes(b"half a copy")
    store.close()

    again = open_store(str(db_path))
    assert not orphan.exists() and not journal.exists() and not incoming.exists()
    assert kept.exists(), "a file a row refers to is never swept"
    with again.read() as session:
        event = session.exec(
            select(AuditEvent).where(AuditEvent.entity == "attachment_files")
        ).one()
    assert json.loads(event.change)["before"] == {"orphans": [orphan_sha], "partial": 2}
    again.close()


def test_a_leftover_of_a_running_process_is_left_alone(db_path: Path) -> None:
    store = open_store(str(db_path))
    store.files.root.mkdir(parents=True, exist_ok=True)
    mine = store.files.root / f".incoming-{os.getpid()}-010203"
    mine.write_bytes(b"being copied right now")
    store.close()
    open_store(str(db_path)).close()
    assert mine.exists()


def test_a_killed_exports_partial_folder_is_swept(db_path: Path, tmp_path: Path) -> None:
    store = open_store(str(db_path))
    dead = _dead_pid()
    partial = tmp_path / f".evidence.{dead}.x1y2z3.partial"
    (partial / "data").mkdir(parents=True)
    (partial / "data" / "records.json").write_text("{")
    registry = store.files.root.parent / EXPORTS_DIR
    registry.mkdir(parents=True)
    note = {"pid": dead, "parent": str(tmp_path), "prefix": f".evidence.{dead}."}
    (registry / f"{dead}-1.json").write_text(json.dumps(note))
    store.close()
    open_store(str(db_path)).close()
    assert not partial.exists()
    assert list(registry.iterdir()) == []


def test_exports_and_calendars_are_private_whatever_the_umask(
    db_path: Path, tmp_path: Path
) -> None:
    store = open_store(str(db_path), clock=FixedClock(AT))
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG private")
    _log(store, _case(store), shot)
    store.close()
    old = os.umask(0o022)
    try:
        ok(db_path, "export", str(tmp_path / "bag"))
        ok(db_path, "export", "--zip", str(tmp_path / "bag.zip"))
        ok(db_path, "export", "--format", "html", str(tmp_path / "timeline.html"))
        ok(db_path, "calendar", str(tmp_path / "due.ics"))
    finally:
        os.umask(old)
    bag = tmp_path / "bag"
    for item in [bag, *bag.rglob("*")]:
        assert _mode(item) == (0o700 if item.is_dir() else 0o600), item
    for name in ("bag.zip", "timeline.html", "due.ics"):
        assert _mode(tmp_path / name) == 0o600, name


def test_an_existing_store_readable_by_others_is_tightened(db_path: Path) -> None:
    open_store(str(db_path)).close()
    db_path.chmod(0o644)
    open_store(str(db_path)).close()
    assert _mode(db_path) == 0o600


def test_the_daily_sweep_keeps_what_the_history_names(db_path: Path, tmp_path: Path) -> None:
    from recorder.write.contacts import delete_contact

    store = open_store(str(db_path))
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG of a deleted contact")
    contact_id = _log(store, _case(store), shot)
    with store.write() as tx:
        delete_contact(tx, contact_id)
    kept = next(p for p in store.files.root.rglob("*") if p.is_file() and p.name != ".swept")
    stray_sha = "cd" * 32
    stray = store.files.path_of(stray_sha)
    stray.parent.mkdir(exist_ok=True)
    stray.write_bytes(b"left by an older recorder")
    two_days_ago = stray.stat().st_mtime - 2 * 24 * 3600
    for path in (kept, stray, store.files.root / ".swept"):
        if path.exists():
            os.utime(path, (two_days_ago, two_days_ago))
    store.close()
    open_store(str(db_path)).close()
    assert kept.exists(), "the file of a deleted contact's attachment is history"
    assert not stray.exists(), "a file nothing names, older than a day, is swept"
