"""An imported email in the write path: what its headers say about its sender, and
keeping it (the raw bytes as the contact's `.eml` attachment, the files it carried as
attachments, its threading headers as an `emails` row, audited)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from recorder.domain.vocabulary import EMAIL_MEDIA_TYPE
from recorder.store.models import Attachment, Contact, Email, Platform
from recorder.store.session import Tx
from recorder.write.attachments import attach_stored
from recorder.write.audit import create

if TYPE_CHECKING:
    from recorder.domain.senders import SenderFinding


@dataclass(frozen=True)
class MailFacts:
    """What the write path keeps and checks of an email besides the contact's fields."""

    raw: bytes
    sha256: str
    message_id: str | None = None
    sender: str = ""
    reply_to: Sequence[str] = ()
    in_reply_to: str | None = None
    references: Sequence[str] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    """Every header's first value, by lower-case name."""
    authentication_results: Sequence[str] = ()
    parts: Sequence[tuple[str, str, bytes]] = ()
    """The files it carried: (name, media type, bytes)."""
    origin: str | None = None
    problems: Sequence[str] = ()


def known_email(session: Session, message_id: str | None, sha256: str) -> int | None:
    """The contact already made of this email (same Message-ID, or with none, the same
    bytes), or None."""
    if message_id:
        query = select(Email.contact_id).where(Email.message_id == message_id)
    else:
        query = select(Email.contact_id).where(Email.sha256 == sha256)
    return session.exec(query.limit(1)).first()


def header_findings(
    platform: Platform, facts: MailFacts, trusted_authserv_ids: Sequence[str]
) -> list[SenderFinding]:
    """Reasons in the email's headers to distrust it (Reply-To, failed authentication)."""
    from recorder.domain.senders import check_headers  # imported by an import, not by `log`

    return check_headers(
        reply_to=facts.reply_to,
        authentication_results=facts.authentication_results,
        trusted_authserv_ids=trusted_authserv_ids,
        platform=platform.name,
        domains=platform.domains,
        addresses=platform.addresses,
    )


def keep_email(tx: Tx, contact: Contact, facts: MailFacts) -> Email:
    """Keep the email with its contact: raw bytes, carried files, threading headers."""
    assert contact.id is not None
    stem = facts.sha256[:12]
    attach_bytes(tx, contact, facts.raw, f"email-{stem}.eml", EMAIL_MEDIA_TYPE)
    for name, media_type, data in facts.parts:
        attach_bytes(tx, contact, data, name, media_type)
    email = Email(
        contact_id=contact.id,
        message_id=facts.message_id,
        sha256=facts.sha256,
        sender=facts.sender[:320],
        reply_to=list(facts.reply_to),
        in_reply_to=facts.in_reply_to,
        references=list(facts.references),
        origin=None if facts.origin is None else facts.origin[:1000],
        problems=list(facts.problems),
        created_at=tx.now,
    )
    create(tx, email)
    return email


def attach_bytes(
    tx: Tx, contact: Contact, data: bytes, name: str, media_type: str
) -> Attachment | None:
    """Store bytes and attach them to the contact (once per contact and content)."""
    return attach_stored(tx, contact, tx.add_bytes(data, name), name=name, media_type=media_type)
