"""Attaching a stored file to a contact: one audited row per contact and content."""

from __future__ import annotations

from sqlmodel import col, select

from recorder.store.attachments import StoredFile
from recorder.store.models import Attachment, Contact
from recorder.store.session import Tx
from recorder.write.audit import create


def attach_stored(
    tx: Tx, contact: Contact, stored: StoredFile, *, name: str, media_type: str
) -> Attachment | None:
    """Attach a file already in the attachment store to the contact, unless the contact
    has it already (None then)."""
    assert contact.id is not None
    existing = tx.session.exec(
        select(col(Attachment.id)).where(
            Attachment.contact_id == contact.id, Attachment.sha256 == stored.sha256
        )
    ).first()
    if existing is not None:
        return None
    attachment = Attachment(
        contact_id=contact.id,
        name=name[:255] or "attachment",
        media_type=media_type[:127],
        size=stored.size,
        sha256=stored.sha256,
        created_at=tx.now,
    )
    create(tx, attachment)
    return attachment
