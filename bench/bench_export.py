"""Export and verify of the 10k-case / 100k-contact bench store with 1,000
attachments of 1 MB each, beside `sha256sum` over the same bytes in the same run.

Targets (issue 6): export within 3x of sha256sum over the bag's bytes, verify
within 2x. Issue 17: the peak memory of export and of verify (each run in a process
of its own, the proportional set size of it and of the processes it forks summed,
sampled every 20 ms) at most 250 MB, at 10k and at 50k cases (`--cases 50000`).

    python bench/bench_export.py [--cases 10000] [--attachments 1000] [--size-mb 1] [--runs 3]
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


MEMORY_TARGET_MB = 250


def _tree_rss(pid: int) -> int:
    """Memory of a process and all its descendants, from /proc (Linux): the sum of
    their proportional set sizes (a page shared by a forked child counts once)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/smaps_rollup").read_text("ascii")
            total += sum(
                int(line.split()[1]) * 1024
                for line in status.splitlines()
                if line.startswith("Pss:")
            )
            children = Path(f"/proc/{current}/task/{current}/children").read_text("ascii")
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        pending += [int(child) for child in children.split()]
    return total


def peak_memory(*args: str) -> tuple[float, int]:
    """Run this script's `--child` with `args`; its time and peak resident bytes."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--child", *args])
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(child.pid))
        time.sleep(0.02)
    if child.returncode:
        raise SystemExit(f"the child {args[0]} failed ({child.returncode})")
    return time.perf_counter() - started, peak


def _child(what: str, store_path: str, bag: str) -> None:
    """What `peak_memory` runs: one export or one verify, as the CLI runs it."""
    if what == "export":
        store = open_store(store_path, clock=FixedClock(NOW, step=timedelta(milliseconds=1)))
        export(store, Path(bag), Filters(), parallel=True)
        store.close()
    else:
        assert verify(Path(bag)).ok


def main() -> None:
    """Build the store with attachments, then time export, verify and sha256sum."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attachments", type=int, default=1000)
    parser.add_argument("--size-mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    source = cached(cases=args.cases)
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
        bag = work / "bag-memory"
        export_took, export_peak = peak_memory("export", str(path), str(bag))
        verify_took, verify_peak = peak_memory("verify", str(path), str(bag))
    export_s, verify_s, sum_s = (statistics.median(x) for x in (exports, verifies, sums))
    print(f"export of {source.name} + {args.attachments} x {args.size_mb} MB attachments")
    print(f"  export  {export_s:6.1f} s = {export_s / sum_s:.2f}x sha256sum   (target 3x)")
    print(f"  verify  {verify_s:6.1f} s = {verify_s / sum_s:.2f}x sha256sum   (target 2x)")
    print(f"  sha256sum {sum_s:4.1f} s over the bag's files")
    for what, took, peak in (
        ("export", export_took, export_peak),
        ("verify", verify_took, verify_peak),
    ):
        mb = peak / 2**20
        verdict = "OK" if mb <= MEMORY_TARGET_MB else "MISSED"
        print(
            f"  {what:7} peak memory {mb:6.0f} MiB in its own process ({took:.0f} s; "
            f"target <= {MEMORY_TARGET_MB} MB): {verdict}"
        )


if __name__ == "__main__":
    main()
