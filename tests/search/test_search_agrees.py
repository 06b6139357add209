"""Search through the indexes finds exactly what reading every text finds.

Texts made of a few Chinese characters, digits, letters, spaces and a stop, of every
length from nothing to a dozen characters, so that terms stand at the start, in the
middle, at the end of a value and as the whole of it; terms of one to four of those
characters. A term of 1 or 2 characters is looked for through the trigrams it begins
(or, when it begins very many, by a scan), a longer one through the trigram index:
either way, the contacts found are the ones whose words hold the term.
"""

from __future__ import annotations

import os
import random
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest.mock import patch

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.domain.clock import FixedClock
from recorder.read import search as search_module
from recorder.read.search import BEGUN, search
from recorder.read.search_terms import terms_of
from recorder.store.readers import SqliteReader
from recorder.store.session import AlchemyReader
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from recorder.write.opening import open_store
from tests.helpers.postgres import Server

ALPHABET = "提现到账冻结12aZ ."
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TEXTS = 60
TERM_ALPHABET = ALPHABET.replace(" ", "") + "Az"
"""Terms' characters: the texts' ones, and their letters in the other case."""


def _texts() -> list[tuple[str, str | None]]:
    rng = random.Random(16)
    made = []
    for _ in range(TEXTS):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))).strip() or "现"
        subject = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 4))).strip()
        made.append((text, subject or None))
    return made


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[int, str]]]:
    """A store of TEXTS contacts; each contact's words (subject and text) by id."""
    path = tmp_path_factory.mktemp("agrees") / "s.sqlite3"
    words = _fill(str(path))
    yield path, words


@pytest.fixture(scope="module")
def server_store(postgres: Server) -> Iterator[tuple[str, dict[int, str]]]:
    """The same contacts in a PostgreSQL database (its trigram indexes where the server
    has pg_trgm)."""
    url = postgres.new_database()
    words = _fill(url)
    yield url, words
    postgres.drop_database(url)


def _fill(where: str) -> dict[int, str]:
    opened = open_store(where, clock=FixedClock(NOW))
    words: dict[int, str] = {}
    with opened.write() as tx:
        case = open_case(tx, platform="Gemini", title="Case")
        assert case.id is not None
        for n, (text, subject) in enumerate(_texts()):
            contact = log_contact(
                tx,
                case_id=case.id,
                channel="chat",
                direction="outbound",
                occurred_at=NOW - timedelta(minutes=TEXTS - n),
                text=text,
                subject=subject,
            )
            assert contact.id is not None
            words[contact.id] = f"{subject or ''}\n{text}"
    opened.close()
    return words


def _term(raw: str) -> bool:
    """A term the search takes as one piece (a term of letters alone is a whole word)."""
    if not raw.strip() or " " in raw:
        return False
    terms = terms_of(raw)
    return not terms.words and len(terms.all) == 1 and terms.all[0] == raw


@settings(max_examples=int(os.environ.get("RECORDER_FUZZ", "150")), deadline=None)
@given(
    term=st.text(alphabet=TERM_ALPHABET, min_size=1, max_size=4).filter(_term),
    begun=st.sampled_from([3, BEGUN]),
)
def test_search_finds_what_reading_every_text_finds(
    store: tuple[Path, dict[int, str]], term: str, begun: int
) -> None:
    """`begun`: past how many trigrams a short term is scanned for (3: most are)."""
    path, words = store
    with sqlite3.connect(path) as conn, patch.object(search_module, "BEGUN", begun):
        hits = search(SqliteReader(conn), term, limit=1000)
    found = {h.contact_id for h in hits if h.contact_id is not None}
    expected = {i for i, said in words.items() if term.casefold() in said.casefold()}
    assert found == expected, (term, sorted(found ^ expected))


@settings(max_examples=int(os.environ.get("RECORDER_FUZZ", "150")) // 3, deadline=None)
@given(term=st.text(alphabet=TERM_ALPHABET, min_size=1, max_size=4).filter(_term))
def test_on_a_server_search_finds_what_reading_every_text_finds(
    server_store: tuple[str, dict[int, str]], term: str
) -> None:
    url, words = server_store
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            hits = search(AlchemyReader(conn), term, limit=1000)
    finally:
        engine.dispose()
    found = {h.contact_id for h in hits if h.contact_id is not None}
    expected = {i for i, said in words.items() if term.casefold() in said.casefold()}
    assert found == expected, (term, sorted(found ^ expected))
