"""Fixtures of the import tests: the labelled emails, a store that knows the user."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import ok

EMAILS = Path(__file__).parent.parent / "data" / "email"
HELPDESKS = EMAILS / "helpdesks"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store in which the user writes from li.wei@example.org and Kraken is known."""
    path = tmp_path / "store.sqlite3"
    ok(path, "settings", "set", "my_addresses", "li.wei@example.org")
    ok(path, "platform", "add", "Kraken", "--domain", "kraken.com")
    return path
