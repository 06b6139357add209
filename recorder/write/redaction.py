"""Redacting a contact in the store: the secrets its subject and text hold
(recorder.domain.secrets) replaced by masks, as an audited change.

The change is a correction like any other (`edit_contact`): the contact's turns,
duplicate key, identifiers and case follow. What differs is what the audit chain
keeps. The redaction's own event, and (as after any edit that takes a secret out)
every earlier event of the contact whose subject, text or turns held a removed
secret, keep that field as its digest alone
(`{"$sha256": ...}`, recorder.domain.chain): the chain still verifies event by event
and link by link, and whoever holds the original text can show that it is the one
the chain committed to, while the store no longer holds the secret itself.

What a redaction cannot reach is said to the user: files (an imported email's
`.eml`, a screenshot) are kept byte for byte, as evidence whose SHA-256 is recorded.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlmodel import select

from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.domain.secrets import SecretFinding, SecretKind, redact
from recorder.store.lookups import get_contact
from recorder.store.models import Attachment
from recorder.store.session import Tx
from recorder.write.contacts import ContactEdit, edit_contact, secrets_in


@dataclass
class Redacted:
    """What one redaction did."""

    contact_id: int
    removed: list[tuple[str, SecretFinding]] = field(default_factory=list)
    """Each secret taken out, with the field it was in."""
    files: list[str] = field(default_factory=list)
    """The names of the contact's files, which keep what they hold."""

    def counts(self) -> dict[str, int]:
        """How many of each kind were removed, by kind."""
        out: dict[str, int] = {}
        for _field, finding in self.removed:
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
    changes: ContactEdit = {}
    if any(name == "subject" for name, _ in found):
        subject = redact(contact.subject or "", [f for n, f in found if n == "subject"])
        if len(subject) > 500:
            raise InputError(
                _(
                    "contact #{contact_id}: its subject would be too long with masks; "
                    "shorten it first ('recorder contact edit {contact_id} --subject ...')"
                ).format(contact_id=contact_id)
            )
        changes["subject"] = subject
    if any(name == "text" for name, _ in found):
        changes["text"] = redact(contact.text, [f for n, f in found if n == "text"])
    edit_contact(tx, contact_id, changes, hide_before=True)
    done.removed = found
    done.files = list(
        tx.session.exec(select(Attachment.name).where(Attachment.contact_id == contact_id)).all()
    )
    return done
