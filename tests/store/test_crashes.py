"""Commands killed at random moments (SIGKILL, as a power cut or `kill -9`): no
acknowledged contact is lost, no store is left degraded, nothing is left behind that
the next command does not clean, and no worker outlives its command.

300 kills in `make test`; `make soak` (RECORDER_SOAK=1) runs ten times as many.
"""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlmodel import select

from recorder.export.store_check import check_store
from recorder.store import db
from recorder.store.models import Contact, Platform
from recorder.store.session import Store
from recorder.write.opening import open_store
from tests.helpers.crash import duration, leftovers, outlived, run_killed
from tests.helpers.evidence import fill, rechain

SCALE = 10 if os.environ.get("RECORDER_SOAK") else 1
RNG = random.Random(12)


@contextmanager
def _recovered(path: Path) -> Iterator[Store]:
    """The store opened as the next command opens it (which sweeps), then checked."""
    store = open_store(str(path))
    try:
        assert db.current_revision(store.engine) == db.SCHEMA_HEAD
        with store.read() as session:
            names = set(session.exec(select(Platform.name)).all())
        assert {"Gemini", "Generic"} <= names, "a store without its built-in platforms"
        yield store
    finally:
        store.close()


def _verified(store: Store) -> None:
    report = check_store(store)
    assert report.ok, report.problems[:5]


def _contacts(store: Store) -> set[int]:
    with store.read() as session:
        return {i for i in session.exec(select(Contact.id)).all() if i is not None}


def _delays(seconds: float, kills: int) -> list[float]:
    """Kill moments spread over the whole run (and a little past its end)."""
    return [RNG.uniform(0, seconds * 1.1) for _ in range(kills)]


def test_killed_logs_lose_no_acknowledged_contact(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = open_store(str(path))
    fill(store, tmp_path / "seed")
    store.close()
    files = tmp_path / "files"
    files.mkdir()

    def args(n: int) -> list[str]:
        shot = files / f"shot-{n}.png"
        shot.write_bytes(os.urandom(64 * 1024))
        return ["log", "--case", "2", "--channel", "email", "--direction", "out",
                "--text", f"Message {n}: my USDT deposit is still missing.",
                "--attach", str(shot)]  # fmt: skip

    acknowledged: set[int] = set()
    seconds = duration(path, args(0))
    for n, delay in enumerate(_delays(seconds, 150 * SCALE), 1):
        killed = run_killed(path, args(n), delay)
        printed = killed.printed.strip()
        if printed.isdigit():
            acknowledged.add(int(printed))
        with _recovered(path) as store:
            missing = acknowledged - _contacts(store)
            assert not missing, f"acknowledged contacts lost: {sorted(missing)}"
            assert leftovers(path.parent) == []
            if n % 25 == 0:
                _verified(store)
    with _recovered(path) as store:
        _verified(store)


def test_killed_first_runs_leave_a_whole_store_or_none(tmp_path: Path) -> None:
    args = ["case", "new", "--platform", "Gemini", "--title", "Login fails"]
    seconds = duration(tmp_path / "calibrate.sqlite3", args)
    for n, delay in enumerate(_delays(seconds, 50 * SCALE)):
        path = tmp_path / f"new-{n}" / "store.sqlite3"
        path.parent.mkdir()
        killed = run_killed(path, args, delay)
        with _recovered(path) as store:
            if killed.printed.strip().isdigit():
                with store.read() as session:
                    assert session.get(Contact, 1) is None  # a case, not a contact
            assert leftovers(path.parent) == []
            _verified(store)
        shutil.rmtree(path.parent)


def _older_store(tmp_path: Path) -> Path:
    """A store as recorder 0006 left it, with cases, contacts and attachments."""
    path = tmp_path / "template" / "store.sqlite3"
    store = open_store(str(path))
    fill(store, tmp_path / "template-files")
    store.close()
    engine = db.make_engine(f"sqlite:///{path}")
    from alembic import command

    with db.migration_connection(engine) as conn:
        command.downgrade(db.alembic_config(conn), "0006")
    engine.dispose()
    rechain(path, scheme=1)  # the older recorder hashed every event so
    return path


def test_killed_upgrades_leave_the_store_whole(tmp_path: Path) -> None:
    template = _older_store(tmp_path)

    def copy(n: int) -> Path:
        target = tmp_path / f"upgrade-{n}"
        shutil.copytree(template.parent, target)
        return target / template.name

    seconds = duration(copy(0), ["db", "upgrade"])
    for n, delay in enumerate(_delays(seconds, 50 * SCALE), 1):
        path = copy(n)
        run_killed(path, ["db", "upgrade"], delay)
        with _recovered(path) as store:
            assert len(_contacts(store)) == 10
            with store.read() as session:
                keys = session.exec(select(Contact.message_key)).all()
            assert all(keys), "duplicate keys missing after an interrupted upgrade"
            assert [p for p in leftovers(path.parent) if "exports" not in p] == []
            _verified(store)
        shutil.rmtree(path.parent)


def test_killed_exports_leave_nothing_and_no_worker(tmp_path: Path) -> None:
    path = tmp_path / "store" / "store.sqlite3"
    store = open_store(str(path))
    fill(store, tmp_path / "seed")
    store.close()
    out = tmp_path / "out"
    out.mkdir()
    seconds = duration(path, ["export", str(out / "calibrate")])
    for n, delay in enumerate(_delays(seconds, 50 * SCALE)):
        killed = run_killed(path, ["export", str(out / f"bag-{n}")], delay)
        assert outlived(killed.children) == [], "a worker outlived its export"
        with _recovered(path):
            assert leftovers(out) == [] and leftovers(path.parent) == []
        bag = out / f"bag-{n}"
        if bag.exists():  # it finished: a whole bag, never a half one
            from recorder.export.verify import verify

            assert verify(bag).ok
            shutil.rmtree(bag)
