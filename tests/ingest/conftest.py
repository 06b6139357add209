"""Fixtures of the import tests: the labelled emails, a store that knows the user."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import ok

EMAILS = Path(__file__).parent.parent / "data" / "email"
HELPDESKS = EMAILS / "helpdesks"


@pytest.fixture
def db(store_url: str) -> str:
    """A store in which the user writes from li.wei@example.org and Kraken is known (a
    SQLite file, or a PostgreSQL database where the test runs on every back end)."""
    ok(store_url, "settings", "set", "my_addresses", "li.wei@example.org")
    ok(store_url, "platform", "add", "Kraken", "--domain", "kraken.com")
    return store_url
