"""Anchors of the audit chain: its head as it was at an export, a backup, or when the
user asked, recorded in the store (audited) and shown as a short fingerprint to keep
outside it. A chain rewritten afterwards no longer holds that head."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from recorder.domain.chain import GENESIS_HASH, short_fingerprint
from recorder.domain.i18n import _
from recorder.domain.vocabulary import AnchorKind
from recorder.store.models import Anchor, AuditEvent, table_of
from recorder.store.session import Tx
from recorder.write.audit import create


@dataclass(frozen=True)
class Timestamp:
    """A time-stamping authority's token for a chain head (RFC 3161)."""

    url: str
    token: str
    """The authority's reply, base64 of its DER."""
    at: datetime
    ca: str | None = None
    """The authority's CA certificate (PEM) it was checked against, if any."""


def chain_head(tx: Tx) -> tuple[str, int]:
    """The hash of the last audit event and how many events the chain holds."""
    table = table_of(AuditEvent)
    row = (
        tx.session.connection()
        .execute(sa.select(table.c.hash).order_by(table.c.id.desc()).limit(1))
        .first()
    )
    count = tx.session.connection().execute(sa.select(sa.func.count()).select_from(table)).scalar()
    return (GENESIS_HASH if row is None else row[0]), int(count or 0)


def record_anchor(
    tx: Tx,
    kind: AnchorKind,
    *,
    head: tuple[str, int] | None = None,
    fingerprint: str | None = None,
    target: str | None = None,
    timestamp: Timestamp | None = None,
) -> Anchor:
    """Record the chain's head (`head`: hash and event count, default the current one)."""
    hash_, events = head if head is not None else chain_head(tx)
    anchor = Anchor(
        at=tx.now,
        kind=kind,
        head=hash_,
        events=events,
        fingerprint=fingerprint,
        target=target,
        tsa_url=None if timestamp is None else timestamp.url,
        tsa_token=None if timestamp is None else timestamp.token,
        tsa_time=None if timestamp is None else timestamp.at,
        tsa_ca=None if timestamp is None else timestamp.ca,
    )
    create(tx, anchor)
    return anchor


def anchor_words(anchor: Anchor) -> str:
    """The line to show: the short fingerprint, and what to do with it."""
    stamped = (
        _("; timestamped {tsa_time:%Y-%m-%d %H:%M:%S} UTC by {tsa_url}").format(
            tsa_time=anchor.tsa_time, tsa_url=anchor.tsa_url
        )
        if anchor.tsa_time is not None
        else ""
    )
    return _(
        "audit chain anchored at {value} ({events} events){stamped}; keep it "
        "outside the store (send it to yourself, or quote it to support): "
        "'recorder db verify --anchor' checks the store still holds it"
    ).format(value=short_fingerprint(anchor.head), events=anchor.events, stamped=stamped)
