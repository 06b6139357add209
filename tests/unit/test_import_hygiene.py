"""The core runs without the TUI, and the everyday CLI path loads only what it needs."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import recorder

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(recorder.__path__, "recorder.")
    if not m.name.startswith("recorder.tui") and m.name != "recorder.__main__"
)


def _loaded_after(code: str, *, whole: bool = False) -> set[str]:
    """The modules loaded by running `code` in a fresh interpreter: their top-level
    packages, or (`whole`) their full names."""
    names = "sys.modules" if whole else "{m.split('.')[0] for m in sys.modules}"
    probe = f"import sys\n{code}\nprint('\\n'.join(sorted({names})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_there_is_a_core_to_check() -> None:
    assert {
        "recorder.cli",
        "recorder.write.entries",
        "recorder.store.session",
        "recorder.store.models",
    } <= set(CORE)


def test_the_core_never_imports_textual() -> None:
    loaded = _loaded_after("\n".join(f"import {name}" for name in CORE))
    assert "textual" not in loaded


def _store_with_a_case(tmp_path: Path) -> tuple[Path, str]:
    """A current store, made by the command line, with one case; and the case's id."""
    db = tmp_path / "s.sqlite3"
    new_case = ["case", "new", "--platform", "gemini", "--title", "t"]
    made = subprocess.run(
        [sys.executable, "-m", "recorder", "--db", str(db), *new_case],
        capture_output=True,
        text=True,
        check=True,
    )
    return db, made.stdout.strip()


def _loaded_by_command(db: Path, *args: str, whole: bool = False) -> set[str]:
    """The modules (top-level, or `whole` names) loaded by running one command in a
    fresh interpreter."""
    return _loaded_after(
        "from recorder.cli import cli\n"
        "try:\n"
        f"    cli.main(['--db', {str(db)!r}, *{list(args)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code",
        whole=whole,
    )


def test_logging_a_contact_on_a_current_store_loads_no_heavy_extras(tmp_path: Path) -> None:
    db, case = _store_with_a_case(tmp_path)
    modules = _loaded_by_command(
        db, "log", "--case", case, "--channel", "chat", "--direction", "out", "--text", "hi",
        whole=True,
    )  # fmt: skip
    loaded = modules | {name.split(".")[0] for name in modules}
    assert "sqlmodel" in loaded  # the probe did run the command
    heavy = {"alembic", "textual", "rich", "rapidfuzz", "mako", "holidays"}
    mail = {"inscriptis", "lxml", "imapclient", "keyring"}  # the importers' extras
    # A server dialect (an index naming postgresql_where loads it) and the BIP-39
    # package (the scanner reads its word list as a file) are not needed either.
    other = {"sqlalchemy.dialects.postgresql", "mnemonic"}
    assert not loaded & (heavy | mail | other)


def test_listing_a_current_sqlite_store_never_imports_sqlalchemy(tmp_path: Path) -> None:
    """Importing SQLAlchemy alone takes longer than `recorder list` may (bench/bench_cli.py)."""
    db, case = _store_with_a_case(tmp_path)
    for command in (
        ["list", "--json"],
        ["show", case, "--json"],
        ["platform", "list"],
        ["due", "--json"],
    ):
        loaded = _loaded_by_command(db, *command)
        assert "recorder" in loaded
        assert not loaded & {"sqlalchemy", "sqlmodel", "pydantic", "alembic", "holidays"}, command
