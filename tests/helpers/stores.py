"""Stores as an older recorder left them: migrated to an earlier revision and filled
with raw SQL (the models describe only the head), for the tests of upgrades."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from recorder.store import db
from recorder.store.session import Store


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


def stored_contents(store: Store) -> list[bytes]:
    """Every attachment content the store keeps, wherever its back end keeps them (files
    beside a SQLite store, the database of a server's), sorted."""
    import sqlalchemy as sa

    from recorder.store.blobs import blob_chunks

    files = [p.read_bytes() for p in store.files.root.rglob("*") if p.is_file()]
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(blob_chunks.c.sha256, blob_chunks.c.data).order_by(
                blob_chunks.c.sha256, blob_chunks.c.n
            )
        ).all()
    joined: dict[str, bytes] = {}
    for sha, data in rows:
        joined[sha] = joined.get(sha, b"") + bytes(data)
    return sorted(files + list(joined.values()))
