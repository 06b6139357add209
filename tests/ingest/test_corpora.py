"""Public email test corpora: every message is imported or refused with a reason, and
nothing raises. Zammad's (AGPL) are read from the shared folder beside the project
when it is there, never copied into the project."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.cli import run
from tests.ingest.conftest import EMAILS

SHARED_ZAMMAD = Path(__file__).parents[3] / "shared" / "corpora" / "email" / "zammad"


KNOWN_REFUSALS = ("not an email: expected headers", "it has no readable Date or Received header")
"""The reasons a corpus message may be refused for: none of them is a crash."""


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def _import_each(db: Path, files: list[Path]) -> list[dict[str, object]]:
    result = run(db, "import", "--json", "--platform", "Generic", *map(str, files))
    assert result.exit_code in (0, 1), result.output + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    report = json.loads(result.stdout)
    messages: list[dict[str, object]] = report["messages"]
    for message in messages:
        assert message["status"] in ("imported", "refused", "present"), message
        if message["status"] == "refused":
            reason = str(message["reason"])
            assert reason.startswith(KNOWN_REFUSALS) and "\n" not in reason, message
    return messages


@pytest.mark.parametrize("corpus", ["mail-parser", "cpython"])
def test_every_message_of_a_public_corpus_is_imported_or_refused(
    tmp_path: Path, corpus: str
) -> None:
    files = _files(EMAILS / corpus)
    messages = _import_each(tmp_path / "store.sqlite3", files)
    assert len(messages) >= len(files)  # an mbox holds several
    imported = [m for m in messages if m["status"] == "imported"]
    assert len(imported) >= len(files) - 3, [m for m in messages if m["status"] == "refused"]


def test_an_outlook_msg_file_is_refused_as_not_an_email(tmp_path: Path) -> None:
    messages = _import_each(tmp_path / "s.sqlite3", [EMAILS / "mail-parser" / "mail_outlook_1"])
    assert messages[0]["status"] == "refused"
    assert str(messages[0]["reason"]).startswith("not an email")


@pytest.mark.skipif(
    not SHARED_ZAMMAD.is_dir(),
    reason="Zammad's mail tests (AGPL) are read only from ../shared/corpora/email/zammad, "
    "which is not beside this checkout",
)
def test_zammads_mail_tests_are_imported_or_refused(tmp_path: Path) -> None:
    files = _files(SHARED_ZAMMAD)
    messages = _import_each(tmp_path / "store.sqlite3", files)
    assert len(messages) == len(files)
