"""What the write path derives from contacts: due times, case summaries and follow-ups.

Derived values are kept in the store, so that the lists and `recorder due` read one row
per case, and recomputed (never adjusted) from the contacts whenever those change.
Every change to them is audited like any other.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import select

from recorder.domain.calendars import calendar_of
from recorder.domain.escalation import rule_window
from recorder.domain.vocabulary import Channel, Direction
from recorder.domain.windows import (
    DEFAULT_WINDOWS,
    DueBasis,
    answers,
    expected_by,
    next_follow_up,
    parse_window,
    status_of,
)
from recorder.store.models import Case, Contact, Platform, table_of
from recorder.store.session import Tx
from recorder.store.times import TIMES_COLUMNS, contact_times
from recorder.write.audit import update


def due_time(platform: Platform, contact: Contact) -> dict[str, Any]:
    """A contact's `expected_by`, `due_basis` and `due_window`.

    The user's word waiting for support's (an outbound message, or a conversation in
    which the user spoke last) is due an answer by its time plus the channel's window
    (`channel_window`): every message the user sends has a chase date. Support's word
    (an inbound message, or a conversation support answered in) is due nothing, unless
    support promised in it to come back ("within 3 business days").
    """
    from recorder.domain.transcripts import agent_text, answered_in_session

    if contact.turns:
        waits = not answered_in_session(contact.turns)
    else:
        waits = contact.direction is Direction.outbound
    if waits:
        window, basis = channel_window(platform, contact.channel.value)
        parsed = parse_window(window)
    else:
        from recorder.domain.duplicates import normalise_message
        from recorder.domain.promises import find_promise

        said = agent_text(contact.turns) if contact.turns else contact.text
        promise = find_promise(normalise_message(said))
        if promise is None:
            return {"expected_by": None, "due_basis": None, "due_window": None}
        parsed, basis, window = promise, DueBasis.promise, str(promise)
    at = contact.occurred_at
    return {
        "expected_by": expected_by(at, parsed, calendar_of(platform, [at])),
        "due_basis": basis.value,
        "due_window": window,
    }


def channel_window(platform: Platform, channel: str) -> tuple[str, DueBasis]:
    """The window a message on `channel` is answered in: the platform's, else the one
    the jurisdiction's rules give (complaints), else recorder's labelled default."""
    window = platform.windows.get(channel)
    if window is not None:
        return window, DueBasis.window
    rule = rule_window(platform.jurisdiction, channel)
    if rule is not None:
        return rule[0], DueBasis.rule
    return DEFAULT_WINDOWS[channel], DueBasis.default


def set_due_time(tx: Tx, platform: Platform, contact: Contact) -> None:
    """Recompute one contact's due time and its basis."""
    update(tx, contact, due_time(platform, contact))


def refresh_case(tx: Tx, case: Case, *, activity: bool = True, facts: bool = False) -> None:
    """Recompute everything a case derives from its contacts; with `activity` (something
    happened in the case), mark it updated now, which puts it first in the case list.

    With `facts` (its contacts changed, or it was reopened) its status follows them too
    (recorder.domain.windows.status_of), unless the user set the status by hand after
    the last contact was logged, or the case was merged into another.

    One query for the columns it needs of the case's contacts (not their texts): the
    count, the last contact, the references in
    the order they appeared, the next follow-up, how many outbound contacts wait for
    an answer, and when a complaint was first made.
    """
    table = table_of(Contact)
    rows = (
        tx.session.connection()
        .execute(
            sa.select(
                *(table.c[name] for name in TIMES_COLUMNS),
                table.c.channel,
                table.c.reference,
                table.c.created_at,
            )
            .where(table.c.case_id == case.id)
            .order_by(table.c.occurred_at, table.c.id)
        )
        .all()
    )
    refs: list[str] = []
    for row in rows:
        if row.reference is not None and row.reference not in refs:
            refs.append(row.reference)
    times = [contact_times(row._mapping) for row in rows]
    status = case.status
    if facts and case.merged_into_id is None:
        last_fact = max((row.created_at for row in rows), default=None)
        user_said = case.status_set_at
        if user_said is None or (last_fact is not None and user_said < last_fact):
            status = status_of([(row.channel.value, t) for row, t in zip(rows, times, strict=True)])
    follow = next_follow_up(times, status)
    answered = answers(times)
    complaints = [row.occurred_at for row in rows if row.channel is Channel.complaint]
    update(
        tx,
        case,
        {
            "status": status,
            "contact_count": len(rows),
            "last_contact_at": rows[-1].occurred_at if rows else None,
            "refs": refs,
            "next_follow_up_at": None if follow is None else follow.expected_by,
            "follow_up_contact_id": None if follow is None else follow.contact_id,
            "unanswered": sum(1 for by in answered.values() if by is None),
            "complaint_at": min(complaints, default=None),
            **({"updated_at": tx.now} if activity else {}),
        },
    )


def rederive_platform(tx: Tx, platform: Platform) -> None:
    """After a platform's windows, calendar or jurisdiction changed: its contacts' due
    times, its cases."""
    cases = tx.session.exec(select(Case).where(Case.platform_id == platform.id)).all()
    for case in cases:
        contacts = tx.session.exec(select(Contact).where(Contact.case_id == case.id)).all()
        for contact in contacts:
            set_due_time(tx, platform, contact)
        # The platform changed, not the case: no activity, its place in the list stays.
        refresh_case(tx, case, activity=False)
