"""The duplicate guard on the 10k-case / 100k-contact bench store.

Times, in one process and interleaved round by round:
- `check contact`: the checks run for one new outbound contact (same reference, same
  message, still waiting; plus similar cases when it is the case's first contact),
  which is what the write path adds to logging it;
- `plain insert`: inserting and committing that contact's row, nothing else;
- `log_contact`: the whole write path (checks, audit, derived fields, commit);
- `check case`: the checks for a new case (same identifier, similar open cases of the
  platform; the bench titles come from 8 templates, so candidates are many), in a
  process that has read the titles before (the TUI), and `cold`, in one that has not
  (a `recorder case new`).

Targets: checking one new contact under 50 ms, reported beside the plain insert of
the same run (issue 5); checking a new case (the similar-case check) under 10 ms at
50k cases (issue 17: `--cases 50000`).

With `--postgres`, the same on a copy of the store in a throw-away PostgreSQL database
(issue 18).

    python bench/bench_dups.py [--rounds 200] [--cases 10000 --contacts 100000] [--postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import NOW, cached, postgres_copy
from sqlmodel import select

from recorder.domain.clock import FixedClock
from recorder.domain.duplicates import problem
from recorder.store.models import Case, Channel, Contact, Direction
from recorder.write.checks import case_findings, contact_findings
from recorder.write.contacts import log_contact
from recorder.write.opening import open_store


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    """Run the rounds and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument(
        "--postgres", action="store_true", help="On a PostgreSQL copy of the bench store."
    )
    args = parser.parse_args()
    source = cached(args.cases, args.contacts)
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as server:
        path = Path(tmp) / "bench.sqlite3"
        shutil.copyfile(source, path)  # the inserts must not change the cached store
        where = server.enter_context(postgres_copy(path)) if args.postgres else str(path)
        store = open_store(where, clock=FixedClock(NOW, step=timedelta(milliseconds=1)))
        with store.read() as session:
            texts = [
                t
                for (t,) in session.execute(
                    Contact.__table__.select()  # type: ignore[attr-defined]
                    .with_only_columns(Contact.__table__.c.text)  # type: ignore[attr-defined]
                    .where(Contact.__table__.c.id.in_(rng.sample(range(1, args.contacts + 1), 50)))  # type: ignore[attr-defined]
                )
            ]
            titles = list(session.exec(select(Case.title).limit(200)))

        def fields(n: int) -> dict[str, Any]:
            # Half repeat a stored message and a stored reference; half are new.
            repeat = n % 2 == 0
            return {
                "channel": rng.choice([Channel.ticket, Channel.email]),
                "direction": Direction.outbound,
                "occurred_at": NOW - timedelta(minutes=n),
                "reference": str(rng.randint(1_000_000, 9_999_999)),
                "text": rng.choice(texts) if repeat else f"A new message, number {n}.",
            }

        def check_contact(n: int) -> None:
            with store.read() as session:
                case = session.get(Case, rng.randint(1, args.cases))
                assert case is not None
                contact_findings(session, case, fields(n))

        def plain_insert(n: int) -> None:
            with store.write() as tx:
                tx.session.add(
                    Contact(
                        case_id=rng.randint(1, args.cases),
                        created_at=tx.now,
                        **fields(n),
                    )
                )

        def write_path(n: int) -> None:
            with store.write() as tx:
                log_contact(tx, case_id=rng.randint(1, args.cases), **fields(n))

        def check_case(n: int) -> None:
            with store.read() as session:
                case_findings(
                    session,
                    platform_id=rng.randint(1, 5),
                    title=rng.choice(titles),
                    txid=f"0x{rng.getrandbits(256):064x}",
                )

        def check_case_cold(n: int) -> None:
            # As `recorder case new` runs it: no title read before in this process.
            problem.cache_clear()
            check_case(n)

        timed: dict[str, Callable[[int], None]] = {
            "check contact": check_contact,
            "plain insert": plain_insert,
            "log_contact": write_path,
            "check case": check_case,
        }
        samples: dict[str, list[float]] = {name: [] for name in timed}
        for n in range(args.rounds + 5):
            for name, run in timed.items():
                started = time.perf_counter()
                run(n)
                if n >= 5:  # the first rounds warm the caches and compile the statements
                    samples[name].append(time.perf_counter() - started)
        # Apart, after: clearing the titles read would leave the others nothing warm.
        samples["check case, cold"] = []
        for n in range(args.rounds):
            started = time.perf_counter()
            check_case_cold(n)
            samples["check case, cold"].append(time.perf_counter() - started)
        store.close()
    kept = "PostgreSQL (a copy of it)" if args.postgres else "SQLite"
    print(f"duplicate guard on {source.name}, in {kept}, medians of {args.rounds} rounds")
    for name, values in samples.items():
        print(f"  {name:<14} {_median_ms(values):8.2f} ms   (p95 {_p95(values):.2f} ms)")
    check, insert = _median_ms(samples["check contact"]), _median_ms(samples["plain insert"])
    print(f"  check contact / plain insert: {check / insert:.2f}x   (target: check < 50 ms)")
    print(f"  check case at {args.cases:,} cases: {_median_ms(samples['check case']):.2f} ms"
          "   (target at 50,000: < 10 ms)")  # fmt: skip


def _p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)] * 1000


if __name__ == "__main__":
    main()
