"""What the log form says about a draft while the user types, before anything is saved:
possible duplicates, the sender, an automatic acknowledgement, how a chat reads, and
the secrets it holds (recorder.tui.screens.log_contact runs it in a worker)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from rich.markup import escape

from recorder.domain.duplicates import Finding
from recorder.domain.errors import RecorderError
from recorder.domain.i18n import _, ngettext
from recorder.domain.secrets import NAMES, SecretKind, kinds_of, redact, scan
from recorder.domain.transcripts import CONVERSATION_CHANNELS, conversation_turns
from recorder.domain.vocabulary import Direction
from recorder.store.session import Store
from recorder.write.entries import Logged


@dataclass
class DraftNotes:
    """What the form would be warned of if saved now."""

    findings: list[Finding]
    sender: str | None = None
    """Why the sender of the inbound message cannot be trusted, if it cannot."""
    automatic: str | None = None
    """Why the inbound message reads as an automatic acknowledgement, if it does."""
    conversation: str | None = None
    """How a chat's text reads: as a conversation of turns, or kept whole."""
    secrets: list[str] = field(default_factory=list)
    """What each secret in the subject and text means, once per kind and field."""


def draft_notes(store: Store, about: dict[str, Any], fields: dict[str, Any]) -> DraftNotes:
    """The notes on a draft: `about` its case (write.checks.draft_findings), `fields`
    the contact as typed."""
    from recorder.domain.acknowledgements import automatic_reason
    from recorder.write.checks import draft_findings, draft_sender_warning

    notes = DraftNotes([])
    try:
        with store.read() as session:
            notes.findings = draft_findings(session, fields=fields, **about)
            notes.sender = draft_sender_warning(
                session, platform=about["platform"], case_id=about["case_id"], fields=fields
            )
    except RecorderError:
        notes.findings = []
    if fields["direction"] is Direction.inbound and fields["auto_ack"] is None:
        notes.automatic = automatic_reason(
            text=fields["text"], subject=fields["subject"], address=fields["address"]
        )
    if fields["channel"] in CONVERSATION_CHANNELS and fields["text"].strip():
        from recorder.domain.transcripts import summary

        turns = conversation_turns(fields["channel"], fields["text"], fields["me"])
        notes.conversation = (
            _("Reads as {summary}.").format(summary=summary(turns))
            if turns
            else _("Not a transcript of turns: kept whole, as written by you.")
            if fields["direction"] is Direction.outbound
            else _("Not a transcript of turns: kept whole, as written by support.")
        )
    notes.secrets = sorted(
        {
            (
                _("The subject holds {secret}.")
                if name == "subject"
                else _("The text holds {secret}.")
            ).format(secret=finding.description)
            for name in ("subject", "text")
            for finding in scan(fields[name] or "")
        }
    )
    return notes


def redact_draft(subject: str, text: str) -> tuple[str, str, str] | None:
    """The subject and text with their secrets masked, and what was masked in words;
    None when they hold none."""
    in_subject, in_text = scan(subject), scan(text)
    if not in_subject and not in_text:
        return None
    kinds = kinds_of([*in_subject, *in_text])
    count = len(in_subject) + len(in_text)
    said = ngettext(
        "Masked {count} secret: {kinds}", "Masked {count} secrets: {kinds}", count
    ).format(count=count, kinds=_(", ").join(_(NAMES[SecretKind(kind)]) for kind in kinds))
    return redact(subject, in_subject), redact(text, in_text), said


def warning_lines(notes: DraftNotes, zone: tzinfo) -> list[str]:
    """The notes as the form shows them below its fields (Rich markup), with the keys
    that act on them."""
    lines = (
        []
        if notes.sender is None
        else [_("⚠ The sender is {sender}").format(sender=escape(notes.sender))]
    )
    if notes.conversation is not None:
        lines.append("ⓘ " + escape(notes.conversation))
    if notes.automatic is not None:
        lines.append(
            _(
                "ⓘ Taken for an automatic acknowledgement, which answers nothing: "
                "{reason}. If it is an answer, say so in Their reply."
            ).format(reason=escape(notes.automatic))
        )
    lines += ["[b $error]⚠[/] " + escape(line) for line in notes.secrets]
    if notes.secrets:
        lines.append(_("[dim]ctrl+r masks them before saving[/]"))
    lines += ["⚠ " + escape(f.message(zone)) for f in notes.findings]
    if notes.findings:
        earlier = notes.findings[0].earlier_case_id
        lines.append(
            _(
                "[dim]ctrl+g logs it into case #{earlier} instead; ctrl+o opens case "
                "#{earlier}; saving still works: these are warnings[/]"
            ).format(earlier=earlier)
        )
    return lines


def saved_notice(logged: Logged) -> str:
    """What the form says once it has saved: the contact and its case, and how many
    possible duplicates it raised (or that it was recorded already)."""
    if logged.already_recorded:
        return _(
            "Already recorded as contact #{contact_id} in case #{case_id} (same "
            "text, same time): not stored again"
        ).format(contact_id=logged.contact_id, case_id=logged.case_id)
    flagged = len(logged.flag_ids)
    more = (
        ngettext(
            "; {count} possible duplicate flagged",
            "; {count} possible duplicates flagged",
            flagged,
        ).format(count=flagged)
        if flagged
        else ""
    )
    return _("Logged contact #{contact_id} in case #{case_id}{more}").format(
        contact_id=logged.contact_id, case_id=logged.case_id, more=more
    )
