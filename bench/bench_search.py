"""Full-text search on the 10k-case / 100k-contact bench store (2 KB English and
Chinese texts; about 200 MB of text).

Times `recorder.read.search.search` (ranked, the first 50 results, snippets made) for
English words, Chinese terms of 4 and of 2 characters, and 8-character pieces of TxIDs,
against `LIKE '%q%'` over the same columns (the first 50, newest first), in the same
run; and reports the indexes' build time and size.

Targets (issue 16): ranked search p50 <= 20 ms and worst <= 150 ms for each kind.

    python bench/bench_search.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import cached

from recorder.read.search import search
from recorder.store.readers import SqliteReader
from recorder.store.search_index import create_statements, drop_statements

QUERIES = {
    "English word": ["escalated", "frozen", "credited", "documents", "screenshot", "answer"],
    "Chinese, 4 characters": [
        "身份验证",
        "钱包团队",
        "银行账户",
        "区块浏览",
        "普通转账",
        "耐心等待",
    ],
    "Chinese, 2 characters": ["冻结", "充值", "客服", "到账", "退回", "证件"],
    # Found in no text: no trigram begins with them, so nothing is read.
    "Chinese, 2, in no text": ["彩虹", "鲸鱼"],
}


def _txid_pieces(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT txid FROM cases WHERE txid IS NOT NULL ORDER BY id LIMIT 6 OFFSET 500"
    ).fetchall()
    return [str(txid).removeprefix("0x")[10:18] for (txid,) in rows]


def _like(connection: sqlite3.Connection, term: str) -> None:
    connection.execute(
        "SELECT id FROM contacts WHERE text LIKE :q OR subject LIKE :q OR reference LIKE :q"
        " ORDER BY occurred_at DESC LIMIT 50",
        {"q": f"%{term}%"},
    ).fetchall()


def _index_bytes(connection: sqlite3.Connection) -> int:
    return int(
        connection.execute(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search%'"
        ).fetchone()[0]
    )


def main() -> None:
    """Build the indexes again on a copy, then time the queries."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    source = cached()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite3"
        shutil.copy(source, path)
        connection = sqlite3.connect(path, isolation_level=None)
        text_bytes = connection.execute(
            "SELECT sum(length(CAST(text AS BLOB))) FROM contacts"
        ).fetchone()[0]
        store_bytes = path.stat().st_size
        for statement in drop_statements():
            connection.execute(statement)
        started = time.perf_counter()
        connection.execute("BEGIN")
        for statement in create_statements():
            connection.execute(statement)
        connection.execute("COMMIT")
        built = time.perf_counter() - started
        index = _index_bytes(connection)
        print(
            f"store {store_bytes / 1e6:.0f} MB, {text_bytes / 1e6:.0f} MB of contact text; "
            f"indexes built in {built:.1f} s, {index / 1e6:.0f} MB "
            f"({index / text_bytes:.2f}x the text)"
        )
        queries = dict(QUERIES)
        queries["TxID, 8 characters"] = _txid_pieces(connection)
        connection.execute("BEGIN")
        reader = SqliteReader(connection)
        print(f"{'query':<24}{'search p50':>12}{'worst':>9}{'LIKE p50':>11}{'worst':>9}  found")
        for kind, terms in queries.items():
            ours: list[float] = []
            theirs: list[float] = []
            found = []
            for _ in range(args.rounds):
                for term in terms:
                    started = time.perf_counter()
                    found.append(len(search(reader, term)))
                    ours.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    _like(connection, term)
                    theirs.append(time.perf_counter() - started)
            print(
                f"{kind:<24}{statistics.median(ours) * 1e3:>10.1f}ms{max(ours) * 1e3:>7.1f}ms"
                f"{statistics.median(theirs) * 1e3:>9.1f}ms{max(theirs) * 1e3:>7.1f}ms"
                f"  {min(found)}-{max(found)} results"
            )
        connection.close()


if __name__ == "__main__":
    main()
