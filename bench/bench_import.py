"""Importing mail, against Python's `mailbox` module merely parsing the same file.

Writes an mbox of 10k support emails (1,000 threads of 10: the user's question, the
helpdesk's acknowledgement with its ticket number, replies both ways with quoted
history, one in twenty with a PDF attached; English and Chinese, about 2 KB each),
then times, in one run and alternating:
- `mailbox`: `for message in mailbox.mbox(path)` (each message parsed by `email`);
- `import`: `recorder.ingest.importer.import_messages` of the same file into a new
  store, through the whole write path (threading, checks, audit, attachments).

Target (issue 13): import at most 3x `mailbox`. Also times a floor (see `floor`): the
least any import keeping each raw message durably and the search index current costs,
to show how much of the rest is recorder's own. Also reports an IMAP fetch of 1k
messages from a local pymap server in messages per second.

    python bench/bench_import.py [--messages 10000] [--rounds 3] [--imap 1000]
"""

from __future__ import annotations

import argparse
import mailbox
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recorder.domain.clock import FixedClock
from recorder.ingest.importer import Options, import_messages
from recorder.ingest.sources import sources_of
from recorder.write.opening import open_store

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PROBLEMS = [
    "BTC withdrawal #{n} pending since {d}",
    "ETH deposit not credited, TxID {tx}",
    "Account frozen after password reset (request {n})",
    "2FA reset request {n}",
    "USDT withdrawal {n} rejected without reason",
    "提现一直处于审核中 {n}",
]
"""Subjects of the threads: each thread its own problem, as a user's mailbox holds."""
PARAGRAPH = (
    "I am writing again about my withdrawal. It has been pending for several days and the "
    "status page shows no incident. Please tell me what is holding it and when it will be "
    "released. 我的提现已经审核了好几天，请尽快处理，并告诉我还需要提供什么材料。 "
)


def _message(thread: int, n: int, rng: random.Random) -> bytes:
    problem = PROBLEMS[thread % len(PROBLEMS)].format(
        d=f"{thread % 28 + 1} Nov", tx=f"0x{rng.getrandbits(256):064x}", n=thread
    )
    ticket = 7_000_000 + thread
    at = START + timedelta(hours=thread * 7 + n * 5)
    message = EmailMessage()
    mine = n % 2 == 0
    message["From"] = "Li Wei <li.wei@example.org>" if mine else "Support <support@gemini.com>"
    message["To"] = "support@gemini.com" if mine else "li.wei@example.org"
    if n == 0:
        message["Subject"] = problem
    elif n == 1:
        message["Subject"] = f"Your request ({ticket}) has been received"
        message["Auto-Submitted"] = "auto-replied"
    else:
        message["Subject"] = f"Re: [#{ticket}] {problem}"
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<t{thread}-m{n}@{'example.org' if mine else 'gemini.com'}>"
    if n:
        message["In-Reply-To"] = f"<t{thread}-m{n - 1}@{'gemini.com' if mine else 'example.org'}>"
    body = f"Message {n} of case {thread}.\n\n" + PARAGRAPH * rng.randint(3, 6)
    if n:
        body += "\n\nOn an earlier day, the other side wrote:\n> " + PARAGRAPH[:300]
    message.set_content(body)
    if rng.random() < 0.05:
        message.add_attachment(
            rng.randbytes(20_000), maintype="application", subtype="pdf", filename="statement.pdf"
        )
    return bytes(message)


def write_mbox(path: Path, count: int) -> None:
    """An mbox of `count` messages in threads of ten."""
    rng = random.Random(13)
    box = mailbox.mbox(path)
    box.lock()
    for index in range(count):
        box.add(_message(index // 10, index % 10, rng))
    box.flush()
    box.unlock()
    box.close()


def parse_only(path: Path) -> float:
    started = time.perf_counter()
    count = sum(1 for _ in mailbox.mbox(path, create=False))
    assert count
    return time.perf_counter() - started


def read_only(path: Path) -> float:
    """What import's reading alone costs: each message read as import reads it
    (`email` with policy.default, the defensive wrapper, text and quotes split)."""
    from recorder.ingest.messages import read_email

    started = time.perf_counter()
    for source in sources_of([path]):
        for raw in source.messages():
            assert raw.data is not None
            read_email(raw.data)
    return time.perf_counter() - started


def floor(path: Path, folder: Path) -> float:
    """The least an import that keeps what issue 13 asks can cost: each message read as
    import reads it, its new text inserted once as a contact (the search index's
    triggers firing) and once as its audit event, its raw bytes written to a file and
    synced, a commit every 250 messages, on a store at the schema's head. No threading,
    no checks, no chain, no ORM: what remains is SQLite, the index and the disk."""
    import os
    import sqlite3

    from recorder.ingest.messages import read_email

    store = open_store(str(folder / "floor.sqlite3"), clock=FixedClock(NOW))
    store.close()
    files = folder / "floor-files"
    files.mkdir()
    connection = sqlite3.connect(folder / "floor.sqlite3")
    connection.execute(
        "INSERT INTO cases (platform_id, title, status, priority, created_at, updated_at,"
        " contact_count, refs, unanswered) VALUES (1, 'floor', 'open', 'normal', ?, ?, 0,"
        " '[]', 0)",
        (NOW.isoformat(), NOW.isoformat()),
    )
    started = time.perf_counter()
    count = 0
    for source in sources_of([path]):
        for raw in source.messages():
            assert raw.data is not None
            email = read_email(raw.data)
            connection.execute(
                "INSERT INTO contacts (case_id, channel, direction, occurred_at, subject, text,"
                " auto_ack, sender_findings, sender_trusted, source, turns, created_at,"
                " secret_kinds) VALUES (1, 'email', 'inbound', ?, ?, ?, 0, '[]', 0, 'imported',"
                " '[]', ?, '[]')",
                (NOW.isoformat(), email.subject, email.reply.new, NOW.isoformat()),
            )
            connection.execute(
                "INSERT INTO audit_events (at, action, entity, entity_id, change, prev_hash,"
                " hash, scheme) VALUES (?, 'create', 'contacts', 1, ?, '', ?, 2)",
                (NOW.isoformat(), email.reply.new, email.sha256),
            )
            with (files / email.sha256).open("wb") as out:
                out.write(email.raw)
                out.flush()
                os.fsync(out.fileno())
            count += 1
            if count % 250 == 0:
                connection.commit()
    connection.commit()
    took = time.perf_counter() - started
    connection.close()
    return took


def import_all(path: Path, folder: Path) -> tuple[float, int]:
    store = open_store(str(folder / "s.sqlite3"), clock=FixedClock(NOW))
    store.close()
    store = open_store(str(folder / "s.sqlite3"), clock=FixedClock(NOW))
    started = time.perf_counter()
    sources = sources_of([path])
    raws = (raw for source in sources for raw in source.messages())
    outcomes = import_messages(store, raws, Options(platform="Gemini"))
    took = time.perf_counter() - started
    store.close()
    refused = [o for o in outcomes if o.status != "imported"]
    assert not refused, refused[:3]
    return took, len(outcomes)


def imap_rate(count: int, folder: Path) -> float:
    """Messages per second fetched from a local pymap server into a new store."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from recorder.ingest.imap import Account, fetch
    from tests.helpers.imap import PASSWORD, USER, imap_server

    rng = random.Random(7)
    messages = [_message(i // 10, i % 10, rng) for i in range(count)]
    with imap_server(folder / "pymap.log") as server:
        from imapclient import IMAPClient

        with IMAPClient("127.0.0.1", port=server.port, ssl=False) as client:
            client.login(USER, PASSWORD)
            client.multiappend("INBOX", messages)
        store = open_store(str(folder / "imap.sqlite3"), clock=FixedClock(NOW))
        account = Account("127.0.0.1", USER, port=server.port)
        started = time.perf_counter()
        outcomes = fetch(store, account, PASSWORD, Options(platform="Gemini"))
        took = time.perf_counter() - started
        store.close()
    assert sum(o.status == "imported" for o in outcomes) == count
    return count / took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--imap", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mbox = folder / "support.mbox"
        write_mbox(mbox, args.messages)
        size = mbox.stat().st_size
        print(f"mbox: {args.messages:,} messages, {size / 1e6:.1f} MB")
        parsed, read, floors, imported = [], [], [], []
        for round_ in range(args.rounds):
            parsed.append(parse_only(mbox))
            read.append(read_only(mbox))
            run = folder / f"run{round_}"
            run.mkdir()
            floors.append(floor(mbox, run))
            took, count = import_all(mbox, run)
            imported.append(took)
            print(
                f"  round {round_ + 1}: mailbox {parsed[-1]:.2f} s, reading {read[-1]:.2f} s, "
                f"floor {floors[-1]:.2f} s, import {took:.2f} s ({count:,} messages)"
            )
        ratio = statistics.median(imported) / statistics.median(parsed)
        print(
            f"reading alone (policy.default, as import reads): "
            f"{statistics.median(read) / statistics.median(parsed):.2f}x mailbox"
        )
        print(
            f"floor (read, insert text and event, sync raw file; no ORM, checks or chain): "
            f"{statistics.median(floors) / statistics.median(parsed):.2f}x mailbox"
        )
        print(
            f"import {statistics.median(imported):.2f} s = {ratio:.2f}x mailbox "
            f"{statistics.median(parsed):.2f} s (target <= 3x): {'OK' if ratio <= 3 else 'MISSED'}"
        )
        if args.imap:
            rate = imap_rate(args.imap, folder)
            print(f"IMAP fetch of {args.imap:,} messages from local pymap: {rate:.0f} messages/s")


if __name__ == "__main__":
    main()
