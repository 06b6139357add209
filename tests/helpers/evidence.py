"""A store worth exporting: English and Chinese cases, every channel, attachments, a
duplicate flag and a merge; and the command line to export and verify it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import Result

from recorder.store.models import Channel
from recorder.store.session import Store
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.decisions import merge_cases
from tests.helpers.cli import run

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)


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
