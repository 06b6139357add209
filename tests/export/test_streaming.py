"""Export and verify keep a case at a time in memory, not the whole record (issue 17).

Python's own allocations are traced (tracemalloc) while a store of 150 cases, each with
two long messages, is exported and verified: the peak must stay well under the text
the store holds. Reading every record into memory, as export and verify once did,
took more than ten times that text (28-30 MB for 2.4 million characters); a case at a
time takes 1.5 MB.
"""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from recorder.domain.clock import FixedClock
from recorder.export.evidence import Filters
from recorder.export.make import export
from recorder.export.verify import verify
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.opening import open_store
from tests.helpers.evidence import START

CASES = 150
TEXT_CHARS = 8_000
"""Each text is in its contact and in records.json; its events hold its digest."""
TEXT_BYTES = CASES * 2 * TEXT_CHARS


@pytest.fixture(scope="module")
def long_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of CASES cases with two messages of TEXT_CHARS characters each."""
    path = tmp_path_factory.mktemp("long") / "recorder.sqlite3"
    store = open_store(str(path), clock=FixedClock(START + timedelta(days=30)))
    rng = random.Random(17)
    words = ["withdrawal", "pending", "提现", "审核", "TxID", "support", "ticket", "账户"]
    with store.write() as tx:
        for n in range(CASES):
            case = open_case(tx, platform="Gemini", title=f"Withdrawal {n} pending")
            assert case.id is not None
            for k in range(2):
                text = " ".join(rng.choice(words) for _ in range(TEXT_CHARS // 6))
                log_contact(
                    tx,
                    case_id=case.id,
                    channel="email",
                    direction="outbound" if k == 0 else "inbound",
                    occurred_at=START + timedelta(hours=n * 3 + k),
                    address="support@gemini.com",
                    text=text[:TEXT_CHARS],
                )
    store.close()
    return path


def _peak(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_holds_a_case_at_a_time(long_store: Path, tmp_path: Path) -> None:
    store = open_store(str(long_store))
    try:
        export(store, tmp_path / "first", Filters())  # what it imports is not measured
        peak = _peak(lambda: export(store, tmp_path / "bag", Filters()))
    finally:
        store.close()
    assert verify(tmp_path / "bag").ok
    assert peak < TEXT_BYTES, f"export peaked at {peak:,} bytes for {TEXT_BYTES:,} of text"


def test_verify_holds_a_case_at_a_time(long_store: Path, tmp_path: Path) -> None:
    store = open_store(str(long_store))
    try:
        export(store, tmp_path / "bag", Filters())
    finally:
        store.close()
    assert verify(tmp_path / "bag", processes=1).ok  # what it imports is not measured
    reports = []
    peak = _peak(lambda: reports.append(verify(tmp_path / "bag", processes=1)))
    assert reports[0].ok, reports[0].problems
    assert peak < TEXT_BYTES, f"verify peaked at {peak:,} bytes for {TEXT_BYTES:,} of text"
