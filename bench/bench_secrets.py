"""The secret scanner's cost in the write path, on the 10k-case / 100k-contact bench store.

Times, in one process and interleaved round by round, `log_contact` of a 2 KB message
(English or Chinese, one in five holding a secret) with the scanner and with the scanner
switched off, and the scanner alone on the same texts.

Target (issue 14): scanning a 2 KB message adds at most 2 ms to `log_contact` (median).

    python bench/bench_secrets.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import NOW, _text, cached

import recorder.write.contacts as contacts
from recorder.domain.clock import FixedClock
from recorder.domain.secrets import scan
from recorder.write.opening import open_store

SECRETS = [
    "Me: my 2FA code is {n:06d}",
    "Me: password is Hunter{n}!",
    "Me: pen camera comic topic wash oven purity nose future tobacco stable iron",
    "private key: 0x{n:064x}",
    "API key: aB3dE5fG7hJ9kL1mN{n} secret: Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2",
]


def main() -> None:
    """Run the rounds and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    source = cached()
    rng = random.Random(14)
    texts = []
    for n in range(args.rounds + 5):
        text = _text(rng, 2048)
        if n % 5 == 0:
            cut = rng.randrange(len(text))
            text = text[:cut] + "\n" + rng.choice(SECRETS).format(n=n) + "\n" + text[cut:]
        texts.append(text[:2048] if n % 5 else text)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        shutil.copyfile(source, path)  # the inserts must not change the cached store
        store = open_store(str(path), clock=FixedClock(NOW, step=timedelta(milliseconds=1)))
        scanning = contacts.secrets_in

        def log(n: int) -> None:
            with store.write() as tx:
                contacts.log_contact(
                    tx,
                    case_id=rng.randint(1, 10_000),
                    channel="email",
                    direction="outbound",
                    occurred_at=NOW + timedelta(minutes=n),
                    text=texts[n],
                )

        def with_scanner(n: int) -> None:
            contacts.secrets_in = scanning
            log(n)

        def without_scanner(n: int) -> None:
            contacts.secrets_in = lambda fields: []
            try:
                log(n)
            finally:
                contacts.secrets_in = scanning

        def scanner_alone(n: int) -> None:
            scan(texts[n])

        timed: dict[str, Callable[[int], None]] = {
            "log_contact, scanning": with_scanner,
            "log_contact, no scan": without_scanner,
            "scan alone": scanner_alone,
        }
        samples: dict[str, list[float]] = {name: [] for name in timed}
        for n in range(args.rounds + 5):
            for name, run in timed.items():
                started = time.perf_counter()
                run(n)
                if n >= 5:  # the first rounds warm the caches and compile the statements
                    samples[name].append(time.perf_counter() - started)
        store.close()
    medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
    print(f"secret scanner on {source.name}, 2 KB texts, medians of {args.rounds} rounds")
    for name, value in medians.items():
        print(f"  {name:<22} {value:8.2f} ms")
    added = medians["log_contact, scanning"] - medians["log_contact, no scan"]
    print(
        f"  added by scanning: {added:.2f} ms (scan alone {medians['scan alone']:.2f} ms); "
        f"target <= 2 ms: {'OK' if max(added, medians['scan alone']) <= 2 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
