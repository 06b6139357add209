"""A store worth exporting: English and Chinese cases, every channel, attachments, a
duplicate flag and a merge; and the command line to export and verify it."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import bagit
from click.testing import Result

from recorder.store.models import Channel
from recorder.store.session import Store
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.decisions import merge_cases
from tests.helpers.cli import run

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)

CHANGED = "its contents changed (SHA-256 does not match the manifest)"


def fill(store: Store, files: Path) -> dict[str, int]:
    """Cases and contacts of every kind; returns some of their ids by name."""
    files.mkdir(parents=True, exist_ok=True)
    shot = files / "screenshot.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    pdf = files / "statement (Nov).pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + "对账单".encode() * 100)
    ids: dict[str, int] = {}
    with store.write() as tx:
        english = open_case(
            tx,
            platform="Gemini",
            title="BTC withdrawal pending since 2 Nov",
            txid="0x9f3c1e0b",
            account_email="jane.doe@example.com",
            asset="BTC",
            amount="0.25",
        )
        chinese = open_case(tx, platform="Gemini", title="充值USDT未到账")
        assert english.id is not None and chinese.id is not None
        ids["english"], ids["chinese"] = english.id, chinese.id
        at = START
        for n, channel in enumerate(Channel):
            contact = log_contact(
                tx,
                case_id=english.id,
                channel=channel,
                direction="outbound" if n % 2 == 0 else "inbound",
                occurred_at=at,
                reference="4815162",
                agent=None if n % 2 == 0 else "Sam",
                address="support@gemini.com" if channel == Channel.email else None,
                subject=f"About my withdrawal ({channel.value})",
                text=f"Message {n} on {channel.value}: my card 4111 1111 1111 1111 was charged.",
                attach=[shot] if n == 0 else [],
            )
            ids.setdefault("first", contact.id or 0)
            at += timedelta(days=1)
        zh = log_contact(
            tx,
            case_id=chinese.id,
            channel="chat",
            direction="outbound",
            occurred_at=at,
            text="您好，我的USDT充值三天了还没有到账。\n客服：请提供交易哈希。",
            attach=[pdf, shot],
        )
        ids["chinese_contact"] = zh.id or 0
        # A second case that repeats the first, merged into it.
        again = open_case(tx, platform="Gemini", title="Where is my BTC withdrawal")
        assert again.id is not None
        log_contact(
            tx,
            case_id=again.id,
            channel="email",
            direction="outbound",
            occurred_at=at + timedelta(hours=1),
            text="Where is my BTC?",
        )
        merge_cases(tx, again.id, english.id)
        ids["merged"] = again.id
    return ids


def export(db: Path, *args: str) -> Result:
    """`recorder export ...` on the store `db`."""
    return run(db, "export", *args)


def verify(db: Path, *args: str) -> Result:
    """`recorder verify ...`."""
    return run(db, "verify", *args)


def bag(db: Path, dest: Path, *args: str) -> str:
    """Export a bag of `db` to `dest`; its fingerprint."""
    result = export(db, str(dest), *args)
    assert result.exit_code == 0, result.output + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 3  # no progress bar when the output is not a terminal
    assert lines[0].endswith(str(dest))  # "exported to DEST", in the language in use
    found = re.search(r"\b[0-9a-f]{64}\b", lines[1])
    assert found is not None, lines[1]
    return found.group()  # the fingerprint


def tampered(
    db: Path,
    tmp_path: Path,
    change: Callable[[Path], object],
    *,
    rehash: bool = False,
    args: tuple[str, ...] = (),
) -> list[str]:
    """Export a bag (with `args`), change it, and verify it: the problems found.
    With `rehash`, the manifests are made again, as a careful forger would."""
    dest = tmp_path / "bag"
    bag(db, dest, *args)
    change(dest)
    if rehash:
        bagit.Bag(str(dest)).save(manifests=True)
    result = verify(db, str(dest))
    assert result.exit_code == 1, result.stdout
    return result.stdout.splitlines()


@contextmanager
def records(bag: Path) -> Iterator[dict[str, Any]]:
    """records.json of a bag, to change in place."""
    path = bag / "data" / "records.json"
    document = json.loads(path.read_text("utf-8"))
    yield document
    path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")


def audit_events(bag: Path) -> list[dict[str, Any]]:
    """The events of a bag's audit.jsonl."""
    lines = (bag / "data" / "audit.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def write_audit_events(bag: Path, events: list[dict[str, Any]]) -> None:
    """Write a bag's audit.jsonl again."""
    text = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in events)
    (bag / "data" / "audit.jsonl").write_text(text, "utf-8")


def rechain(db: Path, *, scheme: int | None = None) -> None:
    """Recompute every hash of a store's audit chain, as a careful forger does after an
    edit; with `scheme`, as if every event had been written under that scheme (what an
    older recorder wrote)."""
    from enum import StrEnum

    from recorder.domain.chain import event_body, event_hash

    conn = sqlite3.connect(db)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(audit_events)")}
    kept = "scheme" if "scheme" in columns else "1"
    member = "member" if "member" in columns else "NULL"
    rows = conn.execute(
        f"SELECT id, at, action, entity, entity_id, change, {kept}, {member} FROM audit_events"
        " ORDER BY id"
    ).fetchall()

    class Row:
        def __init__(self, values: tuple[object, ...]) -> None:
            self.id, at, action, self.entity, self.entity_id, self.change, stored = values[:7]
            self.member = values[7]
            self.scheme = scheme if scheme is not None else stored
            self.at = datetime.fromisoformat(str(at)).replace(tzinfo=UTC)
            self.action = StrEnum("A", {str(action): str(action)})[str(action)]

    prev = "0" * 64
    with conn:
        for values in rows:
            row = Row(values)
            digest = event_hash(prev, event_body(row))  # type: ignore[arg-type]
            conn.execute(
                "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?",
                (prev, digest, row.id),
            )
            prev = digest
    conn.close()
