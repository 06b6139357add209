"""Redacting a contact in the store: the secrets its subject and text hold
(recorder.domain.secrets) replaced by masks, as an audited change.

The change is a correction like any other (`edit_contact`): the contact's turns,
duplicate key, identifiers and case follow. What differs is what the audit chain
keeps. The redaction's own event, and every earlier event of the contact whose
subject, text or turns held a removed secret, keep that field as its digest alone
(`{"$sha256": ...}`, recorder.domain.chain): the chain still verifies event by event
and link by link, and whoever holds the original text can show that it is the one
the chain committed to, while the store no longer holds the secret itself.

What a redaction cannot reach is said to the user: files (an imported email's
`.eml`, a screenshot) are kept byte for byte, as evidence whose SHA-256 is recorded.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import col, select

from recorder.domain.chain import REF, canonical_json, is_ref, ref
from recorder.domain.errors import InputError
from recorder.domain.secrets import SecretFinding, SecretKind, redact
from recorder.store.lookups import get_contact
from recorder.store.models import Attachment, AuditEvent, StoredText
from recorder.store.session import Tx
from recorder.write.contacts import ContactEdit, edit_contact, secrets_in

HISTORY_FIELDS = ("subject", "text", "turns")
"""The fields of a contact's events that hold its words."""


@dataclass
class Redacted:
    """What one redaction did."""

    contact_id: int
    removed: list[tuple[str, SecretFinding]] = field(default_factory=list)
    """Each secret taken out, with the field it was in."""
    events: int = 0
    """Earlier audit events whose fields now stand as their digests."""
    files: list[str] = field(default_factory=list)
    """The names of the contact's files, which keep what they hold."""

    def counts(self) -> dict[str, int]:
        """How many of each kind were removed, by kind."""
        out: dict[str, int] = {}
        for _, finding in self.removed:
            out[finding.kind.value] = out.get(finding.kind.value, 0) + 1
        return out


def redact_contact(
    tx: Tx, contact_id: int, kinds: Collection[SecretKind | str] | None = None
) -> Redacted:
    """Replace the secrets in a contact's subject and text (all kinds, or `kinds`) by
    masks, audited, and leave only digests of what they were in its history."""
    wanted = None if kinds is None else {SecretKind(k) for k in kinds}
    contact = get_contact(tx.session, contact_id)
    found = [
        (name, finding)
        for name, finding in secrets_in({"subject": contact.subject, "text": contact.text})
        if wanted is None or finding.kind in wanted
    ]
    done = Redacted(contact_id)
    if not found:
        return done
    pieces = {getattr(contact, name)[finding.start : finding.end] for name, finding in found}
    changes: ContactEdit = {}
    if any(name == "subject" for name, _ in found):
        subject = redact(contact.subject or "", [f for n, f in found if n == "subject"])
        if len(subject) > 500:
            raise InputError(f"contact #{contact_id}: its subject is too long to be masked")
        changes["subject"] = subject
    if any(name == "text" for name, _ in found):
        changes["text"] = redact(contact.text, [f for n, f in found if n == "text"])
    turns_before = contact.turns
    edit_contact(tx, contact_id, changes, hide_before=True)
    done.removed = found
    done.events = _hide_in_history(tx, contact_id, pieces, turns_before)
    done.files = list(
        tx.session.exec(select(Attachment.name).where(Attachment.contact_id == contact_id)).all()
    )
    return done


def _holds(value: Any, pieces: Collection[str]) -> bool:
    """Whether a field's value (a text, or turns as JSON) holds one of the pieces."""
    if isinstance(value, str):
        return any(piece in value for piece in pieces)
    if value is None or is_ref(value):
        return False
    as_json = json.dumps(value, ensure_ascii=False)
    return any(
        piece in as_json or json.dumps(piece, ensure_ascii=False)[1:-1] in as_json
        for piece in pieces
    )


def _hide_in_history(
    tx: Tx, contact_id: int, pieces: Collection[str], turns_before: list[dict[str, Any]]
) -> int:
    """Turn each field of the contact's earlier events that holds a piece into its
    digest; drop saved long texts that hold one. Returns how many events changed."""
    session = tx.session
    session.flush()
    events = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == "contacts", AuditEvent.entity_id == contact_id)
        .order_by(col(AuditEvent.id))
    ).all()
    changed = 0
    saved: set[str] = set()
    for event in events:
        change = json.loads(event.change)
        touched = False
        for side in ("before", "after"):
            fields = change.get(side) or {}
            for key in HISTORY_FIELDS:
                value = fields.get(key)
                if isinstance(value, dict) and is_ref(value):
                    saved.add(value[REF])  # a long text, perhaps saved whole
                elif _holds(value, pieces) or (key == "turns" and value and value == turns_before):
                    # (The old turns quote the text in pieces: a secret may span two.)
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
