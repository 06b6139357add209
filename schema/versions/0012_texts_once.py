"""each text is stored once: audit events refer to a text of 256 characters or more
(or a structure whose JSON is that long) by its SHA-256, and keep the ones that a row
no longer holds (values before a change) in stored_texts

Scheme 2 events commit to each field's digest, so a value and its digest hash alike:
the chain verifies as before. Scheme 1 events (whose hashes cover the text itself) are
left as they are. The store opening the migrated file gives the freed pages back to
the disk (recorder.store.session).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:00:00
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from recorder.domain.chain import REF, canonical_json, is_large, is_ref, ref

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LARGE = 256
"""This migration's threshold (frozen: recorder.write.audit.LARGE_VALUE may change)."""
BATCH = 500

_EVENTS = sa.table("audit_events", sa.column("id"), sa.column("change"), sa.column("scheme"))
_STORED = sa.table("stored_texts", sa.column("sha256"), sa.column("body"))


def upgrade() -> None:
    bind = op.get_bind()
    last = 0
    while rows := bind.execute(
        sa.select(_EVENTS.c.id, _EVENTS.c.change)
        .where(
            _EVENTS.c.id > last,
            _EVENTS.c.scheme >= 2,
            sa.func.length(_EVENTS.c.change) >= LARGE,
        )
        .order_by(_EVENTS.c.id)
        .limit(BATCH)
    ).all():
        kept: dict[str, str] = {}
        changed = []
        for row in rows:
            change = json.loads(row.change)
            once = {
                side: _once(change.get(side), kept if side == "before" else None)
                for side in ("before", "after")
            }
            if once != change:
                changed.append({"event_id": row.id, "new_change": canonical_json(once)})
        if kept:
            present = set(
                bind.execute(
                    sa.select(_STORED.c.sha256).where(_STORED.c.sha256.in_(sorted(kept)))
                ).scalars()
            )
            missing = [{"sha256": k, "body": v} for k, v in kept.items() if k not in present]
            if missing:
                bind.execute(_STORED.insert(), missing)
        if changed:
            bind.execute(
                _EVENTS.update()
                .where(_EVENTS.c.id == sa.bindparam("event_id"))
                .values(change=sa.bindparam("new_change")),
                changed,
            )
        last = rows[-1].id


def _once(fields: Any, kept: dict[str, str] | None) -> Any:
    """The fields with each large value as its digest; with `kept`, the values saved."""
    if not isinstance(fields, dict):
        return fields
    out = dict(fields)
    for key, value in fields.items():
        if not is_ref(value) and is_large(value, LARGE):
            out[key] = digest = ref(value)
            if kept is not None:
                kept[digest[REF]] = canonical_json(value)
    return out


def downgrade() -> None:
    # The events stay as they are: recorder verifies and replays a field kept as its
    # digest under every revision since scheme 2 (0009's redaction wrote such fields).
    pass
