"""Export and verify of the 10k-case / 100k-contact bench store with 1,000
attachments of 1 MB each, beside `sha256sum` over the same bytes in the same run.

Targets (issue 6): export within 3x of sha256sum over the bag's bytes, verify
within 2x.

    python bench/bench_export.py [--attachments 1000] [--size-mb 1] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import NOW, cached

from recorder.domain.clock import FixedClock
from recorder.export.evidence import Filters
from recorder.export.make import export
from recorder.export.verify import verify
from recorder.store.models import Contact
from recorder.write.contacts import attach_file
from recorder.write.opening import open_store


def _sha256sum(bag: Path) -> float:
    files = sorted(str(p) for p in bag.rglob("*") if p.is_file())
    started = time.perf_counter()
    subprocess.run(["sha256sum", *files], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    """Build the store with attachments, then time export, verify and sha256sum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attachments", type=int, default=1000)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = cached()
    rng = random.Random(6)
    with tempfile.TemporaryDirectory(dir=Path(__file__).resolve().parent / ".data") as tmp:
        work = Path(tmp)
        path = work / "store" / "recorder.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(source, path)
        store = open_store(str(path), clock=FixedClock(NOW, step=timedelta(milliseconds=1)))
        started = time.perf_counter()
        files = work / "files"
        files.mkdir()
        size = int(args.size_mb * 1024 * 1024)
        with store.write() as tx:
            for n in range(args.attachments):
                screenshot = files / f"screenshot-{n}.png"
                screenshot.write_bytes(os.urandom(size))
                contact = tx.session.get(Contact, rng.randint(1, 100_000))
                assert contact is not None
                attach_file(tx, contact, screenshot)
                screenshot.unlink()
        print(f"attached {args.attachments} files in {time.perf_counter() - started:.0f} s")

        exports, verifies, sums = [], [], []
        for run in range(args.runs):
            bag = work / f"bag-{run}"
            started = time.perf_counter()
            written = export(store, bag, Filters(), parallel=True)  # as the CLI does
            exports.append(time.perf_counter() - started)
            started = time.perf_counter()
            report = verify(bag)
            verifies.append(time.perf_counter() - started)
            assert report.ok, report.problems[:5]
            sums.append(_sha256sum(bag))
            size_bytes = sum(p.stat().st_size for p in bag.rglob("*") if p.is_file())
            print(
                f"run {run + 1}: export {exports[-1]:.1f} s, verify {verifies[-1]:.1f} s, "
                f"sha256sum {sums[-1]:.1f} s over {size_bytes / 1e9:.2f} GB "
                f"({written.fingerprint})"
            )
            shutil.rmtree(bag)
        store.close()
    export_s, verify_s, sum_s = (statistics.median(x) for x in (exports, verifies, sums))
    print(f"export of {source.name} + {args.attachments} x {args.size_mb} MB attachments")
    print(f"  export  {export_s:6.1f} s = {export_s / sum_s:.2f}x sha256sum   (target 3x)")
    print(f"  verify  {verify_s:6.1f} s = {verify_s / sum_s:.2f}x sha256sum   (target 2x)")
    print(f"  sha256sum {sum_s:4.1f} s over the bag's files")


if __name__ == "__main__":
    main()
