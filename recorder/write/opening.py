"""Opening a store for writing: created or upgraded to head, the built-in platforms in a
new one, and what an upgrade from an older revision must fill in (due times, duplicate
keys)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from recorder.domain.calendars import HOLIDAY_YEARS, holiday_dates
from recorder.domain.clock import Clock
from recorder.domain.duplicates import identifier_key, message_key
from recorder.domain.errors import RecorderError
from recorder.store.locations import Locations
from recorder.store.models import Case, Contact, Platform
from recorder.store.session import Store, Tx
from recorder.write.audit import update
from recorder.write.derived import rederive_platform
from recorder.write.platforms import load_presets, presets
from recorder.write.sweep import sweep


def open_store(location: str | Locations | None = None, *, clock: Clock | None = None) -> Store:
    """Open a store (creating and upgrading it as needed); a new one gets the presets.

    What a new or upgraded store needs (presets, back-fills) is written in the same
    transaction as the migration, so an interrupted first run leaves no store without
    its platforms, and an interrupted upgrade none without its derived values. Then
    what interrupted commands left behind is swept away (recorder.write.sweep).
    """
    store = Store.open(location, clock=clock, prepare=prepare)
    repair_derived(store)
    sweep(store)
    return store


UNKEYED = "SELECT text FROM contacts WHERE message_key IS NULL AND text != '' LIMIT 50"
"""Contacts whose text should have a duplicate key and has none: an indexed lookup
(the index on message_key), whatever the size of the store."""


def repair_derived(store: Store) -> None:
    """Check, in two indexed queries, that the store has its built-in platforms and its
    duplicate keys; repair what is missing (what a store edited outside recorder, or
    interrupted in an older one, may lack)."""
    # SQL text, not ORM selects: this runs on every open, and compiling the selects
    # cost more than running them.
    with store.engine.connect() as conn:
        bare = conn.exec_driver_sql("SELECT 1 FROM platforms LIMIT 1").first() is None
        unkeyed = conn.exec_driver_sql(UNKEYED).all()
    keys = any(message_key(text) for (text,) in unkeyed)
    if bare or keys:
        with store.write() as tx:
            repair_presets(tx)
            if keys:
                derive_keys(tx)


def prepare(tx: Tx, revision: str | None) -> None:
    """Write what a store migrated from `revision` (None: a new store) needs at head."""
    if revision is None:
        load_presets(tx)
        return
    if revision < "0003":
        # Stores from before 0003 kept no due times: derive them all, once, audited.
        jurisdictions = {
            p["name"].casefold(): p["jurisdiction"] for p in presets() if p.get("jurisdiction")
        }
        derive_all(tx, jurisdictions)
    if revision < "0004":
        derive_keys(tx)
    if revision < "0006":
        charters(tx)
    if revision < "0007":
        # An older recorder opened a store in several transactions: an interruption
        # could leave a new store without its presets, or an upgraded one without its
        # derived values. Repair what is missing, once, audited where it is a record.
        repair_presets(tx)
        derive_keys(tx)
        derive_all(tx, {})
        index_all_identifiers(tx)
    if revision < "0009":
        scan_all_secrets(tx)


def repair_presets(tx: Tx) -> None:
    """Load the built-in platforms into a store that has no platform and no case: one
    whose first run was interrupted after its schema was made."""
    if tx.session.exec(select(Platform.id).limit(1)).first() is None and (
        tx.session.exec(select(Case.id).limit(1)).first() is None
    ):
        load_presets(tx)


def keep_holidays(tx: Tx, platform: Platform) -> None:
    """Store the platform's public holidays for HOLIDAY_YEARS (none without a country)."""
    days = (
        holiday_dates(platform.holiday_country, platform.holiday_subdivision, HOLIDAY_YEARS)
        if platform.holiday_country
        else []
    )
    update(tx, platform, {"holiday_dates": days})


def derive_all(tx: Tx, jurisdictions: dict[str, str]) -> list[str]:
    """Derive every platform's holidays, every due time and every follow-up.

    Run once after a store is upgraded from a revision that did not keep them;
    `jurisdictions` gives the built-in platforms theirs where they have none. A
    platform whose stored calendar cannot be read (only data written outside recorder
    looks like that) keeps no due times until it is edited; opening the store must
    not fail over derived values. Returns the names of those platforms.
    """
    skipped: list[str] = []
    for platform in tx.session.exec(select(Platform)).all():
        if platform.jurisdiction is None and platform.name_key in jurisdictions:
            update(tx, platform, {"jurisdiction": jurisdictions[platform.name_key]})
        head = tx.last_hash
        try:
            with tx.session.begin_nested():
                keep_holidays(tx, platform)
                rederive_platform(tx, platform)
        except (RecorderError, ValueError, LookupError):
            tx.last_hash = head  # the events appended in the savepoint are gone with it
            skipped.append(platform.name)
    return skipped


def charters(tx: Tx) -> None:
    """Give the built-in platforms the jurisdiction of their charter where a store still
    has the older, wider one (Gemini: "US" became "US-NY" in 0006)."""
    wider = {"US-NY": "US"}
    for preset in presets():
        target = preset.get("jurisdiction")
        if target not in wider:
            continue
        platform = tx.session.exec(
            select(Platform).where(Platform.name_key == preset["name"].casefold())
        ).first()
        if platform is not None and platform.jurisdiction == wider[target]:
            update(tx, platform, {"jurisdiction": target})


def index_all_identifiers(tx: Tx) -> None:
    """Index the identifiers named in every contact's text (not audited: an index)."""
    from recorder.write.identifiers import index_identifiers

    for contact_id, text in tx.session.exec(select(Contact.id, Contact.text)).all():
        index_identifiers(tx.session, contact_id, text or "")


def scan_all_secrets(tx: Tx) -> None:
    """Note the kinds of secret every contact's subject and text hold (not audited:
    derived from the audited text, as the duplicate keys are)."""
    from recorder.domain.secrets import kinds_of, scan

    rows = tx.session.exec(select(Contact.id, Contact.subject, Contact.text)).all()
    for contact_id, subject, text in rows:
        kinds = kinds_of([*scan(subject or ""), *scan(text or "")])
        if kinds:
            tx.session.execute(
                sa.update(Contact).where(col(Contact.id) == contact_id).values(secret_kinds=kinds)
            )


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
