"""Cases in the write path: opening one (checked for repeats), editing it, and moving
it to another status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypedDict

from sqlmodel import Session

from recorder.domain.duplicates import identifier_key
from recorder.domain.i18n import N_
from recorder.domain.identifiers import case_identifiers
from recorder.domain.vocabulary import IDENTIFIERS, CaseStatus, Priority, parse_choice
from recorder.store.lookups import find_platform, get_case
from recorder.store.models import Case
from recorder.store.session import Tx
from recorder.write.audit import create, update
from recorder.write.checks import case_findings, keep_findings
from recorder.write.derived import refresh_case
from recorder.write.fields import identifier, short_text
from recorder.write.identifiers import sharing_cases


def open_case(
    tx: Tx,
    *,
    platform: str,
    title: str,
    priority: Priority | str = Priority.normal,
    **identifiers: str | None,
) -> Case:
    """Open a new case with a platform; identifiers are those named in IDENTIFIERS.

    What it repeats is flagged (`tx.flags`), never refused.
    """
    found = find_platform(tx.session, platform)
    unknown = set(identifiers) - set(IDENTIFIERS)
    if unknown:
        raise TypeError(f"unknown identifiers: {sorted(unknown)}")
    clean_title = short_text(title, N_("title"), max_len=300, required=True)
    assert clean_title is not None and found.id is not None
    ids: dict[str, Any] = {name: identifier(name, identifiers.get(name)) for name in IDENTIFIERS}
    case = Case(
        platform_id=found.id,
        title=clean_title,
        priority=parse_choice(Priority, priority, N_("priority")),
        status=CaseStatus.open,
        created_at=tx.now,
        updated_at=tx.now,
        txid_key=identifier_key(ids["txid"]),
        order_key=identifier_key(ids["order_number"]),
        **ids,
    )
    findings = case_findings(
        tx.session,
        platform_id=found.id,
        title=clean_title,
        txid=ids["txid"],
        order_number=ids["order_number"],
    )
    create(tx, case)
    assert case.id is not None
    keep_findings(tx, findings, case_id=case.id)
    return case


class CaseEdit(TypedDict, total=False):
    """A change to a case: only the fields given change; an identifier given as None
    (or "") is cleared."""

    title: str
    priority: Priority | str
    status: CaseStatus | str
    platform: str
    txid: str | None
    order_number: str | None
    account_email: str | None
    asset: str | None
    amount: str | None


def _identifier_edit(name: str) -> Callable[[Session, Any], dict[str, Any]]:
    return lambda _, value: {name: identifier(name, value)}


_CASE_EDITS: dict[str, Callable[[Session, Any], dict[str, Any]]] = {
    "title": lambda _, v: {"title": short_text(v, N_("title"), max_len=300, required=True)},
    "priority": lambda _, v: {"priority": parse_choice(Priority, v, N_("priority"))},
    "status": lambda _, v: {"status": parse_choice(CaseStatus, v, N_("status"))},
    "platform": lambda session, v: {"platform_id": find_platform(session, v).id},
    **{name: _identifier_edit(name) for name in IDENTIFIERS},
}
"""The columns each field of a CaseEdit sets, checked."""


def edit_case(tx: Tx, case_id: int, changes: CaseEdit) -> Case:
    """Change a case's title, priority, status, identifiers or platform; a new TxID or
    order number is checked against the other open cases."""
    case = get_case(tx.session, case_id)
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        clean.update(_CASE_EDITS[key](tx.session, value))
    if "txid" in clean:
        case.txid_key = identifier_key(clean["txid"])
    if "order_number" in clean:
        case.order_key = identifier_key(clean["order_number"])
    reopened = clean.get("status") is CaseStatus.open
    if "status" in clean:
        # The user's word stands until a newer fact; reopening gives the word back to
        # the facts.
        clean["status_set_at"] = None if reopened else tx.now
    identifiers_before = (case.txid, case.order_number)
    if update(tx, case, clean, touch=True):
        # The status decides whether a follow-up is due; reopened, the facts decide it.
        refresh_case(tx, case, facts=reopened)
        if (case.txid, case.order_number) != identifiers_before:
            changed = {
                name: value if value != before else None
                for name, value, before in zip(
                    ("txid", "order_number"),
                    (case.txid, case.order_number),
                    identifiers_before,
                    strict=True,
                )
            }
            assert case.id is not None
            named = case_identifiers(changed["txid"], changed["order_number"], "")
            found = sharing_cases(tx.session, named, exclude_id=case.id)
            keep_findings(tx, found, case_id=case.id)
    return case


def set_status(tx: Tx, case_id: int, status: CaseStatus | str) -> Case:
    """Move a case to another status, which stands until a newer contact is logged;
    `open` reopens it: back to what its contacts say it waits for."""
    return edit_case(tx, case_id, {"status": status})
