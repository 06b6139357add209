"""The read side: lists and detail views as plain values, built with Core selects.

Each function runs a fixed number of queries, whatever the number of rows, and every
query uses an index (tests/store/test_query_plans.py checks this).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from recorder.models import (
    OPEN_STATUSES,
    Attachment,
    Case,
    CaseStatus,
    Contact,
    Platform,
    table_of,
)
from recorder.records import IDENTIFIERS, find_platform, get_case


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, in UTC; None stays None."""
    return None if value is None else value.astimezone(UTC).isoformat()


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list."""

    id: int
    platform: str
    title: str
    status: CaseStatus
    priority: str
    references: list[str]
    last_contact_at: datetime | None
    contacts: int
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `recorder list --json`."""
        return {
            "id": self.id,
            "platform": self.platform,
            "title": self.title,
            "status": self.status.value,
            "priority": self.priority,
            "references": self.references,
            "last_contact_at": iso(self.last_contact_at),
            "contacts": self.contacts,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


@dataclass(frozen=True)
class AttachmentView:
    """An attachment as shown with its contact."""

    id: int
    name: str
    sha256: str
    size: int
    media_type: str

    def to_json(self) -> dict[str, Any]:
        """The JSON object of an attachment in `recorder show --json`."""
        return {
            "id": self.id,
            "name": self.name,
            "sha256": self.sha256,
            "size": self.size,
            "media_type": self.media_type,
        }


@dataclass(frozen=True)
class ContactView:
    """A contact with its attachments."""

    id: int
    case_id: int
    channel: str
    direction: str
    occurred_at: datetime
    reference: str | None
    agent: str | None
    address: str | None
    subject: str | None
    text: str
    auto_ack: bool
    source: str
    source_name: str | None
    attachments: list[AttachmentView] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a contact in `recorder show --json` and `log --json`."""
        return {
            "id": self.id,
            "case_id": self.case_id,
            "channel": self.channel,
            "direction": self.direction,
            "occurred_at": iso(self.occurred_at),
            "reference": self.reference,
            "agent": self.agent,
            "address": self.address,
            "subject": self.subject,
            "text": self.text,
            "auto_ack": self.auto_ack,
            "source": self.source,
            "source_name": self.source_name,
            "attachments": [a.to_json() for a in self.attachments],
        }


@dataclass(frozen=True)
class CaseDetail:
    """A case with all its contacts in time order."""

    id: int
    platform: str
    title: str
    status: CaseStatus
    priority: str
    identifiers: dict[str, str | None]
    created_at: datetime
    updated_at: datetime
    contacts: list[ContactView]

    def to_json(self) -> dict[str, Any]:
        """The JSON document of `recorder show --json`."""
        ids = dict(self.identifiers)
        return {
            "id": self.id,
            "platform": self.platform,
            "title": self.title,
            "status": self.status.value,
            "priority": self.priority,
            "identifiers": {
                "txid": ids["txid"],
                "order": ids["order_number"],
                "account_email": ids["account_email"],
                "asset": ids["asset"],
                "amount": ids["amount"],
            },
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "contacts": [c.to_json() for c in self.contacts],
        }


def list_cases(
    session: Session,
    *,
    statuses: Sequence[CaseStatus] | None = OPEN_STATUSES,
    platform: str | None = None,
    limit: int | None = None,
) -> list[CaseSummary]:
    """Cases with the given statuses (open ones by default; None: all), newest activity first.

    Two queries: the cases with their contact count and last contact (correlated
    subqueries on the covering contact index), then their reference numbers.
    """
    conditions = list(_filters(session, statuses, platform))
    contact = table_of(Contact)
    case = table_of(Case)
    last = (
        sa.select(sa.func.max(contact.c.occurred_at))
        .where(contact.c.case_id == case.c.id)
        .correlate(case)
        .scalar_subquery()
    )
    count = (
        sa.select(sa.func.count())
        .where(contact.c.case_id == case.c.id)
        .correlate(case)
        .scalar_subquery()
    )
    activity = sa.func.coalesce(last, case.c.created_at)
    stmt = (
        sa.select(
            case.c.id,
            table_of(Platform).c.name,
            case.c.title,
            case.c.status,
            case.c.priority,
            case.c.created_at,
            case.c.updated_at,
            last.label("last_contact_at"),
            count.label("contacts"),
        )
        .join(table_of(Platform), table_of(Platform).c.id == case.c.platform_id)
        .where(*conditions)
        .order_by(activity.desc(), case.c.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = session.connection().execute(stmt).all()
    references = _references(session, [row.id for row in rows] if limit else None, conditions)
    return [
        CaseSummary(
            id=row.id,
            platform=row.name,
            title=row.title,
            status=CaseStatus(row.status),
            priority=str(row.priority),
            references=references.get(row.id, []),
            last_contact_at=row.last_contact_at,
            contacts=row.contacts,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )
        for row in rows
    ]


def _filters(
    session: Session, statuses: Sequence[CaseStatus] | None, platform: str | None
) -> Iterable[sa.ColumnElement[bool]]:
    case = table_of(Case)
    if statuses is not None:
        yield case.c.status.in_(list(statuses))
    if platform is not None:
        yield case.c.platform_id == find_platform(session, platform).id


def _references(
    session: Session, ids: list[int] | None, conditions: list[sa.ColumnElement[bool]]
) -> dict[int, list[str]]:
    """Reference numbers per case, in the order they first appeared."""
    contact = table_of(Contact)
    case = table_of(Case)
    stmt = sa.select(contact.c.case_id, contact.c.reference).where(contact.c.reference.is_not(None))
    if ids is not None:
        stmt = stmt.where(contact.c.case_id.in_(ids))
    else:
        stmt = stmt.join(case, case.c.id == contact.c.case_id).where(*conditions)
    stmt = stmt.order_by(contact.c.case_id, contact.c.occurred_at)
    out: dict[int, list[str]] = {}
    for case_id, reference in session.connection().execute(stmt):
        refs = out.setdefault(case_id, [])
        if reference not in refs:
            refs.append(reference)
    return out


def case_detail(session: Session, case_id: int) -> CaseDetail:
    """A case and its contacts in time order, with their attachments. Three queries."""
    case = get_case(session, case_id)
    platform = session.get(Platform, case.platform_id)
    assert platform is not None
    contacts = contact_views(session, case_id=case_id)
    return CaseDetail(
        id=case_id,
        platform=platform.name,
        title=case.title,
        status=case.status,
        priority=case.priority.value,
        identifiers={name: getattr(case, name) for name in IDENTIFIERS},
        created_at=case.created_at,
        updated_at=case.updated_at,
        contacts=contacts,
    )


def contact_views(
    session: Session, *, case_id: int | None = None, contact_id: int | None = None
) -> list[ContactView]:
    """The contacts of a case (or one contact), in time order, with attachments."""
    contact = table_of(Contact)
    stmt = sa.select(contact)
    if case_id is not None:
        stmt = stmt.where(contact.c.case_id == case_id)
    if contact_id is not None:
        stmt = stmt.where(contact.c.id == contact_id)
    stmt = stmt.order_by(contact.c.occurred_at, contact.c.id)
    rows = session.connection().execute(stmt).all()
    attachment = table_of(Attachment)
    files: dict[int, list[AttachmentView]] = {}
    if rows:
        att_stmt = (
            sa.select(attachment)
            .where(attachment.c.contact_id.in_([r.id for r in rows]))
            .order_by(attachment.c.id)
        )
        for a in session.connection().execute(att_stmt):
            files.setdefault(a.contact_id, []).append(
                AttachmentView(a.id, a.name, a.sha256, a.size, a.media_type)
            )
    return [
        ContactView(
            id=r.id,
            case_id=r.case_id,
            channel=str(r.channel),
            direction=str(r.direction),
            occurred_at=r.occurred_at,
            reference=r.reference,
            agent=r.agent,
            address=r.address,
            subject=r.subject,
            text=r.text,
            auto_ack=bool(r.auto_ack),
            source=str(r.source),
            source_name=r.source_name,
            attachments=files.get(r.id, []),
        )
        for r in rows
    ]


def platform_json(platform: Platform) -> dict[str, Any]:
    """The JSON object of a platform."""
    return {
        "id": platform.id,
        "name": platform.name,
        "domains": platform.domains,
        "addresses": platform.addresses,
        "timezone": platform.timezone,
        "holidays": (
            None
            if platform.holiday_country is None
            else "-".join(p for p in (platform.holiday_country, platform.holiday_subdivision) if p)
        ),
        "windows": platform.windows,
        "notes": platform.notes,
    }


def list_platforms(session: Session) -> list[Platform]:
    """All platforms by name."""
    return list(session.exec(sa.select(Platform).order_by(Platform.name_key)).scalars())  # type: ignore[call-overload]
