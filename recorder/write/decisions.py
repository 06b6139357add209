"""The user's decisions on duplicate flags, and merging two cases that are one problem
(and undoing it)."""

from __future__ import annotations

import json

import sqlalchemy as sa
from sqlmodel import col, select

from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _
from recorder.domain.vocabulary import CaseStatus, FlagStatus, parse_choice
from recorder.store.lookups import get_case, get_flag
from recorder.store.models import AuditEvent, Case, Contact, DuplicateFlag
from recorder.store.session import Tx
from recorder.write.audit import delete, update
from recorder.write.derived import refresh_case


def decide(tx: Tx, flag_id: int, status: FlagStatus | str) -> DuplicateFlag:
    """Record the user's decision on a flag: dismissed (not a duplicate), confirmed, or
    open again."""
    flag = get_flag(tx.session, flag_id)
    chosen = parse_choice(FlagStatus, status, N_("decision"))
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
    source, target = get_case(tx.session, from_id), get_case(tx.session, into_id)
    if from_id == into_id:
        raise InputError(_("case #{from_id} cannot be merged into itself").format(from_id=from_id))
    for case in (source, target):
        if case.merged_into_id is not None:
            raise InputError(
                _(
                    "case #{id} was merged into #{merged_into_id} already; expected a case "
                    "that is not merged"
                ).format(id=case.id, merged_into_id=case.merged_into_id)
            )
    if source.platform_id != target.platform_id:
        raise InputError(
            _(
                "cases #{from_id} and #{into_id} are with different platforms; "
                "expected two cases of one platform"
            ).format(from_id=from_id, into_id=into_id)
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
    # The merged case's other warnings are moot now: its contacts are in the target.
    moot = tx.session.exec(
        select(DuplicateFlag).where(
            col(DuplicateFlag.status) == FlagStatus.open, DuplicateFlag.case_id == from_id
        )
    ).all()
    for flag in moot:
        update(tx, flag, {"status": FlagStatus.closed, "decided_at": tx.now})
    update(tx, source, {"merged_into_id": into_id, "status": CaseStatus.closed}, touch=True)
    refresh_case(tx, source)
    refresh_case(tx, target, facts=True)
    return target


def unmerge_case(tx: Tx, case_id: int) -> Case:
    """Undo the merge of `case_id`: its contacts go back, and it gets back the status it
    had, as the audit log recorded it when it was merged."""
    source = get_case(tx.session, case_id)
    into_id = source.merged_into_id
    if into_id is None:
        raise InputError(
            _("case #{case_id} is not merged into another case").format(case_id=case_id)
        )
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
    # The warnings the merge closed as moot are open again.
    for flag in tx.session.exec(
        select(DuplicateFlag).where(
            col(DuplicateFlag.status) == FlagStatus.closed, DuplicateFlag.case_id == case_id
        )
    ).all():
        update(tx, flag, {"status": FlagStatus.open, "decided_at": None})
    update(tx, source, {"merged_into_id": None, "status": status}, touch=True)
    refresh_case(tx, source)  # its status as it was, from the audit log
    refresh_case(tx, target, facts=True)
    return source
