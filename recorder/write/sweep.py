"""The sweep when a store is opened: what interrupted commands left behind is removed,
and the removal is audited.

- a transaction's journal of attachment files, left by a process that is gone: each
  file it lists that no attachment row refers to (its transaction never committed);
- partial copies into the attachment store (`.incoming-*`) of a process that is gone,
  or older than a day;
- an export's partial folder whose process is gone (exports register themselves,
  recorder.export.make);
- a backup's partial copy (`.NAME.partial-PID` beside the store) whose process is gone;
- once a day, every attachment file that no row refers to and is older than a day
  (left by older versions of recorder, which kept no journal).

It runs under the write lock: no other writer is between copying a file and committing
its row, so a file without a row then is one that nothing will claim.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from recorder.domain.vocabulary import AuditAction
from recorder.store.attachments import Leftover, read_journal
from recorder.store.models import Attachment, AuditEvent, table_of
from recorder.store.session import Store, Tx
from recorder.write.audit import append_change

DAY = 24 * 3600
EXPORTS_DIR = "exports-in-progress"
SWEPT_MARK = ".swept"


def alive(pid: int) -> bool:
    """Whether a process with this id runs (on this machine)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stale(pid: int, mtime: float, now: float) -> bool:
    """Whether what a process left is abandoned: the process is gone, or a day passed."""
    return pid != os.getpid() and (not alive(pid) or now - mtime > DAY)


@dataclass
class Swept:
    """What a sweep removed."""

    files: list[str] = field(default_factory=list)
    """Digests of attachment files no row referred to."""
    partial: int = 0
    """Partial copies, journals and export folders."""

    def __bool__(self) -> bool:
        return bool(self.files or self.partial)


def exports_dir(store: Store) -> Path:
    """Where exports in progress register their partial folders."""
    return store.files.root.parent / EXPORTS_DIR


def sweep(store: Store) -> Swept:
    """Remove what interrupted commands left; one listing of each folder when nothing
    was left, so that opening a store stays cheap."""
    now = time.time()
    found = [f for f in store.files.leftovers() if stale(f.pid, f.mtime, now)]
    found += _stale_backups(store.files.root.parent, now)
    exports = _stale_exports(exports_dir(store), now)
    mark = store.files.root / SWEPT_MARK
    try:
        daily = now - mark.stat().st_mtime > DAY
    except FileNotFoundError:
        daily = store.files.root.is_dir()
    swept = Swept()
    if not (found or exports or daily):
        return swept
    with store.write() as tx:
        suspects = {sha for f in found if f.journal for sha in read_journal(f.path)}
        if daily:
            suspects |= {sha for sha, mtime in store.files.stored() if now - mtime > DAY}
        used = _referenced(tx, suspects)
        for sha in sorted(suspects - used):
            if store.files.path_of(sha).exists():
                store.files.remove(sha)
                swept.files.append(sha)
        for leftover in found:
            leftover.path.unlink(missing_ok=True)
            swept.partial += 1
        for entry, partials in exports:
            for partial in partials:
                shutil.rmtree(partial, ignore_errors=True)
                swept.partial += 1
            entry.unlink(missing_ok=True)
        if swept:
            append_change(
                tx,
                AuditAction.delete,
                "attachment_files",
                0,
                before={"orphans": swept.files, "partial": swept.partial},
            )
    if daily:
        mark.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        mark.touch()
    return swept


def _stale_backups(folder: Path, now: float) -> list[Leftover]:
    """Partial backups (recorder.store.sqlite_files.backup) whose process is gone."""
    found = []
    for path in folder.glob(".*.partial-*"):
        # The copy, and the journal SQLite keeps beside it while writing it.
        named = re.search(r"\.partial-(\d+)(-journal|-wal|-shm)?$", path.name)
        if named and path.is_file():
            leftover = Leftover(path, False, int(named.group(1)), path.stat().st_mtime)
            if stale(leftover.pid, leftover.mtime, now):
                found.append(leftover)
    return found


def _referenced(tx: Tx, digests: set[str]) -> set[str]:
    """The digests an attachment row refers to, or the history does (the file of a
    deleted contact's attachment is kept: the audit chain names it)."""
    if not digests:
        return set()
    column = table_of(Attachment).c.sha256
    found: set[str] = set()
    ordered = sorted(digests)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        rows = tx.session.connection().execute(sa.select(column).where(column.in_(chunk)))
        found |= {row[0] for row in rows}
    events = table_of(AuditEvent)
    for sha in sorted(digests - found):
        named = tx.session.connection().execute(
            sa.select(events.c.id)
            .where(events.c.entity == "attachments", events.c.change.contains(sha))
            .limit(1)
        )
        if named.first() is not None:
            found.add(sha)
    return found


def _stale_exports(folder: Path, now: float) -> list[tuple[Path, list[Path]]]:
    """Registered exports whose process is gone: each entry, and the partial folders
    it left (`.NAME.PID.*.partial` in the folder it exported into)."""
    out: list[tuple[Path, list[Path]]] = []
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return []
    for entry in entries:
        try:
            said = json.loads(entry.read_text("utf-8"))
            pid, parent, prefix = int(said["pid"]), Path(said["parent"]), str(said["prefix"])
        except (OSError, ValueError, KeyError, TypeError):
            out.append((entry, []))  # unreadable: drop the entry alone
            continue
        if not stale(pid, entry.stat().st_mtime, now):
            continue
        if "/" in prefix or not prefix.startswith(".") or not prefix.endswith(f".{pid}."):
            out.append((entry, []))
            continue
        out.append((entry, sorted(parent.glob(f"{glob_escape(prefix)}*.partial"))))
    return out


def glob_escape(text: str) -> str:
    """A literal part of a glob pattern."""
    import glob

    return glob.escape(text)
