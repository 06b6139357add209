"""Contacts in the write path: logging one in a case (checked for repeats, with its
attachments, due time and the case's follow-up), correcting and deleting one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import sqlalchemy as sa
from sqlmodel import col, select

from recorder.domain.calendars import calendar_of
from recorder.domain.dates import check_contact_time
from recorder.domain.duplicates import message_key
from recorder.domain.secrets import SecretFinding, kinds_of, scan
from recorder.domain.tickets import find_ticket
from recorder.domain.transcripts import conversation_turns
from recorder.domain.vocabulary import Channel, Direction, Source
from recorder.domain.windows import check_follow_up, parse_follow_up
from recorder.store.lookups import get_case, get_contact
from recorder.store.models import Attachment, Contact, MessageIdentifier, Platform
from recorder.store.session import Tx
from recorder.write.attachments import attach_stored
from recorder.write.audit import create, delete, forget, update
from recorder.write.checks import (
    contact_findings,
    find_repeat,
    keep_findings,
    sender_findings,
)
from recorder.write.decisions import drop_contact_flags
from recorder.write.derived import due_time, refresh_case, set_due_time
from recorder.write.fields import contact_fields
from recorder.write.identifiers import index_identifiers

if TYPE_CHECKING:  # recorder.write.emails is imported when an email is logged
    from recorder.write.emails import MailFacts


def log_contact(
    tx: Tx,
    *,
    case_id: int,
    channel: Channel | str,
    direction: Direction | str,
    occurred_at: datetime,
    reference: str | None = None,
    agent: str | None = None,
    address: str | None = None,
    subject: str | None = None,
    text: str = "",
    auto_ack: bool | None = None,
    sender_trusted: bool = False,
    me: Sequence[str] = (),
    source: Source = Source.typed,
    source_name: str | None = None,
    follow_up_at: datetime | None = None,
    attach: Sequence[Path] = (),
    email: MailFacts | None = None,
    old_ok: bool = False,
) -> Contact:
    """Record one contact in a case, with its attachments; the case's summary and
    follow-up follow. An outbound contact is due an answer by its platform's window
    for its channel, or by `follow_up_at` if the user set one.

    A typed contact's time may not be in the future, nor before 2000 unless `old_ok`
    (recorder.domain.dates.check_contact_time).

    An inbound contact's sender is checked against the platform's official domains
    (`sender_findings`); with a finding it answers nothing unless `sender_trusted`.
    With `auto_ack` None, its wording and sender decide whether it is an automatic
    acknowledgement (and `auto_ack_reason` says why).

    An inbound message logged without a reference gets the one ticket number its
    text names, if it names one. A chat or call whose text reads as a transcript is
    kept with its turns as well (`conversation_turns`; `me`: the user's names in it).

    What it repeats is flagged (`tx.flags`), never refused. A contact already stored
    with exactly this text at exactly this time is not stored again: that one is
    returned (and listed in `tx.repeats`), with any new attachments added to it.
    """
    case = get_case(tx.session, case_id)
    fields = contact_fields(
        {
            "channel": channel,
            "direction": direction,
            "occurred_at": occurred_at,
            "reference": reference,
            "agent": agent,
            "address": address,
            "subject": subject,
            "text": text,
            "sender_trusted": sender_trusted,
            "follow_up_at": follow_up_at,
        }
    )
    if source is Source.typed:
        # What the user typed is checked against the clock; an imported message keeps
        # the time it says it was sent, whatever the sender's clock said.
        check_contact_time(fields["occurred_at"], now=tx.now, old_ok=old_ok)
    fields["turns"] = conversation_turns(fields["channel"], fields["text"], me)
    platform = tx.session.get(Platform, case.platform_id)
    assert platform is not None
    if fields["direction"] is Direction.inbound and not fields.get("reference"):
        # The ticket number support's message gives ("Your request (7001234) has
        # been received", "[#4815] Re: ...") is the one the advice quotes from now on.
        ticket = find_ticket(
            subject=fields.get("subject") or "",
            body=fields["text"],
            headers=None if email is None else email.headers,
            reply_to="" if email is None else ", ".join(email.reply_to),
            extra=platform.ticket_patterns,
        )
        fields["reference"] = None if ticket is None else ticket.number
    fields.update(who_spoke(platform, fields, auto_ack))
    if email is not None and fields["direction"] is Direction.inbound:
        fields.update(_email_said(tx, platform, email, fields, auto_ack))
    # Check every file before anything is written, so that one bad path writes nothing.
    if attach:
        from recorder.store.attachments import check_source

        for path in attach:
            check_source(path)
    secrets = secrets_in(fields)
    tx.secrets += secrets
    key = message_key(fields["text"])
    repeat = find_repeat(tx.session, fields, key)
    if repeat is not None:
        tx.repeats.append(repeat)
        for path in attach:
            attach_file(tx, repeat, path)
        if email is not None:
            from recorder.write.emails import keep_email

            keep_email(tx, repeat, email)
        return repeat
    findings = contact_findings(tx.session, case, fields, key)
    contact = Contact(
        case_id=case_id,
        source=source,
        source_name=source_name,
        created_at=tx.now,
        message_key=key,
        secret_kinds=kinds_of([f for _, f in secrets]),
        **fields,
    )
    for key, value in due_time(platform, contact).items():
        setattr(contact, key, value)
    create(tx, contact)
    index_identifiers(tx.session, contact.id, contact.text)
    for path in attach:
        attach_file(tx, contact, path)
    if email is not None:
        from recorder.write.emails import keep_email

        keep_email(tx, contact, email)
    refresh_case(tx, case, facts=True)
    keep_findings(tx, findings, case_id=case_id, contact_id=contact.id)
    return contact


HISTORY_FIELDS = ("subject", "text", "turns")
"""The fields of a contact's audit events that hold its words."""


def secrets_in(fields: Mapping[str, Any]) -> list[tuple[str, SecretFinding]]:
    """The secrets a contact's subject and text hold, each with the field it is in."""
    return [
        (name, finding) for name in ("subject", "text") for finding in scan(fields.get(name) or "")
    ]


def who_spoke(platform: Platform, fields: dict[str, Any], auto_ack: bool | None) -> dict[str, Any]:
    """What the write path makes of a contact's sender: for an inbound one, the reasons
    to distrust its address, and (unless the user said) whether it reads as an
    automatic acknowledgement, and why."""
    if fields["direction"] is not Direction.inbound:
        return {"auto_ack": bool(auto_ack), "auto_ack_reason": None, "sender_findings": []}
    address = fields.get("address")
    findings = sender_findings(platform, address) if address else []
    reason = None
    if auto_ack is None:
        from recorder.domain.acknowledgements import automatic_reason

        reason = automatic_reason(
            text=fields["text"], subject=fields.get("subject"), address=address
        )
    return {
        "auto_ack": reason is not None if auto_ack is None else auto_ack,
        "auto_ack_reason": reason,
        "sender_findings": [f.to_json() for f in findings],
    }


def _email_said(
    tx: Tx, platform: Platform, email: MailFacts, fields: dict[str, Any], auto_ack: bool | None
) -> dict[str, Any]:
    """What an inbound email's headers add to `who_spoke`: findings, and an automatic
    reply its headers declare."""
    from recorder.domain.acknowledgements import automatic_header_reason
    from recorder.write.emails import header_findings
    from recorder.write.settings import get_setting

    said: dict[str, Any] = {}
    trusted = get_setting(tx.session, "trusted_authserv_ids")
    extra = header_findings(platform, email, trusted)
    if extra:
        said["sender_findings"] = [*fields["sender_findings"], *(f.to_json() for f in extra)]
    if auto_ack is None and not fields["auto_ack"]:
        reason = automatic_header_reason(email.headers)
        if reason is not None:
            said.update(auto_ack=True, auto_ack_reason=reason)
    return said


def follow_up_time(tx: Tx, case_id: int, text: str, local: tzinfo, *, since: datetime) -> datetime:
    """Read a follow-up the user typed ("in 3 business days", "tomorrow 9am") for a case:
    relative forms count from `since` (the contact's time), business days are its
    platform's."""
    case = get_case(tx.session, case_id)
    platform = tx.session.get(Platform, case.platform_id)
    assert platform is not None
    at = parse_follow_up(text, now=since, local=local, calendar=calendar_of(platform, [since]))
    check_follow_up(at, now=tx.now, since=since)
    return at


def attach_file(tx: Tx, contact: Contact, path: Path) -> Attachment | None:
    """Copy a file into the attachment store and attach it (once per contact)."""
    stored = tx.add_file(path)
    return attach_stored(tx, contact, stored, name=stored.name, media_type=stored.media_type)


class ContactEdit(TypedDict, total=False):
    """A correction of a contact: only the fields given change (None clears the short
    texts and the follow-up)."""

    channel: Channel | str
    direction: Direction | str
    occurred_at: datetime
    reference: str | None
    agent: str | None
    address: str | None
    subject: str | None
    text: str
    auto_ack: bool
    sender_trusted: bool
    follow_up_at: datetime | None


def edit_contact(
    tx: Tx,
    contact_id: int,
    changes: ContactEdit,
    *,
    me: Sequence[str] = (),
    hide_before: bool = False,
) -> Contact:
    """Correct a contact's fields; the audit chain keeps what they were (with
    `hide_before`, only their digests: recorder.write.redaction).

    The user's word on `auto_ack` replaces recorder's guess; a new address or direction
    has its sender checked again; a new text or channel, or `me` (the user's names in
    a transcript), has a chat split into turns again."""
    contact = get_contact(tx.session, contact_id)
    case = get_case(tx.session, contact.case_id)
    platform = tx.session.get(Platform, case.platform_id)
    assert platform is not None
    fields = contact_fields(changes)
    if "occurred_at" in fields and fields["occurred_at"] != contact.occurred_at:
        check_contact_time(fields["occurred_at"], now=tx.now, old_ok=True)
    if "text" in fields:
        contact.message_key = message_key(fields["text"])
    held = {"text": contact.text, "subject": contact.subject}
    pieces, turns_before = set(), contact.turns
    if {"text", "subject"} & set(fields):
        pieces = {(held[name] or "")[f.start : f.end] for name, f in secrets_in(held)}
        now = {**held, **fields}
        contact.secret_kinds = kinds_of([f for _, f in secrets_in(now)])
    if {"text", "channel"} & set(fields) or me:
        # Split again, knowing the user by the names given and those of the old turns.
        mine = [*me, *(t["name"] for t in contact.turns if t.get("speaker") == "me")]
        fields["turns"] = conversation_turns(
            fields.get("channel", contact.channel), fields.get("text", contact.text), mine
        )
    if "auto_ack" in fields:
        fields["auto_ack_reason"] = None
    if {"address", "direction"} & set(fields):
        now = {
            "direction": fields.get("direction", contact.direction),
            "address": fields.get("address", contact.address),
            "text": fields.get("text", contact.text),
            "subject": fields.get("subject", contact.subject),
        }
        fields["sender_findings"] = who_spoke(platform, now, contact.auto_ack)["sender_findings"]
    if update(tx, contact, fields, hidden=fields.keys() if hide_before else ()):
        gone = {p for p in pieces if p not in contact.text and p not in (contact.subject or "")}
        if gone:
            # A secret edited out leaves no copy in the history: the events keep only the
            # digests of the fields that held it (recorder.write.redaction).
            forget(tx, "contacts", contact_id, HISTORY_FIELDS, gone, also=[turns_before])
        if "text" in fields:
            index_identifiers(tx.session, contact.id, contact.text)
        set_due_time(tx, platform, contact)
        refresh_case(tx, case, facts=True)
    return contact


def delete_contact(tx: Tx, contact_id: int) -> None:
    """Delete a contact and its attachment records; the files stay, as evidence."""
    contact = get_contact(tx.session, contact_id)
    attachments = tx.session.exec(
        select(Attachment).where(Attachment.contact_id == contact_id)
    ).all()
    for attachment in attachments:
        delete(tx, attachment)
    drop_contact_flags(tx, contact_id)
    tx.session.execute(
        sa.delete(MessageIdentifier).where(col(MessageIdentifier.contact_id) == contact_id)
    )
    case = get_case(tx.session, contact.case_id)
    delete(tx, contact)
    refresh_case(tx, case, facts=True)
