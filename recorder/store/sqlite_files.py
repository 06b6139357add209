"""A SQLite store's file: VACUUM into pages of the size recorder uses, its size, and
its backup (SQLite's backup API) with the chain head a backup holds."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection, Engine

from recorder.domain.errors import StoreError
from recorder.domain.i18n import _
from recorder.store.db import PAGE_SIZE


def vacuum(driver: Any) -> None:
    """VACUUM a SQLite store, into pages of PAGE_SIZE bytes: SQLite changes the size
    of a file's pages only in a VACUUM outside WAL mode, so the file leaves WAL for it
    and goes back (a process killed between finds it back in WAL on its next open)."""
    resize = driver.execute("PRAGMA page_size").fetchone()[0] != PAGE_SIZE
    if resize:
        driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            driver.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.OperationalError:
            resize = False  # another process has the store open: its pages stay as they are
        else:
            driver.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    try:
        driver.execute("VACUUM")
    finally:
        if resize:
            driver.execute("PRAGMA journal_mode = WAL")
    driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def file_bytes(conn: Connection) -> int:
    """The bytes of a SQLite store's pages."""
    count = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    size = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
    return int(count) * int(size)


def backup(engine: Engine, destination: Path) -> None:
    """Copy a SQLite store consistently (SQLite's backup API) to a new file, mode 0600.

    Refuses to overwrite: the copy is written beside the destination and linked into
    place only when complete, so a failure leaves nothing at `destination`.
    """
    if engine.dialect.name != "sqlite":
        raise StoreError(_("backup copies SQLite stores; back up a server database with its tools"))
    destination = destination.expanduser().absolute()
    if destination.exists() or destination.is_symlink():
        raise StoreError(
            _("{destination} already exists; choose a new file name").format(
                destination=destination
            )
        )
    if not destination.parent.is_dir():
        raise StoreError(_("{parent} is not a directory").format(parent=destination.parent))
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError as exc:
        raise StoreError(
            _("cannot write to {parent}: {strerror}").format(
                parent=destination.parent, strerror=exc.strerror
            )
        ) from None
    try:
        raw = engine.raw_connection()
        try:
            source = raw.driver_connection
            assert isinstance(source, sqlite3.Connection)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            raw.close()
        try:
            os.link(partial, destination)
        except FileExistsError:
            raise StoreError(
                _("{destination} already exists; choose a new file name").format(
                    destination=destination
                )
            ) from None
    finally:
        partial.unlink(missing_ok=True)


def chain_head_in(path: Path) -> tuple[str, int]:
    """The audit chain's head (hash and event count) in a SQLite store file: what a
    backup holds."""
    from recorder.store.locations import escape_path

    conn = sqlite3.connect(f"file:{escape_path(path)}?mode=ro", uri=True)
    try:
        last = conn.execute("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1").fetchone()
        count = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    finally:
        conn.close()
    return ("0" * 64 if last is None else str(last[0])), int(count)
