"""The write path: platforms, cases, contacts, attachments, and the audit chain.

Every change goes through a function here, inside one `Store.write()` transaction:
it is validated, written and audited together, or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from recorder.audit import create, delete, update
from recorder.calendars import HOLIDAY_YEARS, closed_dates, holiday_dates
from recorder.clock import Clock
from recorder.dates import zone
from recorder.derived import (
    calendar_of,
    derive_all,
    due_time,
    rederive_platform,
    refresh_case,
    set_due_time,
)
from recorder.duplicates import identifier_key, message_key
from recorder.errors import InputError, NotFoundError, unknown_case, unknown_platform
from recorder.flags import (
    case_findings,
    contact_findings,
    derive_keys,
    drop_contact_flags,
    find_repeat,
    identifier_findings,
    keep_findings,
)
from recorder.locations import Locations
from recorder.models import (
    Attachment,
    AuditEvent,
    Case,
    CaseStatus,
    Channel,
    Contact,
    Direction,
    DuplicateFlag,
    Platform,
    Priority,
    Source,
)
from recorder.store import Store, Tx
from recorder.vocabulary import IDENTIFIERS, parse_choice
from recorder.windows import parse_follow_up, parse_window


def open_store(location: str | Locations | None = None, *, clock: Clock | None = None) -> Store:
    """Open a store (creating and upgrading it as needed); a new one gets the presets."""
    store = Store.open(location, clock=clock)
    if store.created:
        with store.write() as tx:
            load_presets(tx)
    elif store.upgraded_from is not None:
        with store.write() as tx:
            if store.upgraded_from < "0003":
                # Stores from before 0003 kept no due times: derive them all, once, audited.
                jurisdictions = {
                    p["name"].casefold(): p["jurisdiction"]
                    for p in presets()
                    if p.get("jurisdiction")
                }
                derive_all(tx, jurisdictions)
            if store.upgraded_from < "0004":
                derive_keys(tx)
    return store


def _text(value: str | None, what: str, *, max_len: int, required: bool = False) -> str | None:
    """Strip a short text field; refuse it when required and empty, or too long."""
    if value is None:
        cleaned = ""
    else:
        _check_utf8(value, what)
        cleaned = " ".join(value.split())
    if not cleaned:
        if required:
            raise InputError(f"{what} is empty; expected some text")
        return None
    if len(cleaned) > max_len:
        raise InputError(f"{what} is {len(cleaned)} characters long; at most {max_len} fit")
    return cleaned


def _check_utf8(value: str, what: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"{what} is not valid UTF-8 (character {exc.start}); expected UTF-8 text"
        ) from None


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _email(value: str | None) -> str | None:
    cleaned = _text(value, "account email", max_len=320)
    if cleaned is not None and not _EMAIL.fullmatch(cleaned):
        raise InputError(f"account email {cleaned!r} is not an email address")
    return cleaned


def _amount(value: str | None) -> str | None:
    cleaned = _text(value, "amount", max_len=64)
    if cleaned is None:
        return None
    try:
        Decimal(cleaned.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise InputError(
            f"amount {cleaned!r} is not a number; expected e.g. 0.25 or 1,200.00"
        ) from None
    return cleaned


def _aware(value: datetime, what: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(f"{what} has no time zone")
    return value.astimezone(UTC)


def _holidays(value: str | None) -> tuple[str | None, str | None]:
    if value is None or not value.strip():
        return None, None
    match = re.fullmatch(r"([A-Za-z]{2,3})(?:-([A-Za-z0-9]{1,10}))?", value.strip())
    if match is None:
        raise InputError(
            f"cannot read holidays {value!r}; "
            "expected COUNTRY or COUNTRY-SUBDIVISION, e.g. US or US-NY"
        )
    country, sub = match.groups()
    return country.upper(), sub.upper() if sub else None


def _jurisdiction(value: str | None) -> str | None:
    # Imported here: only adding or editing a platform needs the ladders.
    from recorder.escalation import check_jurisdiction

    return check_jurisdiction(value)


def _windows(windows: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for channel, text in windows.items():
        ch = parse_choice(Channel, channel, "channel")
        out[ch.value] = str(parse_window(text))
    return out


def _domains(values: Iterable[str], what: str) -> list[str]:
    out: list[str] = []
    for value in values:
        cleaned = value.strip().lower()
        if not cleaned or any(c.isspace() for c in cleaned):
            raise InputError(f"{what} {value!r} is not valid; expected e.g. gemini.com")
        if cleaned not in out:
            out.append(cleaned)
    return out


def find_platform(session: Session, name: str) -> Platform:
    """The platform called `name`, whatever its case; NotFoundError otherwise."""
    key = name.strip().casefold()
    platform = session.exec(select(Platform).where(Platform.name_key == key)).first()
    if platform is None:
        known = session.exec(select(Platform.name).order_by(Platform.name_key)).all()
        raise unknown_platform(name, list(known))
    return platform


def add_platform(
    tx: Tx,
    *,
    name: str,
    domains: Sequence[str] = (),
    addresses: Sequence[str] = (),
    timezone: str = "UTC",
    holidays: str | None = None,
    windows: Mapping[str, str] | None = None,
    jurisdiction: str | None = None,
    closed: Sequence[str] = (),
    notes: str = "",
) -> Platform:
    """Add a platform; its name must be new, whatever its case."""
    clean_name = _text(name, "platform name", max_len=100, required=True)
    assert clean_name is not None
    key = clean_name.casefold()
    if tx.session.exec(select(Platform.id).where(Platform.name_key == key)).first() is not None:
        raise InputError(f"a platform called {clean_name!r} already exists")
    country, sub = _holidays(holidays)
    platform = Platform(
        name=clean_name,
        name_key=key,
        domains=_domains(domains, "domain"),
        addresses=_domains(addresses, "address"),
        timezone=zone(timezone).key,
        holiday_country=country,
        holiday_subdivision=sub,
        holiday_dates=holiday_dates(country, sub, HOLIDAY_YEARS) if country else [],
        closed_dates=closed_dates(closed),
        windows=_windows(windows or {}),
        jurisdiction=_jurisdiction(jurisdiction),
        notes=(notes or "").strip(),
        created_at=tx.now,
    )
    create(tx, platform)
    return platform


def edit_platform(tx: Tx, name: str, changes: Mapping[str, Any]) -> Platform:
    """Change a platform; its contacts' due times and its cases' follow-ups follow.

    `windows` are merged into the platform's (a window of "none" removes one);
    `closed` replaces the user's closed dates.
    """
    platform = find_platform(tx.session, name)
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "windows":
            merged = dict(platform.windows)
            for channel, text in value.items():
                if text.strip().lower() == "none":
                    merged.pop(parse_choice(Channel, channel, "channel").value, None)
                else:
                    merged.update(_windows({channel: text}))
            clean["windows"] = merged
        elif key == "timezone":
            clean["timezone"] = zone(value).key
        elif key == "holidays":
            country, sub = _holidays(value)
            clean.update(
                holiday_country=country,
                holiday_subdivision=sub,
                holiday_dates=holiday_dates(country, sub, HOLIDAY_YEARS) if country else [],
            )
        elif key == "jurisdiction":
            clean["jurisdiction"] = _jurisdiction(value)
        elif key == "closed":
            clean["closed_dates"] = closed_dates(value)
        elif key in ("domains", "addresses"):
            clean[key] = _domains(value, key[:-1])
        elif key == "notes":
            clean["notes"] = (value or "").strip()
        else:
            raise TypeError(f"a platform has no editable field {key!r}")
    calendar_changed = bool({"windows", "timezone", "holiday_dates", "closed_dates"} & set(clean))
    if update(tx, platform, clean) and calendar_changed:
        rederive_platform(tx, platform)
    return platform


def presets() -> list[dict[str, Any]]:
    """The built-in platforms of `platforms.toml`."""
    import tomllib
    from importlib import resources

    text = resources.files("recorder").joinpath("platforms.toml").read_text("utf-8")
    found: list[dict[str, Any]] = tomllib.loads(text)["platform"]
    return found


def load_presets(tx: Tx) -> list[Platform]:
    """Add the built-in platforms of `platforms.toml` that the store does not have yet."""
    added = []
    for preset in presets():
        key = preset["name"].casefold()
        if tx.session.exec(select(Platform.id).where(Platform.name_key == key)).first() is None:
            added.append(
                add_platform(
                    tx,
                    name=preset["name"],
                    domains=preset.get("domains", []),
                    addresses=preset.get("addresses", []),
                    timezone=preset.get("timezone", "UTC"),
                    holidays=preset.get("holidays"),
                    windows=preset.get("windows", {}),
                    jurisdiction=preset.get("jurisdiction"),
                    notes=preset.get("notes", ""),
                )
            )
    return added


def _identifier(field_name: str, value: str | None) -> str | None:
    if field_name == "account_email":
        return _email(value)
    if field_name == "amount":
        return _amount(value)
    limits = {"txid": 200, "order_number": 100, "asset": 32}
    label = {"txid": "TxID", "order_number": "order number", "asset": "asset"}[field_name]
    cleaned = _text(value, label, max_len=limits[field_name])
    if cleaned is not None and any(c.isspace() for c in cleaned):
        raise InputError(f"{label} {cleaned!r} has spaces in it; expected one token")
    return cleaned.upper() if cleaned is not None and field_name == "asset" else cleaned


def get_case(session: Session, case_id: int) -> Case:
    """The case with this id; NotFoundError otherwise."""
    case = session.get(Case, case_id)
    if case is None:
        raise unknown_case(case_id)
    return case


def open_case(
    tx: Tx,
    *,
    platform: str,
    title: str,
    priority: Priority | str = Priority.normal,
    **identifiers: str | None,
) -> Case:
    """Open a new case with a platform; identifiers are those named in IDENTIFIERS."""
    found = find_platform(tx.session, platform)
    unknown = set(identifiers) - set(IDENTIFIERS)
    if unknown:
        raise TypeError(f"unknown identifiers: {sorted(unknown)}")
    clean_title = _text(title, "title", max_len=300, required=True)
    assert clean_title is not None and found.id is not None
    ids: dict[str, Any] = {name: _identifier(name, identifiers.get(name)) for name in IDENTIFIERS}
    case = Case(
        platform_id=found.id,
        title=clean_title,
        priority=parse_choice(Priority, priority, "priority"),
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


def edit_case(tx: Tx, case_id: int, changes: Mapping[str, Any]) -> Case:
    """Change a case's title, priority, identifiers or platform."""
    case = get_case(tx.session, case_id)
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "title":
            clean[key] = _text(value, "title", max_len=300, required=True)
        elif key == "priority":
            clean[key] = parse_choice(Priority, value, "priority")
        elif key == "status":
            clean[key] = parse_choice(CaseStatus, value, "status")
        elif key == "platform":
            clean["platform_id"] = find_platform(tx.session, value).id
        elif key in IDENTIFIERS:
            clean[key] = _identifier(key, value)
        else:
            raise TypeError(f"a case has no editable field {key!r}")
    if "txid" in clean:
        case.txid_key = identifier_key(clean["txid"])
    if "order_number" in clean:
        case.order_key = identifier_key(clean["order_number"])
    identifiers_before = (case.txid, case.order_number)
    if update(tx, case, clean, touch=True):
        refresh_case(tx, case)  # the status decides whether a follow-up is due
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
            found = identifier_findings(tx.session, **changed, exclude_id=case.id)
            keep_findings(tx, found, case_id=case.id)
    return case


def set_status(tx: Tx, case_id: int, status: CaseStatus | str) -> Case:
    """Move a case to another status (reopen: back to `open`)."""
    return edit_case(tx, case_id, {"status": status})


def get_contact(session: Session, contact_id: int) -> Contact:
    """The contact with this id; NotFoundError otherwise."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"no contact #{contact_id}")
    return contact


def _contact_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "channel":
            out[key] = parse_choice(Channel, value, "channel")
        elif key == "direction":
            out[key] = parse_choice(Direction, value, "direction")
        elif key == "occurred_at":
            out[key] = _aware(value, "the contact's time")
        elif key == "follow_up_at":
            out[key] = None if value is None else _aware(value, "the follow-up time")
        elif key in ("reference", "agent", "address", "subject"):
            limit = {"reference": 100, "agent": 200, "address": 320, "subject": 500}[key]
            out[key] = _text(value, key, max_len=limit)
        elif key == "text":
            _check_utf8(value or "", "text")
            out[key] = (value or "").replace("\r\n", "\n")
        elif key == "auto_ack":
            out[key] = bool(value)
        else:
            raise TypeError(f"a contact has no editable field {key!r}")
    if out.get("reference") and any(c.isspace() for c in out["reference"]):
        raise InputError(f"reference {out['reference']!r} has spaces in it; expected one token")
    return out


def log_contact(
    tx: Tx,
    *,
    case_id: int,
    channel: Channel | str,
    direction: Direction | str,
    occurred_at: datetime,
    reference: str | None = None,
    agent: str | None = None,
    address: str | None = None,
    subject: str | None = None,
    text: str = "",
    auto_ack: bool = False,
    source: Source = Source.typed,
    source_name: str | None = None,
    follow_up_at: datetime | None = None,
    attach: Sequence[Path] = (),
) -> Contact:
    """Record one contact in a case, with its attachments; the case's summary and
    follow-up follow. An outbound contact is due an answer by its platform's window
    for its channel, or by `follow_up_at` if the user set one.

    What it repeats is flagged (`tx.flags`), never refused. A contact already stored
    with exactly this text at exactly this time is not stored again: that one is
    returned (and listed in `tx.repeats`), with any new attachments added to it.
    """
    case = get_case(tx.session, case_id)
    fields = _contact_fields(
        {
            "channel": channel,
            "direction": direction,
            "occurred_at": occurred_at,
            "reference": reference,
            "agent": agent,
            "address": address,
            "subject": subject,
            "text": text,
            "auto_ack": auto_ack,
            "follow_up_at": follow_up_at,
        }
    )
    # Check every file before anything is written, so that one bad path writes nothing.
    if attach:
        from recorder.attachments import check_source

        for path in attach:
            check_source(path)
    key = message_key(fields["text"])
    repeat = find_repeat(tx.session, fields, key)
    if repeat is not None:
        tx.repeats.append(repeat)
        for path in attach:
            attach_file(tx, repeat, path)
        return repeat
    findings = contact_findings(tx.session, case, fields, key)
    contact = Contact(
        case_id=case_id,
        source=source,
        source_name=source_name,
        created_at=tx.now,
        message_key=key,
        **fields,
    )
    platform = tx.session.get(Platform, case.platform_id)
    assert platform is not None
    contact.expected_by = due_time(platform, contact)
    create(tx, contact)
    for path in attach:
        attach_file(tx, contact, path)
    refresh_case(tx, case)
    keep_findings(tx, findings, case_id=case_id, contact_id=contact.id)
    return contact


def follow_up_time(tx: Tx, case_id: int, text: str, local: tzinfo) -> datetime:
    """Read a follow-up the user typed ("in 3 business days", "tomorrow 9am") for a case:
    business days are its platform's."""
    case = get_case(tx.session, case_id)
    platform = tx.session.get(Platform, case.platform_id)
    assert platform is not None
    return parse_follow_up(text, now=tx.now, local=local, calendar=calendar_of(platform, [tx.now]))


def attach_file(tx: Tx, contact: Contact, path: Path) -> Attachment | None:
    """Copy a file into the attachment store and attach it (once per contact)."""
    stored = tx.files.add(path)
    if stored.created:
        tx.new_files.append(stored)
    assert contact.id is not None
    existing = tx.session.exec(
        select(Attachment).where(
            Attachment.contact_id == contact.id, Attachment.sha256 == stored.sha256
        )
    ).first()
    if existing is not None:
        return None
    attachment = Attachment(
        contact_id=contact.id,
        name=stored.name[:255],
        media_type=stored.media_type,
        size=stored.size,
        sha256=stored.sha256,
        created_at=tx.now,
    )
    create(tx, attachment)
    return attachment


def edit_contact(tx: Tx, contact_id: int, changes: Mapping[str, Any]) -> Contact:
    """Correct a contact's fields; the audit chain keeps what they were."""
    contact = get_contact(tx.session, contact_id)
    fields = _contact_fields(changes)
    if "text" in fields:
        contact.message_key = message_key(fields["text"])
    if update(tx, contact, fields):
        case = get_case(tx.session, contact.case_id)
        platform = tx.session.get(Platform, case.platform_id)
        assert platform is not None
        set_due_time(tx, platform, contact)
        refresh_case(tx, case)
    return contact


def delete_contact(tx: Tx, contact_id: int) -> None:
    """Delete a contact and its attachment records; the files stay, as evidence."""
    contact = get_contact(tx.session, contact_id)
    attachments = tx.session.exec(
        select(Attachment).where(Attachment.contact_id == contact_id)
    ).all()
    for attachment in attachments:
        delete(tx, attachment)
    drop_contact_flags(tx, contact_id)
    case = get_case(tx.session, contact.case_id)
    delete(tx, contact)
    refresh_case(tx, case)


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
