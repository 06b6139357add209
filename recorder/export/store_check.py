"""`recorder db verify`: does the store hold what its audit chain says, untouched?

Checks, each finding naming the row and what differs:
- SQLite's own integrity check (a damaged file);
- the audit chain, from the first event to the last (links and hashes);
- replaying the chain gives exactly today's rows: a row edited, added or deleted
  outside recorder, or an audit event deleted, is caught;
- every attachment row has its file in the attachment store, with its SHA-256;
- every anchor's head is still in the chain at its place, and a fingerprint kept
  outside the store (`--anchor`) is found in the chain.

A consistent rewrite of rows and chain together passes the first four; only an anchor
kept outside the store (or a timestamp) catches it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import SQLModel, col, select

from recorder.domain.chain import (
    GENESIS_HASH,
    Replayer,
    compare_records,
    fingerprint_digits,
    short_fingerprint,
    verify_chain,
)
from recorder.domain.errors import InputError
from recorder.domain.i18n import _
from recorder.export.evidence import KINDS, read_records
from recorder.store.models import Anchor, AuditEvent
from recorder.store.session import Store

AUDITED: dict[str, type[SQLModel]] = {**KINDS, "anchors": Anchor}
"""Every table whose rows the audit chain vouches for."""

MAX_INTEGRITY_PROBLEMS = 20


@dataclass
class StoreReport:
    """What checking the store found."""

    problems: list[str] = field(default_factory=list)
    events: int = 0
    head: str = GENESIS_HASH
    rows: dict[str, int] = field(default_factory=dict)
    attachments: int = 0
    anchors: int = 0
    timestamps: list[dict[str, Any]] = field(default_factory=list)
    """Each anchor's timestamp that checked: anchor id, event, time, authority."""
    notes: list[str] = field(default_factory=list)
    """What the check could not prove, one line each."""
    found_at: int | None = None
    """The event whose hash the fingerprint given from outside matched."""

    @property
    def ok(self) -> bool:
        """Whether nothing was found wrong."""
        return not self.problems

    def summary(self) -> str:
        """The OK line."""
        rows = sum(self.rows.values())
        said = [
            _("audit chain of {events} events to head {head}").format(
                events=self.events, head=short_fingerprint(self.head)
            ),
            _("{rows} rows replay from it").format(rows=rows),
            _("{count} attachment files match").format(count=self.attachments),
            _("{count} anchors hold").format(count=self.anchors),
        ]
        if self.timestamps:
            last = self.timestamps[-1]
            said.append(
                _(
                    "{count} timestamps hold, the latest: the chain to event {event} "
                    "existed at {at} ({signer})"
                ).format(
                    count=len(self.timestamps),
                    event=last["event"],
                    at=last["at"],
                    signer=last["signer"],
                )
            )
        if self.found_at is not None:
            said.append(_("the fingerprint given is event {event}'s").format(event=self.found_at))
        return _("OK: {details}").format(details=_("; ").join(said))


def check_store(
    store: Store, *, anchor: str | None = None, tsa_ca: bytes | None = None
) -> StoreReport:
    """Check the whole store; `anchor` is a fingerprint kept outside it, `tsa_ca` a CA
    certificate the user trusts for the anchors' timestamps."""
    digits = None if anchor is None else fingerprint_digits(anchor)
    if digits is not None and len(digits) < 16:
        raise InputError(
            _(
                "fingerprint {anchor!r} is too short; expected the 16 hex digits recorder "
                "printed (like 3f2a-9c41-07be-d5e8), or more"
            ).format(anchor=anchor)
        )
    report = StoreReport()
    hashes: list[str] = []
    replayer = Replayer()
    with store.read() as session:
        if store.engine.dialect.name == "sqlite":
            result = session.connection().exec_driver_sql(
                f"PRAGMA integrity_check({MAX_INTEGRITY_PROBLEMS})"
            )
            found = [str(row[0]) for row in result]
            if found != ["ok"]:
                report.problems += [
                    _("the store's file is damaged: {line}").format(line=line) for line in found
                ]

        def events() -> Iterator[AuditEvent]:
            rows = session.exec(
                select(AuditEvent).order_by(col(AuditEvent.id)).execution_options(yield_per=1000)
            )
            for row in rows:
                hashes.append(row.hash)
                try:
                    change = json.loads(row.change)
                except ValueError:
                    change = {"before": None, "after": None}
                replayer.apply(
                    {
                        "entity": row.entity,
                        "entity_id": row.entity_id,
                        "action": row.action.value,
                        "change": change,
                    }
                )
                yield row

        chain = verify_chain(events())
        report.problems += chain.problems
        report.events, report.head = chain.events, chain.head
        records: dict[str, list[dict[str, Any]]] = {}
        for kind, model in AUDITED.items():
            records[kind] = read_records(session, model, None)
            report.rows[kind] = len(records[kind])
            report.problems += compare_records(
                records[kind],
                replayer.state.get(kind, {}),
                lambda record_id, kind=kind: _("{kind} #{record_id} (row in the store)").format(
                    kind=kind, record_id=record_id
                ),  # type: ignore[misc]
            )
    report.problems += _attachment_files(store, records["attachments"], report)
    report.problems += _anchors(records["anchors"], hashes, report)
    report.problems += _timestamps(records["anchors"], tsa_ca, report)
    if digits is not None:
        match = next((n for n, h in enumerate(hashes, 1) if h.startswith(digits)), None)
        if match is None:
            report.problems.append(
                _(
                    "the audit chain holds no event with fingerprint {anchor}: it was "
                    "rewritten or cut after that fingerprint was taken, or the fingerprint "
                    "is another store's"
                ).format(anchor=anchor)
            )
        report.found_at = match
    return report


def _attachment_files(
    store: Store, attachments: list[dict[str, Any]], report: StoreReport
) -> list[str]:
    problems = []
    for attachment in attachments:
        whose = _("attachment #{id} of contact #{contact}").format(
            id=attachment["id"], contact=attachment["contact_id"]
        )
        sha = str(attachment["sha256"])
        try:
            place = store.file_place(sha)
            with store.open_file(sha) as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except ValueError:
            problems.append(
                _("{whose}: its SHA-256 {digest!r} is not one").format(
                    whose=whose, digest=attachment["sha256"]
                )
            )
            continue
        except FileNotFoundError:
            problems.append(
                _("{whose} ({name}): its file {place} is missing").format(
                    whose=whose, name=attachment["name"], place=place
                )
            )
            continue
        if digest != attachment["sha256"]:
            problems.append(
                _(
                    "{whose} ({name}): its file {place} was changed (its SHA-256 is not "
                    "the recorded one)"
                ).format(whose=whose, name=attachment["name"], place=place)
            )
            continue
        report.attachments += 1
    return problems


def _anchors(anchors: list[dict[str, Any]], hashes: list[str], report: StoreReport) -> list[str]:
    problems = []
    for anchor in anchors:
        events = int(anchor["events"])
        held = (
            GENESIS_HASH if events == 0 else (hashes[events - 1] if events <= len(hashes) else None)
        )
        if held != anchor["head"]:
            problems.append(
                _(
                    "anchor #{id} ({kind}, {at}): the chain no longer holds its "
                    "head {head} at event {events}: the audit log was rewritten or cut "
                    "after it"
                ).format(
                    id=anchor["id"],
                    kind=anchor["kind"],
                    at=anchor["at"],
                    head=short_fingerprint(str(anchor["head"])),
                    events=events,
                )
            )
            continue
        report.anchors += 1
    return problems


def _timestamps(
    anchors: list[dict[str, Any]], tsa_ca: bytes | None, report: StoreReport
) -> list[str]:
    from recorder.export.timestamps import check_timestamp, from_text

    problems = []
    unchecked = 0
    for anchor in anchors:
        if not anchor.get("tsa_token"):
            continue
        kept_ca = anchor.get("tsa_ca")
        ca = tsa_ca if tsa_ca is not None else (kept_ca.encode() if kept_ca else None)
        checked = check_timestamp(
            from_text(str(anchor["tsa_token"])), str(anchor["head"]), ca_pem=ca
        )
        if checked.problem:
            problems.append(
                _("anchor #{id}: its timestamp {problem}").format(
                    id=anchor["id"], problem=checked.problem
                )
            )
            continue
        unchecked += not checked.signature
        report.timestamps.append(
            {
                "anchor": anchor["id"],
                "event": anchor["events"],
                "at": f"{checked.at:%Y-%m-%d %H:%M:%S} UTC",
                "signer": checked.signer,
            }
        )
    if unchecked:
        report.notes.append(
            _(
                "{unchecked} timestamps were kept without the authority's CA "
                "certificate: their signatures were not checked (give --tsa-ca)"
            ).format(unchecked=unchecked)
        )
    elif report.timestamps and tsa_ca is None:
        report.notes.append(
            _(
                "the timestamps' signatures were checked against the CA certificates kept with "
                "them; give --tsa-ca to check them against one you trust"
            )
        )
    return problems
