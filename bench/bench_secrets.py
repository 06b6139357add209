"""The secret scanner's cost in the write path, on the 10k-case / 100k-contact bench store.

Times, in one process and interleaved round by round, `log_contact` of a 2 KB message
(English or Chinese, one in five holding a secret) with the scanner and with the scanner
switched off (each with texts of its own, in alternating order), and the scanner alone.

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


def _texts(rng: random.Random, n: int) -> str:
    """A 2 KB text; one in five with a secret in it."""
    text = _text(rng, 2048)[:2048]
    if n % 5 == 0:
        cut = rng.randrange(len(text))
        text = text[:cut] + "\n" + rng.choice(SECRETS).format(n=n) + "\n" + text[cut:]
    return text


def main() -> None:
    """Run the rounds and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    source = cached()
    rng = random.Random(14)
    # Each way of logging gets texts of its own: logging a text a second time costs
    # less (what the duplicate checks read is cached), which would favour the second.
    texts = {way: [_texts(rng, n) for n in range(args.rounds + 5)] for way in ("on", "off")}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        shutil.copyfile(source, path)  # the inserts must not change the cached store
        store = open_store(str(path), clock=FixedClock(NOW, step=timedelta(milliseconds=1)))
        scanning = contacts.secrets_in

        def log(n: int, text: str) -> None:
            with store.write() as tx:
                contacts.log_contact(
                    tx,
                    case_id=rng.randint(1, 10_000),
                    channel="email",
                    direction="outbound",
                    occurred_at=NOW - timedelta(minutes=n),
                    text=text,
                )

        def with_scanner(n: int) -> None:
            contacts.secrets_in = scanning
            log(n, texts["on"][n])

        def without_scanner(n: int) -> None:
            contacts.secrets_in = lambda fields: []
            try:
                log(n, texts["off"][n])
            finally:
                contacts.secrets_in = scanning

        def scanner_alone(n: int) -> None:
            scan(texts["on"][n])

        timed: dict[str, Callable[[int], None]] = {
            "log_contact, scanning": with_scanner,
            "log_contact, no scan": without_scanner,
            "scan alone": scanner_alone,
        }

        samples: dict[str, list[float]] = {name: [] for name in timed}
        for n in range(args.rounds + 5):
            # Each round in the other order, so that neither way always goes first.
            for name, run in list(timed.items())[:: 1 if n % 2 else -1]:
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
