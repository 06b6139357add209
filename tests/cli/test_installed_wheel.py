"""The CLI flow as a user runs it: a subprocess of an installed wheel, not the checkout."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

# Its module fixture is built once: `make test` keeps these tests on one worker.
pytestmark = pytest.mark.xdist_group("installed_wheel")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """recorder built as a wheel and installed into a directory of its own."""
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("site")
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(ROOT)],
        check=True,
    )
    (wheel,) = dist.glob("recorder-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    return target


def recorder(
    site: Path, cwd: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "RECORDER_TZ": "Europe/London",
        "RECORDER_DATA_DIR": str(cwd / "data"),
    }
    env.pop("RECORDER_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "recorder", *args],
        cwd=cwd,
        env=env,
        input=stdin.decode() if stdin else None,
        capture_output=True,
        text=True,
    )


def test_the_wheel_carries_its_migrations(installed: Path) -> None:
    assert (installed / "recorder" / "_schema" / "env.py").is_file()
    assert list((installed / "recorder" / "_schema" / "versions").glob("0001_*.py"))
    assert (installed / "recorder" / "platforms.toml").is_file()
    assert (installed / "recorder" / "domain" / "escalation.toml").is_file()
    assert (installed / "recorder" / "_schema" / "export-v1.schema.json").is_file()


def test_the_wheel_speaks_chinese(installed: Path, tmp_path: Path) -> None:
    """The compiled catalog ships in the wheel (the build hook writes it), and the
    installed program finds it."""
    compiled = installed / "recorder" / "locale" / "zh_CN" / "LC_MESSAGES" / "recorder.mo"
    assert compiled.is_file()
    assert not list((installed / "recorder" / "locale").rglob("*.po"))  # the source stays out
    done = subprocess.run(
        [sys.executable, "-m", "recorder", "list"],
        cwd=tmp_path,
        env={
            **os.environ,
            "PYTHONPATH": str(installed),
            "RECORDER_LANG": "zh_CN",
            "RECORDER_DATA_DIR": str(tmp_path / "data"),
        },
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("没有未结案件")


def test_cli_flow_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    def ok(*args: str) -> str:
        done = recorder(installed, tmp_path, *args)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def rows() -> dict[str, int]:
        with sqlite3.connect(tmp_path / "data" / "recorder.sqlite3") as conn:
            return {
                t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("cases", "contacts", "attachments", "audit_events")
            }

    where = json.loads(ok("locate", "--json"))
    assert where["store"] == str(tmp_path / "data" / "recorder.sqlite3")
    origin = subprocess.run(
        [sys.executable, "-c", "import recorder; print(recorder.__file__)"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(installed)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert origin.startswith(str(installed))

    case = ok("case", "new", "--platform", "Gemini", "--title", "Frozen account").strip()
    proof = tmp_path / "id-check.pdf"
    proof.write_bytes(b"%PDF-1.7 proof of identity")
    contact = json.loads(
        ok(
            "log",
            "--case",
            case,
            "--channel",
            "ticket",
            "--direction",
            "out",
            "--at",
            "2026-11-20 14:05",
            "--ref",
            "4815162",
            "--text",
            "Please unfreeze",
            "--attach",
            str(proof),
            "--json",
        )
    )
    assert contact["occurred_at"] == "2026-11-20T14:05:00+00:00"
    assert contact["attachments"][0]["media_type"] == "application/pdf"
    assert json.loads(ok("list", "--json"))[0]["references"] == ["4815162"]
    assert json.loads(ok("show", case, "--json"))["contacts"][0]["text"] == "Please unfreeze"
    ok("case", "status", case, "waiting_on_support")
    assert json.loads(ok("list", "--json"))[0]["status"] == "waiting_on_support"

    before = rows()
    for args in (
        ["case", "new", "--platform", "Nowhere", "--title", "x"],
        ["case", "new", "--platform", "Gemini", "--title", ""],
        ["log", "--case", "42", "--channel", "chat", "--direction", "out"],
        ["log", "--case", case, "--channel", "carrier-pigeon", "--direction", "out"],
        ["log", "--case", case, "--channel", "chat", "--direction", "out", "--at", "whenever"],
        ["log", "--case", case, "--channel", "chat", "--direction", "out", "--attach", "nope.png"],
        ["log", "--case", case, "--channel", "chat", "--direction", "out", "--attach", "."],
    ):
        done = recorder(installed, tmp_path, *args)
        assert done.returncode == 1, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert rows() == before
    assert ok("db", "verify").startswith("OK:")

    # Evidence: exported and verified by the installed wheel, with its packaged schema.
    exported = ok("export", "--zip", str(tmp_path / "evidence.zip")).splitlines()
    assert len(exported) == 3  # no progress bar when the output is not a terminal
    fingerprint = exported[1].rsplit(" ", 1)[1]
    checked = ok("verify", "--fingerprint", fingerprint, str(tmp_path / "evidence.zip"))
    assert checked.startswith("OK: 1 cases, 1 contacts, 1 attachments")
