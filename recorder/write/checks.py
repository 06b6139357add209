"""The duplicate checks the write path runs: what a new case or contact repeats, as
findings; and keeping them as flags.

Every check is an indexed lookup (same reference, identifier or message), reads the
case's own row (still waiting), or scores only the open cases of one platform that
share a term with the new one (similar case); nothing here reads every stored row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from recorder.domain.duplicates import (
    SIMILAR_THRESHOLD,
    TEXT_HEAD,
    Finding,
    case_similarity,
    message_key,
    problem,
    similarity,
)
from recorder.domain.identifiers import case_identifiers, find_identifiers
from recorder.domain.vocabulary import (
    OPEN_STATUSES,
    Channel,
    Direction,
    DuplicateKind,
    FlagStatus,
)
from recorder.store.lookups import platform_by_name
from recorder.store.models import Case, Contact, DuplicateFlag, Platform, table_of
from recorder.store.session import Tx
from recorder.write.audit import create
from recorder.write.identifiers import sharing_cases

if TYPE_CHECKING:
    from recorder.domain.senders import SenderFinding

WAITING_CHANNELS = frozenset({Channel.ticket, Channel.email, Channel.complaint})
"""Channels on which a second message while the first is still inside its window only
sends the user to the back of the queue."""

SIMILAR_SHOWN = 3
"""At most this many similar cases are flagged for one new case, the most alike first."""


SIMILAR_CHECKED = 20
"""How many of the best-scoring titles have their first message read for identifiers."""

SIMILAR_POOL = 500
"""How many of the platform's open cases, the newest, a new case is compared with: the
check costs the same at 1k open cases as at 50k (it grew with them: 77 ms at 50k).
Someone with more than 500 cases open on one platform is not a person but a
help desk; for them, the newest are the ones a repeat most likely repeats."""


def similar_findings(
    session: Session, *, platform_id: int, title: str, text: str, exclude_id: int | None
) -> list[Finding]:
    """Earlier open cases of the same platform whose problem reads like this one.

    Candidates are the platform's newest SIMILAR_POOL open cases whose title shares a
    term with the new title; only those titles are scored. Of the ones that score, the best
    SIMILAR_CHECKED have the start of their first message read, when the new case names
    an identifier, so that two cases about different orders or TxIDs are told apart.
    """
    mine = problem(title)
    terms = set(mine.terms)
    if not terms:
        return []
    cases = table_of(Case)
    query = sa.select(cases.c.id, cases.c.title).where(
        cases.c.platform_id == platform_id,
        cases.c.status.in_([s.value for s in OPEN_STATUSES]),
        cases.c.merged_into_id.is_(None),
    )
    if exclude_id is not None:  # a case's first message: only cases opened before it
        query = query.where(cases.c.id < exclude_id)
    # Plain rows, not ORM ones: building 1,000 of those took more than the scoring.
    query = query.order_by(cases.c.id.desc()).limit(SIMILAR_POOL)
    alike: list[tuple[float, int, str]] = []
    for case_id, other in session.connection().execute(query).all():
        theirs = problem(other)
        if terms.isdisjoint(theirs.terms):
            continue
        score = similarity(theirs, mine)
        if score >= SIMILAR_THRESHOLD:
            alike.append((score, case_id, other))
    alike.sort(key=lambda a: (-a[0], -a[1]))
    names_ids = bool(problem(f"{title} {text[:TEXT_HEAD]}").ids)
    found: list[Finding] = []
    for _score, case_id, other in alike[:SIMILAR_CHECKED]:
        first = _first_text(session, case_id) if names_ids else ""
        score = case_similarity((other, first), (title, text))
        if score >= SIMILAR_THRESHOLD:
            found.append(Finding(DuplicateKind.similar_case, case_id, other, score=round(score, 1)))
        if len(found) == SIMILAR_SHOWN:
            break
    return found


def _first_text(session: Session, case_id: int) -> str:
    """The start of the case's first outbound message (its description of the problem)."""
    contacts = table_of(Contact)
    head = session.connection().execute(
        sa.select(sa.func.substr(contacts.c.text, 1, TEXT_HEAD))
        .where(contacts.c.case_id == case_id, contacts.c.direction == Direction.outbound.value)
        .order_by(contacts.c.occurred_at, contacts.c.id)
        .limit(1)
    )
    return str(head.scalar() or "")


def case_findings(
    session: Session,
    *,
    platform_id: int,
    title: str,
    txid: str | None = None,
    order_number: str | None = None,
    text: str = "",
    exclude_id: int | None = None,
) -> list[Finding]:
    """What a new case (its title, identifiers and first message) repeats."""
    named = case_identifiers(txid, order_number, text)
    return sharing_cases(session, named, exclude_id=exclude_id) + similar_findings(
        session, platform_id=platform_id, title=title, text=text, exclude_id=exclude_id
    )


def contact_findings(
    session: Session, case: Case | None, fields: Mapping[str, Any], key: str | None = None
) -> list[Finding]:
    """What a new outbound contact in `case` (None: in a case not yet opened) repeats;
    `fields` are the write path's checked values (direction, channel, occurred_at,
    reference, text), `key` its text's message_key when the caller has it. Inbound
    contacts repeat nothing the user did."""
    if fields["direction"] is not Direction.outbound:
        return []
    found: list[Finding] = []
    reference = fields.get("reference")
    if reference:
        query = select(Contact.case_id, Case.title).join(Case, col(Case.id) == Contact.case_id)
        query = query.where(Contact.reference == reference)
        if case is not None:
            query = query.where(Contact.case_id != case.id)
        row = session.exec(query.order_by(col(Contact.occurred_at)).limit(1)).first()
        if row is not None:
            found.append(Finding(DuplicateKind.same_reference, row[0], row[1], matched=reference))
    key = key or message_key(fields.get("text") or "")
    if key is not None:
        earlier = session.exec(
            select(Contact.id, Contact.case_id, Case.title)
            .join(Case, col(Case.id) == Contact.case_id)
            .where(Contact.message_key == key, Contact.direction == Direction.outbound)
            .order_by(col(Contact.occurred_at))
            .limit(1)
        ).first()
        if earlier is not None:
            found.append(
                Finding(
                    DuplicateKind.same_message,
                    earlier[1],
                    earlier[2],
                    earlier_contact_id=earlier[0],
                    matched=f"as contact #{earlier[0]}",
                )
            )
    if case is None:
        return found
    named = find_identifiers(fields.get("text") or "")
    if named:
        found += sharing_cases(session, named, exclude_id=case.id)
    waiting = _still_waiting(session, case, fields)
    if waiting is not None:
        found.append(waiting)
    second = _second_ticket(session, case, fields)
    if second is not None:
        found.append(second)
    if case.contact_count == 0 and case.id is not None:
        found += similar_findings(
            session,
            platform_id=case.platform_id,
            title=case.title,
            text=fields.get("text") or "",
            exclude_id=case.id,
        )
    return found


def _still_waiting(session: Session, case: Case, fields: Mapping[str, Any]) -> Finding | None:
    """The case's earlier outbound contact that is still inside its window, if any."""
    if fields["channel"] not in WAITING_CHANNELS or case.follow_up_contact_id is None:
        return None
    due = case.next_follow_up_at
    earlier = session.get(Contact, case.follow_up_contact_id)
    moment: datetime = fields["occurred_at"]
    if (
        due is None
        or earlier is None
        or earlier.expected_by is None
        or due <= moment
        or earlier.occurred_at >= moment
    ):
        return None
    platform = session.get(Platform, case.platform_id)
    window = "" if platform is None else platform.windows.get(earlier.channel.value, "")
    what = earlier.channel.value.replace("_", " ")
    named = f"{what} {earlier.reference}" if earlier.reference else f"your {what} #{earlier.id}"
    assert case.id is not None
    return Finding(
        DuplicateKind.still_waiting,
        case.id,
        case.title,
        earlier_contact_id=earlier.id,
        matched=f"{named} ({window})" if window else named,
        due_at=due,
    )


def _second_ticket(session: Session, case: Case, fields: Mapping[str, Any]) -> Finding | None:
    """The case's first ticket, if it is unanswered and the new message gives another
    ticket number: the user is opening a second ticket for one problem."""
    from recorder.domain.windows import answers
    from recorder.store.times import TIMES_COLUMNS, contact_times

    reference = fields.get("reference")
    if not reference or case.id is None:
        return None
    table = table_of(Contact)
    rows = (
        session.connection()
        .execute(
            sa.select(*(table.c[name] for name in TIMES_COLUMNS), table.c.reference).where(
                table.c.case_id == case.id
            )
        )
        .all()
    )
    times = [contact_times(row._mapping) for row in rows]
    answered = answers(times)
    moment: datetime = fields["occurred_at"]
    first = min(
        (
            (t.occurred_at, t.id, row.reference)
            for row, t in zip(rows, times, strict=True)
            if t.outbound
            and row.reference
            and row.reference != reference
            and t.occurred_at < moment
        ),
        default=None,
    )
    if first is None or answered.get(first[1]) is not None:
        return None
    return Finding(
        DuplicateKind.second_ticket,
        case.id,
        case.title,
        earlier_contact_id=first[1],
        matched=f"ticket {first[2]}",
    )


def draft_findings(
    session: Session,
    *,
    platform: str,
    case_id: int | None,
    title: str,
    txid: str | None,
    order_number: str | None,
    fields: Mapping[str, Any],
) -> list[Finding]:
    """What a form being filled in would be flagged for once saved: a contact in case
    `case_id`, or in a new case of `platform` with this title and identifiers."""
    if case_id is not None:
        case = session.get(Case, case_id)
        return [] if case is None else contact_findings(session, case, fields)
    found: list[Finding] = []
    found_platform = platform_by_name(session, platform)
    row = None if found_platform is None else found_platform.id
    if row is not None and title.strip():
        outbound = fields["direction"] is Direction.outbound
        found += case_findings(
            session,
            platform_id=row,
            title=title,
            txid=txid,
            order_number=order_number,
            text=(fields.get("text") or "") if outbound else "",
        )
    return found + contact_findings(session, None, fields)


def sender_findings(platform: Platform, address: str) -> list[SenderFinding]:
    """Reasons to distrust `address` as the platform's (recorder.domain.senders)."""
    from recorder.domain.senders import check_sender

    return check_sender(
        address, platform=platform.name, domains=platform.domains, addresses=platform.addresses
    )


def draft_sender_warning(
    session: Session, *, platform: str, case_id: int | None, fields: Mapping[str, Any]
) -> str | None:
    """The warning an inbound message being filled in would carry once saved (its
    address is not the platform's), or None."""
    address = fields.get("address")
    if fields["direction"] is not Direction.inbound or not address:
        return None
    case = None if case_id is None else session.get(Case, case_id)
    found = (
        platform_by_name(session, platform)
        if case is None
        else session.get(Platform, case.platform_id)
    )
    if found is None:
        return None
    from recorder.domain.senders import describe

    findings = sender_findings(found, address)
    return describe(findings) if findings else None


def keep_findings(
    tx: Tx, findings: Sequence[Finding], *, case_id: int, contact_id: int | None = None
) -> list[DuplicateFlag]:
    """Store what the checks found as flags (audited); a pair already flagged is not
    flagged again."""
    kept: list[DuplicateFlag] = []
    for finding in findings:
        same = select(DuplicateFlag.id).where(
            DuplicateFlag.kind == finding.kind,
            DuplicateFlag.case_id == case_id,
            DuplicateFlag.earlier_case_id == finding.earlier_case_id,
        )
        if finding.kind in (DuplicateKind.still_waiting, DuplicateKind.second_ticket):
            # One open warning of each of these kinds per case, however often the user
            # writes again before deciding about it.
            same = same.where(DuplicateFlag.status == FlagStatus.open)
        elif finding.kind not in (DuplicateKind.similar_case, DuplicateKind.same_identifier):
            same = same.where(DuplicateFlag.contact_id == contact_id)
        if tx.session.exec(same).first() is not None:
            continue
        flag = DuplicateFlag(
            kind=finding.kind,
            case_id=case_id,
            contact_id=contact_id,
            earlier_case_id=finding.earlier_case_id,
            earlier_contact_id=finding.earlier_contact_id,
            score=finding.score,
            matched=finding.matched[:300],
            due_at=finding.due_at,
            created_at=tx.now,
        )
        create(tx, flag)
        kept.append(flag)
    tx.flags.extend(kept)
    return kept


def find_repeat(session: Session, fields: Mapping[str, Any], key: str | None) -> Contact | None:
    """A stored contact with exactly this text at exactly this time: the same contact
    logged (or the same email imported) again. `key` is the text's message_key."""
    text = fields.get("text") or ""
    if key is None:
        return None
    return session.exec(
        select(Contact).where(
            Contact.message_key == key,
            Contact.occurred_at == fields["occurred_at"],
            Contact.text == text,
        )
    ).first()
