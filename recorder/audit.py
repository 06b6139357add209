"""The audit log: append-only, hash-chained events of every change, and their check."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from recorder.models import AuditAction, AuditEvent, record_fields
from recorder.store import Tx

GENESIS_HASH = "0" * 64
"""The `prev_hash` of the first audit event."""


def canonical_json(value: Any) -> str:
    """The one JSON text of a value: sorted keys, no spaces, UTF-8 characters as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    """sha256(prev_hash + canonical JSON of the event), hex."""
    return hashlib.sha256((prev_hash + canonical_json(event)).encode("utf-8")).hexdigest()


def event_body(row: AuditEvent) -> dict[str, Any]:
    """The part of an audit event its hash covers."""
    return {
        "action": row.action.value,
        "at": row.at.astimezone(UTC).isoformat(),
        "change": json.loads(row.change),
        "entity": row.entity,
        "entity_id": row.entity_id,
    }


def append_event(
    tx: Tx,
    action: AuditAction,
    row: SQLModel,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Append one event to the chain for a change to `row`, in the write transaction.

    Reads the head of the chain once per transaction; on SQLite the transaction
    holds the write lock from its start, so no other writer can move the head.
    """
    session = tx.session
    session.flush()
    if tx.last_hash is None:
        head = session.exec(
            select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1).with_for_update()
        ).first()
        tx.last_hash = head or GENESIS_HASH
    entity = type(row).__tablename__
    assert isinstance(entity, str)
    row_id = getattr(row, "id")  # noqa: B009 - every table has an integer id
    change = {"before": dict(before) if before else None, "after": dict(after) if after else None}
    event = AuditEvent(
        at=tx.now,
        action=action,
        entity=entity,
        entity_id=row_id,
        change=canonical_json(change),
        prev_hash=tx.last_hash,
        hash="",
    )
    event.hash = event_hash(tx.last_hash, event_body(event))
    session.add(event)
    tx.last_hash = event.hash


@dataclass
class ChainReport:
    """What checking the audit chain found.

    Attributes:
        events: how many events were read.
        head: the hash of the last event (the genesis hash for an empty chain).
        problems: one line per broken link, naming the event.
    """

    events: int = 0
    head: str = GENESIS_HASH
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the chain verified from first to last event."""
        return not self.problems


def verify_chain(events: Iterable[AuditEvent]) -> ChainReport:
    """Check that each event's hash covers its content and links to the one before."""
    report = ChainReport()
    prev = GENESIS_HASH
    for row in events:
        report.events += 1
        if row.prev_hash != prev:
            report.problems.append(f"audit event {row.id}: does not follow the event before it")
        if canonical_json(json.loads(row.change)) != row.change:
            report.problems.append(f"audit event {row.id}: its change is not canonical JSON")
        if event_hash(row.prev_hash, event_body(row)) != row.hash:
            report.problems.append(f"audit event {row.id}: its hash does not match its content")
        prev = row.hash
    report.head = prev
    return report


def verify_store_chain(session: Session) -> ChainReport:
    """Check the whole audit chain of a store, first event to last."""
    rows = session.exec(
        select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(yield_per=1000)
    )
    return verify_chain(rows)


def create(tx: Tx, row: SQLModel) -> None:
    """Add a row and audit its creation."""
    tx.session.add(row)
    tx.session.flush()
    append_event(tx, AuditAction.create, row, after=record_fields(row))


def update(tx: Tx, row: SQLModel, changes: Mapping[str, Any], *, touch: bool = False) -> bool:
    """Apply `changes` to `row` and audit the fields that really changed.

    With `touch`, a row that changed also gets `updated_at` set to the transaction's time.
    """
    before = record_fields(row)
    for key, value in changes.items():
        setattr(row, key, value)
    after = record_fields(row)
    changed = [k for k in after if after[k] != before[k]]
    if not changed:
        return False
    if touch:
        row.updated_at = tx.now
        after = record_fields(row)
        changed = [k for k in after if after[k] != before[k]]
    tx.session.add(row)
    tx.session.flush()
    append_event(
        tx,
        AuditAction.update,
        row,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return True


def delete(tx: Tx, row: SQLModel) -> None:
    """Audit a row's deletion, with all it held, and delete it."""
    before = record_fields(row)
    append_event(tx, AuditAction.delete, row, before=before)
    tx.session.delete(row)
    tx.session.flush()
