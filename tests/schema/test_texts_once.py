"""Each text is stored once (issue 17): audit events refer to long texts by digest, the
texts a row no longer holds are kept in stored_texts, and migration 0012 does the same
to a store whose events still hold their texts, which then verifies, exports and
shrinks."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command

from recorder.domain.clock import FixedClock
from recorder.export.evidence import Filters
from recorder.export.make import export
from recorder.export.store_check import check_store
from recorder.export.verify import verify
from recorder.store import db
from recorder.write import audit
from recorder.write.cases import open_case
from recorder.write.contacts import edit_contact, log_contact
from recorder.write.opening import open_store

AT = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
FIRST = "We are checking your withdrawal with the wallet team. " * 40
SECOND = "Your withdrawal was released; the TxID is in your history. " * 40
"""Two versions of a contact's text, both well over audit.LARGE_VALUE."""


def _fill(path: Path) -> int:
    """A store with a long contact whose text was corrected once; its id."""
    store = open_store(str(path), clock=FixedClock(AT + timedelta(days=3)))
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="BTC withdrawal pending")
        assert case.id is not None
        contact = log_contact(
            tx, case_id=case.id, channel="chat", direction="inbound", occurred_at=AT, text=FIRST
        )
        for n in range(30):  # something to shrink
            log_contact(
                tx,
                case_id=case.id,
                channel="email",
                direction="outbound",
                occurred_at=AT + timedelta(minutes=n + 1),
                text=f"{n} " + SECOND,
            )
    with store.write() as tx:
        assert contact.id is not None
        edit_contact(tx, contact.id, {"text": SECOND})
    store.close()
    assert contact.id is not None
    return contact.id


def _texts_in_events(path: Path) -> list[str]:
    """The strings of 256 characters or more that events of scheme 2 or later hold."""
    with sqlite3.connect(path) as conn:
        changes = [r[0] for r in conn.execute("SELECT change FROM audit_events WHERE scheme >= 2")]
    found = []
    for change in changes:
        for side in json.loads(change).values():
            found += [v for v in (side or {}).values() if isinstance(v, str) and len(v) >= 256]
    return found


def _stored(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {json.loads(r[0]) for r in conn.execute("SELECT body FROM stored_texts")}


def test_a_new_event_holds_a_long_text_as_its_digest_and_the_old_text_is_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.sqlite3"
    _fill(path)
    assert _texts_in_events(path) == []
    assert FIRST in _stored(path)  # the text the correction replaced
    assert not any(text.startswith("0 ") for text in _stored(path))  # rows hold those
    store = open_store(str(path))
    try:
        assert check_store(store).ok
        written = export(store, tmp_path / "bag", Filters())
    finally:
        store.close()
    assert verify(written.path).ok
    # The bag shows the text the correction replaced, in the events (the store keeps it
    # once, in stored_texts); the texts the records hold stand there as digests.
    events = [json.loads(line) for line in (written.path / "data" / "audit.jsonl").open()]
    shown = [e["change"] for e in events if e.get("entity") == "contacts"]
    assert sum(FIRST in json.dumps(change, ensure_ascii=False) for change in shown) == 2
    assert SECOND not in json.dumps(shown, ensure_ascii=False)


def test_migration_0012_takes_the_texts_out_of_the_events(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.sqlite3"
    with monkeypatch.context() as patch:  # as recorder wrote events before 0012
        patch.setattr(audit, "LARGE_VALUE", 64 * 1024)
        _fill(path)
    store = open_store(str(path))
    with db.migration_connection(store.engine) as conn:
        command.downgrade(db.alembic_config(conn), "0011")
    store.close()
    inline = _texts_in_events(path)
    assert FIRST in inline and SECOND in inline  # so that the checks below can fail
    size_before = path.stat().st_size

    store = open_store(str(path))
    try:
        assert store.upgraded_from == "0011"
        assert _texts_in_events(path) == []
        assert FIRST in _stored(path)
        assert check_store(store).ok
        written = export(store, tmp_path / "bag", Filters())
    finally:
        store.close()
    assert verify(written.path).ok
    with sqlite3.connect(path) as conn:  # the pages the texts left went back to the disk
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
        assert conn.execute("PRAGMA page_size").fetchone()[0] == db.PAGE_SIZE
    assert path.stat().st_size < size_before
