"""A SQLite store's file: VACUUM into pages of the size recorder uses, and its size."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.engine import Connection

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
