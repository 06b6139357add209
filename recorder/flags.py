"""The duplicate guard in the store: the checks the write path runs, the flags they
leave, the user's decisions, and merging two cases that are one problem.

Every check is an indexed lookup (same reference, identifier or message), reads the
case's own row (still waiting), or scores only the open cases of one platform that
share a term with the new one (similar case); nothing here reads every stored row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from recorder.audit import create, delete, update
from recorder.derived import refresh_case
from recorder.duplicates import (
    SIMILAR_THRESHOLD,
    TEXT_HEAD,
    Finding,
    case_similarity,
    identifier_key,
    message_key,
    problem,
    similarity,
)
from recorder.errors import InputError, NotFoundError
from recorder.models import (
    OPEN_STATUSES,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    Contact,
    Direction,
    DuplicateFlag,
    DuplicateKind,
    FlagStatus,
    Platform,
)
from recorder.store import Tx
from recorder.vocabulary import parse_choice

WAITING_CHANNELS = frozenset({Channel.ticket, Channel.email, Channel.complaint})
"""Channels on which a second message while the first is still inside its window only
sends the user to the back of the queue."""

SIMILAR_SHOWN = 3
"""At most this many similar cases are flagged for one new case, the most alike first."""


def identifier_findings(
    session: Session, *, txid: str | None, order_number: str | None, exclude_id: int | None
) -> list[Finding]:
    """Other open cases with the same TxID or order number (compared normalised)."""
    found: list[Finding] = []
    for label, column, value in (
        ("TxID", Case.txid_key, txid),
        ("order", Case.order_key, order_number),
    ):
        key = identifier_key(value)
        if key is None:
            continue
        rows = session.exec(
            select(Case.id, Case.title)
            .where(
                column == key,
                col(Case.status).in_(OPEN_STATUSES),
                col(Case.merged_into_id).is_(None),
                Case.id != exclude_id,
            )
            .order_by(col(Case.id))
        ).all()
        found += [
            Finding(DuplicateKind.same_identifier, case_id, title, matched=f"{label} {value}")
            for case_id, title in rows
            if case_id is not None
        ]
    return found


SIMILAR_CHECKED = 20
"""How many of the best-scoring titles have their first message read for identifiers."""


def similar_findings(
    session: Session, *, platform_id: int, title: str, text: str, exclude_id: int | None
) -> list[Finding]:
    """Earlier open cases of the same platform whose problem reads like this one.

    Candidates are the platform's open cases whose title shares a term with the new
    title; only those titles are scored. Of the ones that score, the best
    SIMILAR_CHECKED have the start of their first message read, when the new case names
    an identifier, so that two cases about different orders or TxIDs are told apart.
    """
    mine = problem(title)
    terms = set(mine.terms)
    if not terms:
        return []
    query = select(Case.id, Case.title).where(
        Case.platform_id == platform_id,
        col(Case.status).in_(OPEN_STATUSES),
        col(Case.merged_into_id).is_(None),
    )
    if exclude_id is not None:  # a case's first message: only cases opened before it
        query = query.where(col(Case.id) < exclude_id)
    alike: list[tuple[float, int, str]] = []
    for case_id, other in session.exec(query).all():
        assert case_id is not None
        theirs = problem(other)
        if terms.isdisjoint(theirs.terms):
            continue
        score = similarity(theirs, mine)
        if score >= SIMILAR_THRESHOLD:
            alike.append((score, case_id, other))
    alike.sort(key=lambda a: (-a[0], -a[1]))
    names_ids = bool(problem(f"{title} {text[:TEXT_HEAD]}").ids)
    found: list[Finding] = []
    for _, case_id, other in alike[:SIMILAR_CHECKED]:
        first = _first_text(session, case_id) if names_ids else ""
        score = case_similarity((other, first), (title, text))
        if score >= SIMILAR_THRESHOLD:
            found.append(Finding(DuplicateKind.similar_case, case_id, other, score=round(score, 1)))
        if len(found) == SIMILAR_SHOWN:
            break
    return found


def _first_text(session: Session, case_id: int) -> str:
    """The start of the case's first outbound message (its description of the problem)."""
    contacts = Contact.__table__  # type: ignore[attr-defined]
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
    return identifier_findings(
        session, txid=txid, order_number=order_number, exclude_id=exclude_id
    ) + similar_findings(
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
    waiting = _still_waiting(session, case, fields)
    if waiting is not None:
        found.append(waiting)
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
    row = session.exec(select(Platform.id).where(Platform.name_key == platform.casefold())).first()
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
        if finding.kind not in (DuplicateKind.similar_case, DuplicateKind.same_identifier):
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


def get_flag(session: Session, flag_id: int) -> DuplicateFlag:
    """The flag with this id; NotFoundError otherwise."""
    flag = session.get(DuplicateFlag, flag_id)
    if flag is None:
        raise NotFoundError(f"no duplicate flag #{flag_id}; `recorder dups --all` lists them")
    return flag


def decide(tx: Tx, flag_id: int, status: FlagStatus | str) -> DuplicateFlag:
    """Record the user's decision on a flag: dismissed (not a duplicate), confirmed, or
    open again."""
    flag = get_flag(tx.session, flag_id)
    chosen = parse_choice(FlagStatus, status, "decision")
    update(
        tx,
        flag,
        {"status": chosen, "decided_at": None if chosen is FlagStatus.open else tx.now},
    )
    return flag


def drop_contact_flags(tx: Tx, contact_id: int) -> None:
    """Delete (audited) the flags that name a contact about to be deleted."""
    flags = tx.session.exec(
        select(DuplicateFlag).where(
            sa.or_(
                col(DuplicateFlag.contact_id) == contact_id,
                col(DuplicateFlag.earlier_contact_id) == contact_id,
            )
        )
    ).all()
    for flag in flags:
        delete(tx, flag)


def merge_cases(tx: Tx, from_id: int, into_id: int) -> Case:
    """Merge case `from_id` into `into_id`: its contacts move there, it is closed and
    keeps a pointer, and the flags between the two are confirmed. `unmerge_case` undoes it.
    """
    from recorder.records import get_case  # records imports this module

    source, target = get_case(tx.session, from_id), get_case(tx.session, into_id)
    if from_id == into_id:
        raise InputError(f"case #{from_id} cannot be merged into itself")
    for case in (source, target):
        if case.merged_into_id is not None:
            raise InputError(
                f"case #{case.id} was merged into #{case.merged_into_id} already; "
                f"expected a case that is not merged"
            )
    if source.platform_id != target.platform_id:
        raise InputError(
            f"cases #{from_id} and #{into_id} are with different platforms; "
            "expected two cases of one platform"
        )
    moved = tx.session.exec(select(Contact).where(Contact.case_id == from_id)).all()
    for contact in moved:
        update(tx, contact, {"case_id": into_id, "merged_from_id": from_id})
    flags = tx.session.exec(
        select(DuplicateFlag).where(
            col(DuplicateFlag.status) == FlagStatus.open,
            sa.or_(
                sa.and_(
                    col(DuplicateFlag.case_id) == from_id,
                    col(DuplicateFlag.earlier_case_id) == into_id,
                ),
                sa.and_(
                    col(DuplicateFlag.case_id) == into_id,
                    col(DuplicateFlag.earlier_case_id) == from_id,
                ),
            ),
        )
    ).all()
    for flag in flags:
        update(tx, flag, {"status": FlagStatus.confirmed, "decided_at": tx.now})
    update(tx, source, {"merged_into_id": into_id, "status": CaseStatus.closed}, touch=True)
    refresh_case(tx, source)
    refresh_case(tx, target)
    return target


def unmerge_case(tx: Tx, case_id: int) -> Case:
    """Undo the merge of `case_id`: its contacts go back, and it gets back the status it
    had, as the audit log recorded it when it was merged."""
    from recorder.records import get_case  # records imports this module

    source = get_case(tx.session, case_id)
    into_id = source.merged_into_id
    if into_id is None:
        raise InputError(f"case #{case_id} is not merged into another case")
    merged = tx.session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == "cases", AuditEvent.entity_id == case_id)
        .order_by(col(AuditEvent.id).desc())
    ).all()
    status = CaseStatus.open
    for event in merged:
        change = json.loads(event.change)
        if change.get("after", {}).get("merged_into_id") == into_id:
            status = CaseStatus(change["before"].get("status", source.status.value))
            break
    target = get_case(tx.session, into_id)
    back = tx.session.exec(
        select(Contact).where(Contact.case_id == into_id, Contact.merged_from_id == case_id)
    ).all()
    for contact in back:
        update(tx, contact, {"case_id": case_id, "merged_from_id": None})
    update(tx, source, {"merged_into_id": None, "status": status}, touch=True)
    refresh_case(tx, source)
    refresh_case(tx, target)
    return source


def derive_keys(tx: Tx) -> None:
    """Fill in the keys duplicates are found by, for a store upgraded from before 0004.

    They are derived from audited fields and are not part of any record, so setting
    them is not audited.
    """
    session = tx.session
    for case_id, txid, order_number in session.exec(
        select(Case.id, Case.txid, Case.order_number)
    ).all():
        session.execute(
            sa.update(Case)
            .where(col(Case.id) == case_id)
            .values(txid_key=identifier_key(txid), order_key=identifier_key(order_number))
        )
    for contact_id, text in session.exec(select(Contact.id, Contact.text)).all():
        key = message_key(text)
        if key is not None:
            session.execute(
                sa.update(Contact).where(col(Contact.id) == contact_id).values(message_key=key)
            )
