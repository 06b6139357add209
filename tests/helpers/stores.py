"""Stores as an older recorder left them: migrated to an earlier revision and filled
with raw SQL (the models describe only the head), for the tests of upgrades."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from recorder.store import db


def store_at(
    path: Path,
    revision: str,
    *,
    title: str = "Frozen",
    txid: str | None = None,
    contacts: Sequence[tuple[str, str | None]] = (),
    channel: str = "chat",
) -> None:
    """A store at `revision` with platform 'P', case 1 (`title`, `txid`) and one
    outbound contact per (text, subject) of `contacts`, on 2 Jan 2026."""
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine, revision)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO platforms (id, name, name_key, domains, addresses, timezone, windows,"
            " notes, created_at) VALUES (1, 'P', 'p', '[]', '[]', 'UTC', '{}', '', '2026-01-01')"
        )
        conn.exec_driver_sql(
            "INSERT INTO cases (id, platform_id, title, status, priority, txid, created_at,"
            " updated_at) VALUES (1, 1, ?, 'open', 'normal', ?, '2026-01-01', '2026-01-01')",
            (title, txid),
        )
        for text, subject in contacts:
            conn.exec_driver_sql(
                "INSERT INTO contacts (case_id, channel, direction, occurred_at, subject, text,"
                " auto_ack, source, created_at) VALUES (1, ?, 'outbound', '2026-01-02',"
                " ?, ?, 0, 'typed', '2026-01-02')",
                (channel, subject, text),
            )
    engine.dispose()
