"""Appending to the audit log: every create, update and delete in a write transaction
adds an event whose hash covers the one before (`recorder.domain.chain`)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from recorder.domain.chain import (
    GENESIS_HASH,
    REF,
    SCHEME,
    ChainReport,
    canonical_json,
    event_body,
    event_hash,
    is_large,
    is_ref,
    ref,
    verify_chain,
)
from recorder.store.models import AuditAction, AuditEvent, StoredText, record_fields
from recorder.store.session import Tx

LARGE_VALUE = 256
"""A text this long (in characters) or longer, or a structure whose JSON is (a chat's
turns), stands in audit events as its digest: it is stored once, in its row, and in
`stored_texts` once the row no longer holds it (migration 0012 did the same to the
events written before)."""


def append_event(
    tx: Tx,
    action: AuditAction,
    row: SQLModel,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Append one event to the chain for a change to `row`, in the write transaction."""
    tx.session.flush()
    entity = type(row).__tablename__
    assert isinstance(entity, str)
    row_id = getattr(row, "id")  # noqa: B009 - every table has an integer id
    append_change(tx, action, entity, row_id, before=before, after=after)


def append_change(
    tx: Tx,
    action: AuditAction,
    entity: str,
    entity_id: int,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Append one event to the chain for a change to `entity` #`entity_id` (a row, or
    something kept outside the tables, such as attachment files).

    Reads the head of the chain once per transaction; on SQLite the transaction
    holds the write lock from its start, so no other writer can move the head.
    """
    session = tx.session
    if tx.last_hash is None:
        head = session.exec(
            select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1).with_for_update()
        ).first()
        tx.last_hash = head or GENESIS_HASH
    change = {
        "before": None if not before else _kept_once(session, before, keep=True),
        "after": None if not after else _kept_once(session, after, keep=False),
    }
    event = AuditEvent(
        at=tx.now,
        action=action,
        entity=entity,
        entity_id=entity_id,
        change=canonical_json(change),
        prev_hash=tx.last_hash,
        hash="",
        scheme=SCHEME,
        member=tx.member,
    )
    event.hash = event_hash(tx.last_hash, event_body(event))
    session.add(event)
    tx.last_hash = event.hash


def _kept_once(session: Session, fields: Mapping[str, Any], *, keep: bool) -> dict[str, Any]:
    """The fields with each large text as its digest; with `keep` (values the row is
    about to lose), the text itself saved in `stored_texts`."""
    out = dict(fields)
    for key, value in fields.items():
        if not is_ref(value) and is_large(value, LARGE_VALUE):
            out[key] = digest = ref(value)
            if keep and session.get(StoredText, digest["$sha256"]) is None:
                session.add(StoredText(sha256=digest["$sha256"], body=canonical_json(value)))
    return out


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


def update(
    tx: Tx,
    row: SQLModel,
    changes: Mapping[str, Any],
    *,
    touch: bool = False,
    hidden: Collection[str] = (),
) -> bool:
    """Apply `changes` to `row` and audit the fields that really changed.

    With `touch`, a row that changed also gets `updated_at` set to the transaction's time.
    The event keeps what the fields named in `hidden` were as their digests alone: a
    redaction records that they changed, never what they held.
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
        before={k: ref(before[k]) if k in hidden else before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return True


def delete(tx: Tx, row: SQLModel) -> None:
    """Audit a row's deletion, with all it held, and delete it."""
    before = record_fields(row)
    append_event(tx, AuditAction.delete, row, before=before)
    tx.session.delete(row)
    tx.session.flush()


def forget(
    tx: Tx,
    entity: str,
    entity_id: int,
    keys: Collection[str],
    pieces: Collection[str],
    *,
    also: Collection[Any] = (),
) -> int:
    """Leave no copy of the `pieces` (secrets taken out of a row) in the row's history:
    each field named in `keys` of its events that holds one, or equals a value of
    `also`, stands as its digest from now on (scheme 2 commits to the digest, so the
    chain still verifies), and a saved long text that holds one is dropped. Returns
    how many events changed."""
    session = tx.session
    session.flush()
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(col(AuditEvent.id))
    ).all()
    changed = 0
    saved: set[str] = set()
    for event in events:
        change = json.loads(event.change)
        touched = False
        for side in ("before", "after"):
            fields = change.get(side) or {}
            for key in keys:
                value = fields.get(key)
                if isinstance(value, dict) and is_ref(value):
                    saved.add(value[REF])  # a long text, perhaps saved whole
                elif _holds(value, pieces) or (value and value in also):
                    fields[key] = ref(value)
                    touched = True
        if touched:
            event.change = canonical_json(change)
            session.add(event)
            changed += 1
    if saved:
        for text in session.exec(
            select(StoredText).where(col(StoredText.sha256).in_(sorted(saved)))
        ).all():
            if _holds(json.loads(text.body), pieces):
                session.delete(text)
    session.flush()
    return changed


def _holds(value: Any, pieces: Collection[str]) -> bool:
    """Whether a field's value (a text, or a structure as JSON) holds one of the pieces."""
    if isinstance(value, str):
        return any(piece in value for piece in pieces)
    if value is None or is_ref(value):
        return False
    as_json = json.dumps(value, ensure_ascii=False)
    return any(
        piece in as_json or json.dumps(piece, ensure_ascii=False)[1:-1] in as_json
        for piece in pieces
    )
