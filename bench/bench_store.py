"""The size of the bench store (10k cases / 100k contacts) against the bytes of text
and attachments it holds, table by table (SQLite's dbstat), and, with `--upgrade
PATH`, the time to upgrade a copy of an older store (migrations, then the compaction
that gives the freed pages back).

Target (issue 17): store size at most 1.5x the bytes of text and attachments.

    python bench/bench_store.py [--cases 10000] [--upgrade bench/.data/store-0011-...]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import DATA, cached

from recorder.write.opening import open_store

TARGET = 1.5

TEXT = {
    "cases": ["title", "txid", "order_number", "account_email", "asset", "amount"],
    "contacts": ["subject", "text", "reference", "agent", "address"],
    "stored_texts": ["body"],
}
"""The columns that hold what the user wrote or received."""


def held_bytes(path: Path) -> tuple[int, int]:
    """Bytes of text (UTF-8) and of attachments (their sizes) the store holds."""
    with sqlite3.connect(path) as conn:
        text = 0
        for table, columns in TEXT.items():
            total = " + ".join(f"coalesce(length(CAST({c} AS BLOB)), 0)" for c in columns)
            text += conn.execute(f"SELECT coalesce(sum({total}), 0) FROM {table}").fetchone()[0]
        files = conn.execute("SELECT coalesce(sum(size), 0) FROM attachments").fetchone()[0]
    return text, files


def by_table(path: Path) -> list[tuple[str, int]]:
    """Bytes of pages by table (its indexes and a search index's shadow tables with it)."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC"
        ).fetchall()
        tables = {r[0]: r[1] for r in conn.execute("SELECT name, tbl_name FROM sqlite_master")}
    grouped: dict[str, int] = {}
    for name, size in rows:
        owner = tables.get(name, name)
        if owner.startswith("search_"):
            owner = "search indexes"
        grouped[owner] = grouped.get(owner, 0) + size
    return sorted(grouped.items(), key=lambda item: -item[1])


def report(path: Path) -> None:
    size = path.stat().st_size
    text, files = held_bytes(path)
    ratio = size / (text + files)
    print(f"{path.name}: {size / 2**20:,.1f} MiB for {text / 2**20:,.1f} MiB of text and "
          f"{files / 2**20:,.1f} MiB of attachments: {ratio:.2f}x "
          f"(target <= {TARGET}x): {'OK' if ratio <= TARGET else 'MISSED'}")  # fmt: skip
    for name, pages in by_table(path)[:8]:
        print(f"  {name:24} {pages / 2**20:8,.1f} MiB  {pages / (text + files):5.2f}x the text")
    search = dict(by_table(path)).get("search indexes", 0)
    print(f"  without the search indexes: {(size - search) / (text + files):.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--upgrade", type=Path, help="An older store to upgrade a copy of.")
    args = parser.parse_args()
    if args.upgrade:
        with tempfile.TemporaryDirectory(dir=DATA) as tmp:
            copy = Path(tmp) / args.upgrade.name
            shutil.copyfile(args.upgrade, copy)
            before = copy.stat().st_size
            started = time.perf_counter()
            store = open_store(str(copy))
            took = time.perf_counter() - started
            after = copy.stat().st_size
            print(
                f"upgraded {args.upgrade.name} from {store.upgraded_from} in {took:.0f} s: "
                f"{before / 2**20:,.1f} MiB -> {after / 2**20:,.1f} MiB"
            )
            store.close()
            report(copy)
        return
    report(cached(cases=args.cases))


if __name__ == "__main__":
    main()
