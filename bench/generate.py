"""Build a realistic bench store: platforms, 10k cases, 100k contacts with 2 KB texts.

Bulk-loaded through SQLAlchemy Core (no ORM objects, no audit events: this is
scale data for timing, not a record anyone made). Deterministic for a given seed.
The result is cached under bench/.data/ and reused while the schema is the same.

    python bench/generate.py [--cases 10000] [--contacts 100000] [--out PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from recorder.domain.calendars import platform_calendar
from recorder.domain.chain import GENESIS_HASH, SCHEME, body_of, canonical_json, event_hash
from recorder.domain.clock import FixedClock
from recorder.domain.duplicates import identifier_key, message_key
from recorder.domain.identifiers import find_identifiers
from recorder.domain.windows import (
    DEFAULT_WINDOWS,
    ContactTimes,
    answers,
    expected_by,
    next_follow_up,
    parse_window,
)
from recorder.export.evidence import read_records
from recorder.store.db import SCHEMA_HEAD
from recorder.store.models import (
    OPEN_STATUSES,
    AuditAction,
    AuditEvent,
    Case,
    Channel,
    Contact,
    Direction,
    MessageIdentifier,
    Platform,
    Priority,
    Source,
    table_of,
)
from recorder.write.opening import open_store
from recorder.write.platforms import add_platform

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parent / ".data"
TEXT_BYTES = 2048

PLATFORMS = [
    ("Coinbase", "coinbase.com", "America/New_York", "US", {"email": "72h", "chat": "15m"}),
    ("Kraken", "kraken.com", "America/Los_Angeles", "US-CA", {"email": "48h", "ticket": "3bd"}),
    ("Binance", "binance.com", "Asia/Singapore", "SG", {"ticket": "5bd", "chat": "10m"}),
    ("OKX", "okx.com", "Asia/Hong_Kong", "HK", {"email": "72h", "ticket": "5bd"}),
    ("Revolut", "revolut.com", "Europe/London", "GB", {"chat": "1h", "complaint": "15bd"}),
]

EN = [
    "My withdrawal has been pending for several days and the transaction id shows nothing.",
    "I was asked to verify my identity again although I completed verification last month.",
    "The support agent said the issue was escalated to the wallet team.",
    "Please confirm when the funds will be returned to my bank account.",
    "I attached a screenshot of the error message shown when I try to log in.",
    "This is my third message about the same problem and I have not had an answer.",
    "The deposit was confirmed on chain but my balance was never credited.",
    "My account was frozen without any explanation after a routine transfer.",
    "Could you tell me which documents you still need from me?",
    "The two-factor code is rejected every time even though the clock is correct.",
]
ZH = [
    "我的提现已经等待了好几天，交易哈希在区块浏览器上查不到。",
    "客服说问题已经升级到钱包团队处理，请耐心等待。",
    "我已经完成了身份验证，但系统又要求我重新上传证件。",
    "充值在链上已经确认，但是账户余额一直没有到账。",
    "请告诉我资金什么时候可以退回到我的银行账户。",
    "这是我第三次就同一个问题联系客服，至今没有得到答复。",
    "我的账户在一次普通转账之后被冻结，没有任何解释。",
    "双重验证码每次都被拒绝，手机时间是正确的。",
]
TITLES = [
    "{asset} withdrawal pending since {day}",
    "Deposit of {amount} {asset} not credited",
    "Account frozen after transfer",
    "Cannot log in: 2FA code rejected",
    "{asset}提现一直处理中",
    "充值未到账 {amount} {asset}",
    "Identity verification loop",
    "Order {order} filled at the wrong price",
]
ASSETS = ["BTC", "ETH", "USDC", "SOL", "USDT", "DOGE"]
CHANNELS = [Channel.ticket, Channel.email, Channel.chat, Channel.help_center, Channel.email]


def _text(rng: random.Random, text_bytes: int) -> str:
    pool = ZH if rng.random() < 0.35 else EN
    parts: list[str] = []
    size = 0
    while size < text_bytes:
        sentence = rng.choice(pool)
        parts.append(sentence)
        size += len(sentence.encode("utf-8")) + 1
    return " ".join(parts)


def generate(
    path: Path, *, cases: int, contacts: int, seed: int = 20261124, text_bytes: int = TEXT_BYTES
) -> Path:
    """Create the store at `path` (which must not exist) and fill it."""
    rng = random.Random(seed)
    store = open_store(str(path), clock=FixedClock(NOW - timedelta(days=120)))
    with store.write() as tx:
        for name, domain, tz, holidays, windows in PLATFORMS:
            add_platform(
                tx, name=name, domains=[domain], timezone=tz, holidays=holidays, windows=windows
            )
    with store.read() as session:
        platforms = {p.id: p for p in session.execute(sa.select(Platform)).scalars()}
    platform_ids = list(platforms)
    calendars = {
        pid: platform_calendar(
            p.timezone, p.holiday_country, p.holiday_subdivision, p.holiday_dates, p.closed_dates
        )
        for pid, p in platforms.items()
    }

    case_rows: list[dict[str, Any]] = []
    for case_id in range(1, cases + 1):
        created = NOW - timedelta(days=rng.uniform(1, 90))
        asset = rng.choice(ASSETS)
        title = rng.choice(TITLES).format(
            asset=asset,
            day=created.strftime("%d %b"),
            amount=rng.randint(1, 5000),
            order=rng.randint(100000, 999999),
        )
        txid = f"0x{rng.getrandbits(256):064x}" if rng.random() < 0.5 else None
        order_number = str(rng.randint(100000, 999999)) if rng.random() < 0.3 else None
        case_rows.append(
            {
                "id": case_id,
                "platform_id": rng.choice(platform_ids),
                "title": title,
                "status": rng.choice(OPEN_STATUSES),
                "priority": Priority.urgent if rng.random() < 0.1 else Priority.normal,
                "txid": txid,
                "order_number": order_number,
                "txid_key": identifier_key(txid),
                "order_key": identifier_key(order_number),
                "account_email": None,
                "asset": asset,
                "amount": f"{rng.uniform(0.01, 5000):.2f}",
                "created_at": created,
                "updated_at": created,
            }
        )
    per_case = [1] * cases
    for _ in range(contacts - cases):
        per_case[rng.randrange(cases)] += 1
    contact_rows: list[dict[str, Any]] = []
    for case, count in zip(case_rows, per_case, strict=True):
        at = case["created_at"]
        reference = str(rng.randint(1000000, 9999999))
        txid = "0x" + rng.randbytes(32).hex()
        for n in range(count):
            at = at + timedelta(hours=rng.uniform(0.2, 60))
            text = _text(rng, text_bytes)
            if rng.random() < 0.3:  # messages that name the case's TxID, as people write
                text += f" The TxID is {txid}."
            contact_rows.append(
                {
                    "id": len(contact_rows) + 1,
                    "case_id": case["id"],
                    "channel": rng.choice(CHANNELS),
                    "direction": Direction.outbound if n % 2 == 0 else Direction.inbound,
                    "occurred_at": at,
                    "reference": reference if rng.random() < 0.8 else None,
                    "agent": rng.choice([None, "Sam", "Ana", "李明"]),
                    "address": None,
                    "subject": None,
                    "text": text,
                    "message_key": message_key(text),
                    "auto_ack": False,
                    "source": Source.demo,
                    "source_name": None,
                    "created_at": at,
                    "expected_by": None,
                    "due_basis": None,
                    "due_window": None,
                }
            )
        # What the write path derives: due times, the summary, the next follow-up.
        mine = contact_rows[-count:]
        platform = platforms[case["platform_id"]]
        for contact in mine:
            channel = contact["channel"].value
            window = platform.windows.get(channel)
            if contact["direction"] is Direction.outbound:
                basis = "window" if window else "default"
                window = window or DEFAULT_WINDOWS[channel]
                contact["expected_by"] = expected_by(
                    contact["occurred_at"], parse_window(window), calendars[platform.id]
                )
                contact["due_basis"], contact["due_window"] = basis, window
        times = [
            ContactTimes(
                id=c["id"],
                outbound=c["direction"] is Direction.outbound,
                occurred_at=c["occurred_at"],
                expected_by=c.get("expected_by"),
            )
            for c in mine
        ]
        follow = next_follow_up(times, case["status"])
        case["contact_count"] = count
        case["last_contact_at"] = at
        case["refs"] = [reference] if any(c["reference"] for c in mine) else []
        case["updated_at"] = at
        case["next_follow_up_at"] = follow.expected_by if follow else None
        case["follow_up_contact_id"] = follow.contact_id if follow else None
        case["unanswered"] = sum(1 for by in answers(times).values() if by is None)
    named = [
        {"contact_id": c["id"], "kind": n.kind.value, "key": n.key, "value": n.value}
        for c in contact_rows
        for n in find_identifiers(c["text"])
    ]
    with store.engine.begin() as conn:
        conn.execute(table_of(Case).insert(), case_rows)
        for start in range(0, len(contact_rows), 5000):
            conn.execute(table_of(Contact).insert(), contact_rows[start : start + 5000])
        conn.execute(table_of(MessageIdentifier).insert(), named)
    with store.read() as session:
        head = session.execute(
            sa.select(table_of(AuditEvent).c.hash).order_by(table_of(AuditEvent).c.id.desc())
        ).scalar()
        tables = [(m.__tablename__, read_records(session, m, None)) for m in (Case, Contact)]
    events = _creations(head or GENESIS_HASH, tables, NOW - timedelta(days=90))
    with store.engine.begin() as conn:
        for start in range(0, len(events), 5000):
            conn.execute(table_of(AuditEvent).insert(), events[start : start + 5000])
        conn.exec_driver_sql("ANALYZE")
    store.close()
    return path


def _creations(
    head: str, tables: list[tuple[str, list[dict[str, Any]]]], at: datetime
) -> list[dict[str, Any]]:
    """The audit events that creating these records through the write path would have
    appended: the bench store's history verifies, and an export of it replays."""
    events: list[dict[str, Any]] = []
    for entity, records in tables:
        for record in records:
            change = canonical_json({"before": None, "after": record})
            body = body_of(
                action="create",
                at=at.isoformat(),
                change=json.loads(change),
                entity=entity,
                entity_id=record["id"],
                scheme=SCHEME,
            )
            digest = event_hash(head, body)
            events.append(
                {
                    "at": at,
                    "action": AuditAction.create,
                    "entity": entity,
                    "entity_id": record["id"],
                    "change": change,
                    "prev_hash": head,
                    "hash": digest,
                    "scheme": SCHEME,
                }
            )
            head = digest
    return events


def compile_package() -> None:
    """Byte-compile recorder, as installing its wheel does (pip compiles what it installs).

    The timed commands then load recorder as a user's installation does; without it,
    where PYTHONDONTWRITEBYTECODE is set (as on our CI machines), every run compiled
    recorder's sources anew while the floor (`import sqlmodel`) loaded compiled files.
    """
    import compileall

    import recorder

    compileall.compile_dir(str(Path(recorder.__file__).parent), quiet=1)


GENERATION = 2
"""Bumped when what the generator writes changes (2: texts that name a TxID, indexed;
default windows), so that a cached store of the same schema is made again."""


def cached(cases: int = 10_000, contacts: int = 100_000) -> Path:
    """The bench store of this size for the current schema, generated once."""
    path = DATA / f"store-{SCHEMA_HEAD}-g{GENERATION}-{cases}-{contacts}.sqlite3"
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        for leftover in DATA.glob(partial.name + "*"):
            leftover.unlink()
        started = time.perf_counter()
        print(f"generating {path.name} ...", file=sys.stderr)
        generate(partial, cases=cases, contacts=contacts)
        partial.rename(path)
        for suffix in ("-wal", "-shm"):
            Path(str(partial) + suffix).unlink(missing_ok=True)
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


@contextlib.contextmanager
def postgres_copy(db: Path) -> Iterator[str]:
    """A throw-away PostgreSQL server holding a copy of the store at `db`: its URL."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.helpers.postgres import postgres_server

    with postgres_server() as server:
        url = server.new_database()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "recorder", "--db", str(db), "db", "copy", "--to", url],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        print(f"copied the store into PostgreSQL in {time.perf_counter() - started:.0f} s")
        yield url


def main() -> None:
    """Generate a bench store and print its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--out", type=Path, help="Write here instead of the cache.")
    args = parser.parse_args()
    if args.out:
        if args.out.exists():
            parser.error(f"{args.out} already exists")
        print(generate(args.out, cases=args.cases, contacts=args.contacts))
    else:
        print(cached(args.cases, args.contacts))


if __name__ == "__main__":
    main()
