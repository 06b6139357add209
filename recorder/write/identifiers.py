"""The index of identifiers named in contacts' texts, and the cases that share one.

The index (MessageIdentifier rows) is derived from the audited text and rebuilt
whenever the text changes; like the cases' key columns it is not audited itself.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlmodel import Session, col, select

from recorder.domain.duplicates import Finding
from recorder.domain.identifiers import LABELS, Kind, Named, find_identifiers
from recorder.domain.vocabulary import OPEN_STATUSES, DuplicateKind
from recorder.store.models import Case, Contact, MessageIdentifier


def index_identifiers(session: Session, contact_id: int | None, text: str) -> None:
    """(Re)build the index of the identifiers named in one contact's text."""
    assert contact_id is not None
    session.execute(
        sa.delete(MessageIdentifier).where(col(MessageIdentifier.contact_id) == contact_id)
    )
    for named in find_identifiers(text):
        session.add(
            MessageIdentifier(
                contact_id=contact_id, kind=named.kind.value, key=named.key, value=named.value
            )
        )
    session.flush()


def sharing_cases(
    session: Session, named: Iterable[Named], *, exclude_id: int | None
) -> list[Finding]:
    """Other open cases naming one of these identifiers, in their fields or in a
    message; one finding per case (its first match)."""
    found: dict[int, Finding] = {}
    open_case = (
        col(Case.status).in_(OPEN_STATUSES),
        col(Case.merged_into_id).is_(None),
        Case.id != exclude_id,
    )
    for item in named:
        label = f"{LABELS[item.kind]} {item.value}"
        queries = [
            select(Case.id, Case.title)
            .join(Contact, col(Contact.case_id) == Case.id)
            .join(MessageIdentifier, col(MessageIdentifier.contact_id) == Contact.id)
            .where(
                MessageIdentifier.key == item.key,
                MessageIdentifier.kind == item.kind.value,
                *open_case,
            )
        ]
        field = {Kind.txid: Case.txid_key, Kind.order: Case.order_key}.get(item.kind)
        if field is not None:
            queries.append(select(Case.id, Case.title).where(field == item.key, *open_case))
        for query in queries:
            for case_id, title in session.exec(query.distinct()).all():
                if case_id is not None and case_id not in found:
                    found[case_id] = Finding(
                        DuplicateKind.same_identifier, case_id, title, matched=label
                    )
    return [found[k] for k in sorted(found)]
