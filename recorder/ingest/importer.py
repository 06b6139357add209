"""Importing emails and chat transcripts: each one read, threaded into its case and
logged through the one write path (`log_entry`), so that the duplicate, sender and
acknowledgement checks apply as to a typed contact.

A message is in or out: each is written in its own savepoint, and many share one
commit (BATCH), which keeps a mailbox's import near the speed of reading it. One that
cannot be imported is refused with a one-line reason and the others go on; one
already imported (same Message-ID, or with none, the same bytes) is counted as
present and changes nothing, so importing a mailbox twice adds nothing.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal

from sqlmodel import select

from recorder.domain.dates import checked_moment
from recorder.domain.errors import InputError, RecorderError
from recorder.domain.i18n import _
from recorder.domain.senders import SenderFinding, describe
from recorder.domain.vocabulary import Channel, Direction, Source
from recorder.ingest.messages import Email, read_email
from recorder.ingest.sources import Raw
from recorder.ingest.threads import (
    PlatformDomains,
    Threads,
    case_title,
    direction_of,
    platform_of_address,
    platforms_of,
)
from recorder.store.models import Case, Platform
from recorder.store.session import Store, Tx
from recorder.write.emails import MailFacts, known_email
from recorder.write.entries import Entry, Logged, NewCase, log_entry
from recorder.write.settings import get_setting

BATCH = 250
"""Messages written per commit, at most."""

BATCH_SECONDS = 1.0
"""A commit at least this often: a batch holds the store's write lock, and another
command (a `recorder log`, the TUI) waits for it, up to the busy timeout (10 s)."""

Status = Literal["imported", "present", "refused"]
Progress = Callable[[int, int], None]
"""Told (messages done, messages in all) as an import goes."""

_CHAT_EMAIL = re.compile(
    r"chat transcript|transcript of (?:your|the) (?:chat|conversation)|conversation transcript"
    r"|chat history|聊天记录|对话记录|会话记录",
    re.IGNORECASE,
)
"""The subject of a helpdesk's email of a chat: its text is the transcript."""


@dataclass(frozen=True)
class Outcome:
    """What became of one message."""

    origin: str
    status: Status
    reason: str | None = None
    """Why it was refused, or which contact it is already."""
    contact_id: int | None = None
    case_id: int | None = None
    opened_case: bool = False
    threaded_by: str = ""
    subject: str = ""
    warnings: tuple[str, ...] = ()
    """Sender findings and repeats, one line each."""

    def to_json(self) -> dict[str, object]:
        """The form `--json` prints."""
        return {
            "origin": self.origin,
            "status": self.status,
            "reason": self.reason,
            "contact_id": self.contact_id,
            "case_id": self.case_id,
            "opened_case": self.opened_case,
            "threaded_by": self.threaded_by or None,
            "subject": self.subject,
            "warnings": list(self.warnings),
        }


@dataclass
class Options:
    """What the user chose for an import."""

    case_id: int | None = None
    platform: str | None = None
    dry_run: bool = False
    local: tzinfo = UTC
    me: Sequence[str] = ()


@dataclass
class _Context:
    tx: Tx
    options: Options
    platforms: list[PlatformDomains]
    mine: list[str]
    threads: Threads
    held: dict[tuple[type, int | None], object]
    """The platforms and cases this batch wrote to, held: the session keeps its rows
    only while something refers to them, and would read each again per message."""


class _DryRun(Exception):
    """Raised at the end of a dry run, so that its transaction writes nothing."""


def import_messages(
    store: Store,
    raws: Iterable[Raw],
    options: Options,
    *,
    total: int = 0,
    tell: Progress | None = None,
) -> list[Outcome]:
    """Import every message of `raws`; one outcome each, in order."""
    outcomes: list[Outcome] = []
    pending = iter(raws)
    finished = False
    while not finished:
        try:
            with store.write() as tx:
                context = _context(tx, options)
                began = time.monotonic()
                for count, raw in enumerate(pending, start=1):
                    outcomes.append(_one(context, raw))
                    if tell is not None:
                        tell(len(outcomes), max(total, len(outcomes)))
                    full = count >= BATCH or time.monotonic() - began >= BATCH_SECONDS
                    if full and not options.dry_run:
                        break
                else:
                    finished = True
                if options.dry_run:
                    raise _DryRun
        except _DryRun:
            finished = True
    return outcomes


def _context(tx: Tx, options: Options) -> _Context:
    """What every message of the import shares; the case and platform the user named
    are checked once here, so that a wrong one stops the import in one line."""
    from recorder.store.lookups import find_platform, get_case

    if options.case_id is not None:
        get_case(tx.session, options.case_id)
    if options.platform is not None:
        find_platform(tx.session, options.platform)
    return _Context(
        tx=tx,
        options=options,
        platforms=platforms_of(tx.session),
        mine=list(get_setting(tx.session, "my_addresses")),
        threads=Threads(tx.session),
        held={(Platform, p.id): p for p in tx.session.exec(select(Platform)).all()},
    )


def _one(context: _Context, raw: Raw) -> Outcome:
    if raw.data is None:
        return Outcome(raw.origin, "refused", raw.problem)
    try:
        email = read_email(raw.data)
    except RecorderError as error:
        return Outcome(raw.origin, "refused", str(error))
    # Earlier messages of this import are in the transaction already: found here too.
    present = known_email(context.tx.session, email.message_id, email.sha256)
    if present is not None:
        return Outcome(
            raw.origin,
            "present",
            _("already imported as contact #{present}").format(present=present),
            contact_id=present,
            subject=email.subject,
        )
    try:
        with context.tx.savepoint():
            outcome = _log(context, raw.origin, email, raw.delivered)
    except RecorderError as error:
        return Outcome(raw.origin, "refused", str(error), subject=email.subject)
    return outcome


def _log(context: _Context, origin: str, email: Email, delivered: datetime | None) -> Outcome:
    tx, options = context.tx, context.options
    platform = _platform(context, email)
    direction = direction_of(email, context.mine, platform)
    case_id, threaded_by = options.case_id, "--case" if options.case_id else ""
    if case_id is None:
        case_id, threaded_by = context.threads.case_for(email, platform)
    chat = bool(_CHAT_EMAIL.search(email.subject))
    entry = Entry(
        channel=Channel.chat if chat else Channel.email,
        direction=Direction.outbound if chat else direction,
        occurred_at=_when(email, options.local, delivered),
        case_id=case_id,
        new_case=None if case_id is not None else NewCase(platform.name, case_title(email)),
        address=_address(email, direction),
        subject=email.subject[:500] or None,
        text=(email.text if chat else email.reply.new).strip() or email.text.strip(),
        source=Source.imported,
        source_name=origin[:500],
        me=options.me,
        local=options.local,
        email=MailFacts(
            raw=email.raw,
            sha256=email.sha256,
            message_id=email.message_id,
            sender=email.sender,
            reply_to=email.reply_to,
            in_reply_to=email.in_reply_to,
            references=email.references,
            headers=email.headers,
            authentication_results=email.authentication_results,
            parts=[(p.name, p.media_type, p.data) for p in email.attachments],
            origin=origin,
            problems=email.problems,
        ),
    )
    logged = log_entry(tx, entry)
    context.threads.remember(platform.id, email.subject, logged.case_id)
    contact = logged.contact
    assert contact is not None
    context.held[Case, logged.case_id] = tx.session.get(Case, logged.case_id)
    warnings = []
    if contact.sender_findings and not contact.sender_trusted:
        warnings.append(describe([SenderFinding.from_json(f) for f in contact.sender_findings]))
    if logged.flag_ids:
        warnings.append(
            _("it may repeat an earlier contact: see `recorder dups` (flag #{value})").format(
                value=logged.flag_ids[0]
            )
        )
    warnings += secret_warnings(logged)
    return Outcome(
        origin,
        "imported",
        contact_id=logged.contact_id,
        case_id=logged.case_id,
        opened_case=logged.opened_case,
        threaded_by=threaded_by,
        subject=email.subject,
        warnings=tuple(warnings),
    )


def secret_warnings(logged: Logged) -> list[str]:
    """One line per kind of secret a logged message holds, with what to do."""
    said = dict.fromkeys(finding.description for _, finding in logged.secrets)
    return [
        _("it holds {description}; 'recorder redact {contact_id}' masks it in the record").format(
            description=description, contact_id=logged.contact_id
        )
        for description in said
    ]


def _platform(context: _Context, email: Email) -> PlatformDomains:
    if context.options.platform is not None:
        wanted = context.options.platform.casefold()
        for platform in context.platforms:
            if platform.name.casefold() == wanted:
                return platform
        raise InputError(
            _(
                "no platform is called {platform!r}; add it with `recorder platform add` first"
            ).format(platform=context.options.platform)
        )
    if context.options.case_id is not None:
        from recorder.store.lookups import get_case

        platform_id = get_case(context.tx.session, context.options.case_id).platform_id
        return next(p for p in context.platforms if p.id == platform_id)
    found = platform_of_address(context.platforms, email.sender_address)
    if found is not None and email.sender_address not in context.mine:
        return found
    # The user's own mail to a platform (known by its recipients even before the user
    # has said which addresses are theirs).
    for recipient in (*email.to, *email.cc):
        found = platform_of_address(context.platforms, recipient)
        if found is not None:
            return found
    sender = email.sender_address or "nobody"
    raise InputError(
        _(
            "it is from {sender}, not from any platform's official domains; give "
            "--platform to import it anyway (it will be marked as from an "
            "unofficial sender)"
        ).format(sender=sender)
    )


def _address(email: Email, direction: Direction) -> str | None:
    if direction is Direction.outbound:
        return email.to[0][:320] if email.to else None
    shown = email.sender if len(email.sender) <= 320 else email.sender_address
    return shown[:320] or None


def _when(email: Email, local: tzinfo, delivered: datetime | None) -> datetime:
    """The message's time: its Date header, else when the user's server received it
    (its last Received header, the mailbox's delivery time)."""
    if email.date is not None:
        return checked_moment(email.date, email.headers.get("date", ""), local)
    received = email.headers.get("received", "")
    if ";" in received:
        try:
            when = parsedate_to_datetime(received.rpartition(";")[2].strip())
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
        else:
            return checked_moment(
                when if when.tzinfo else when.replace(tzinfo=UTC), received, local
            )
    if delivered is not None:
        return checked_moment(delivered, delivered.isoformat(), local)
    raise InputError(
        _(
            "it has no readable Date or Received header; expected a date such as "
            "'Mon, 30 Nov 2026 10:15:00 +0000' (log it by hand with `recorder log --at`)"
        )
    )


def import_chat(store: Store, path: Path, text: str, options: Options, *, at: datetime) -> Outcome:
    """Import a saved chat transcript as one chat contact (split into turns by the
    write path), in `options.case_id` or a new case of `options.platform`."""
    if options.case_id is None and options.platform is None:
        raise InputError(_("a chat goes into a case: give --case ID or --platform NAME"))
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    entry = Entry(
        channel=Channel.chat,
        direction=Direction.outbound,
        occurred_at=at,
        case_id=options.case_id,
        new_case=None
        if options.case_id is not None
        else NewCase(str(options.platform), f"Chat: {first[:80]}" if first else "Chat"),
        text=text,
        source=Source.imported,
        source_name=str(path)[:500],
        me=options.me,
        local=options.local,
    )
    try:
        with store.write() as tx:
            logged = log_entry(tx, entry)
            if options.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return Outcome(
        str(path),
        "present" if logged.already_recorded else "imported",
        contact_id=None if options.dry_run else logged.contact_id,
        case_id=None if options.dry_run and logged.opened_case else logged.case_id,
        opened_case=logged.opened_case,
        warnings=tuple(secret_warnings(logged)),
    )
