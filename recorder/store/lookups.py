"""Finding one row by what the user calls it: a platform by name, a case, a contact or a
duplicate flag by id; and how many rows each table holds."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from recorder.domain.errors import NotFoundError, unknown_case, unknown_platform
from recorder.domain.i18n import _
from recorder.domain.vocabulary import platform_key
from recorder.store.models import (
    Attachment,
    AuditEvent,
    Case,
    Contact,
    DuplicateFlag,
    Platform,
)


def platform_by_name(session: Session, name: str) -> Platform | None:
    """The platform called `name`, whatever its case, or None."""
    return session.exec(select(Platform).where(Platform.name_key == platform_key(name))).first()


def find_platform(session: Session, name: str) -> Platform:
    """The platform called `name`, whatever its case; NotFoundError otherwise."""
    platform = platform_by_name(session, name)
    if platform is None:
        known = session.exec(select(Platform.name).order_by(Platform.name_key)).all()
        raise unknown_platform(name, list(known))
    return platform


def get_case(session: Session, case_id: int) -> Case:
    """The case with this id; NotFoundError otherwise."""
    case = session.get(Case, case_id)
    if case is None:
        raise unknown_case(case_id)
    return case


def get_contact(session: Session, contact_id: int) -> Contact:
    """The contact with this id; NotFoundError otherwise."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(_("no contact #{contact_id}").format(contact_id=contact_id))
    return contact


def get_flag(session: Session, flag_id: int) -> DuplicateFlag:
    """The flag with this id; NotFoundError otherwise."""
    flag = session.get(DuplicateFlag, flag_id)
    if flag is None:
        raise NotFoundError(
            _("no duplicate flag #{flag_id}; `recorder dups --all` lists them").format(
                flag_id=flag_id
            )
        )
    return flag


def count_rows(session: Session) -> dict[str, int]:
    """How many rows each table holds (for `db` commands and tests)."""
    tables: list[type[SQLModel]] = [
        Platform,
        Case,
        Contact,
        Attachment,
        DuplicateFlag,
        AuditEvent,
    ]
    return {
        str(t.__tablename__): session.exec(select(func.count()).select_from(t)).one()
        for t in tables
    }
