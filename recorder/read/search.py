"""Searching the whole record: case titles and identifiers, and every contact's
subject, text (a chat's turns are in it), reference, agent, address and attachment
names.

On SQLite the FTS5 indexes of migration 0010 answer: `*_words` (unicode61) for
words, ranked by bm25; `*_grams` (trigram) for anything else of 3 characters or more
(Chinese, pieces of TxIDs, addresses, ticket numbers). A term of 1 or 2 characters
that is not a word (`充值`, `0x`) is no trigram, and SQLite 3.40's trigram index
answers no LIKE under 3 characters: it is looked for as any of the trigrams it begins
(listed by the index's fts5vocab table; the index reads every value with two spaces
after it, so that every character begins one), or, when it begins very many, by a
scan that soon finds enough. Every term must match (AND). Elsewhere (no index)
every term is looked for by a scan.

Queries are normalised as identifiers are: NFKC (a TxID typed in full-width digits is
the same TxID), any case, and a `0x` before hex digits dropped (a TxID is found with
or without it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from recorder.domain.vocabulary import CaseStatus
from recorder.read.platforms import platform_named
from recorder.read.search_terms import Terms, found_at, fts, snippet, terms_of
from recorder.store.readers import Reader, contains, like, placeholders
from recorder.store.search_index import INDEXED, trigram_index, trigram_text
from recorder.store.times import db_time, stored_time

LIMIT = 50
"""Results shown unless asked for more."""

CONTACT_COLUMNS = INDEXED["contacts"]
CASE_COLUMNS = INDEXED["cases"]


@dataclass(frozen=True)
class Filters:
    """What narrows a search, besides its terms."""

    platform: str | None = None
    channel: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    statuses: Sequence[CaseStatus] | None = None

    @property
    def about_contacts(self) -> bool:
        """Whether they say something only a contact has (a case alone cannot match)."""
        return bool(self.channel or self.since or self.until)


@dataclass(frozen=True)
class Hit:
    """A case or a contact that matched, with a snippet of where."""

    case_id: int
    title: str
    platform: str
    status: str
    contact_id: int | None
    occurred_at: datetime | None
    channel: str | None
    snippet: str
    found_in: str = "text"

    def to_json(self) -> dict[str, Any]:
        """As `recorder search --json` prints it."""
        return {
            "case_id": self.case_id,
            "title": self.title,
            "platform": self.platform,
            "status": self.status,
            "contact_id": self.contact_id,
            "occurred_at": None if self.occurred_at is None else self.occurred_at.isoformat(),
            "channel": self.channel,
            "found_in": self.found_in,
            "snippet": self.snippet,
        }


def has_trigrams(reader: Reader) -> bool:
    """Whether the store is on PostgreSQL with the search's trigram indexes."""
    if reader.dialect != "postgresql":
        return False
    return bool(
        reader.rows(
            "SELECT 1 FROM pg_indexes WHERE indexname = :name",
            {"name": trigram_index("contacts")},
        )
    )


def has_index(reader: Reader) -> bool:
    """Whether the store has the FTS5 indexes (SQLite at revision 0010 or later)."""
    if reader.dialect != "sqlite":
        return False
    return bool(
        reader.rows(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_contacts_words'"
        )
    )


def search(
    reader: Reader, query: str, filters: Filters | None = None, *, limit: int = LIMIT
) -> list[Hit]:
    """The cases and contacts that match every term of `query`: cases whose title or
    identifiers match first, then contacts, best first (by bm25 where words were
    given, else newest first)."""
    terms = terms_of(query)
    filters = filters or Filters()
    indexed, trigrams = has_index(reader), has_trigrams(reader)
    platform = None if filters.platform is None else platform_named(reader, filters.platform).id
    scopes = (
        None if filters.about_contacts else _filter_sql(filters, platform, contacts=False),
        _filter_sql(filters, platform, contacts=True),
    )
    hits = _search(reader, terms, scopes, indexed, limit, trigrams=trigrams)
    if not hits and indexed and any(len(w) >= 3 for w in terms.words):
        # No whole word: look for the words as pieces of words ("compli", "escalat").
        pieces = tuple(w for w in terms.words if len(w) >= 3)
        rest = tuple(w for w in terms.words if len(w) < 3)
        hits = _search(reader, Terms(rest, terms.grams + pieces, terms.short), scopes, True, limit)
    return hits


Scope = tuple[list[str], dict[str, Any]]
"""The conditions that filters put on a query, and their parameters."""


def _search(
    reader: Reader,
    terms: Terms,
    scopes: tuple[Scope | None, Scope],
    indexed: bool,
    limit: int,
    *,
    trigrams: bool = False,
) -> list[Hit]:
    """Cases (unless the filters are about contacts: None), then contacts."""
    cases, contacts = scopes
    hits = [] if cases is None else _cases(reader, terms, cases, indexed, limit, trigrams)
    if len(hits) < limit:
        hits += _contacts(reader, terms, contacts, indexed, limit - len(hits), trigrams)
    return hits


def _filter_sql(filters: Filters, platform: int | None, *, contacts: bool) -> Scope:
    where: list[str] = []
    params: dict[str, Any] = {}
    if platform is not None:
        where.append("cases.platform_id = :platform")
        params["platform"] = platform
    if filters.statuses is not None:
        listed, bound = placeholders("status", [s.value for s in filters.statuses])
        where.append(f"cases.status IN ({listed})" if bound else "0 = 1")
        params.update(bound)
    if contacts and filters.channel is not None:
        where.append("contacts.channel = :channel")
        params["channel"] = filters.channel
    if contacts and filters.since is not None:
        where.append("contacts.occurred_at >= :since")
        params["since"] = db_time(filters.since)
    if contacts and filters.until is not None:
        where.append("contacts.occurred_at <= :until")
        params["until"] = db_time(filters.until)
    return where, params


def _term_sql(
    reader: Reader,
    table: str,
    columns: Sequence[str],
    terms: Terms,
    indexed: bool,
    params: dict[str, Any],
    trigrams: bool = False,
) -> tuple[str | None, list[str]]:
    """The index to drive the query from (None: a scan), and the conditions for the
    terms it does not cover."""
    where: list[str] = []
    driver = None
    scanned: list[str] = []
    grams = [fts(g) for g in terms.grams] if indexed else []
    for term in terms.short:
        begun = _trigrams_begun_by(reader, table, term) if indexed else None
        if begun is None:
            scanned.append(term)
        elif begun:
            grams.append("(" + " OR ".join(fts(t) for t in begun) + ")")
        else:  # in no text of the table
            where.append(NOTHING)
    if indexed and terms.words:
        driver = f"search_{table}_words"
        params["words"] = " AND ".join(fts(w) for w in terms.words)
    elif not indexed:
        scanned += terms.words + terms.grams
    if grams:
        params["grams"] = " AND ".join(grams)
        if driver is None:
            driver = f"search_{table}_grams"
        else:
            where.append(
                f"{table}.id IN (SELECT rowid FROM search_{table}_grams "
                f"WHERE search_{table}_grams MATCH :grams)"
            )
    op = like(reader)
    for n, term in enumerate(scanned):
        params[f"like{n}"] = contains(term)
        if trigrams:
            # One condition on the texts as the trigram index holds them (the files'
            # names are looked up apart, as with FTS5: see _contacts).
            where.append(f"({trigram_text(table, table)}) ILIKE :like{n} ESCAPE '\\'")
            continue
        anywhere = " OR ".join(f"{table}.{c} {op} :like{n} ESCAPE '\\'" for c in columns)
        if table == "contacts":
            anywhere += (
                f" OR EXISTS (SELECT 1 FROM attachments WHERE attachments.contact_id = "
                f"contacts.id AND attachments.name {op} :like{n} ESCAPE '\\')"
            )
        where.append(f"({anywhere})")
    return driver, where


NOTHING = "0 = 1"
"""The condition of a term that is in no text of a table: its query is not run."""
BEGUN = 100
"""At most this many trigrams begun by a short term are looked up in the index; a term
that begins more is common, and a scan (newest first) soon finds enough of it."""


def _trigrams_begun_by(reader: Reader, table: str, term: str) -> list[str] | None:
    """The trigrams of `table`'s index that begin with a term of 1 or 2 characters: every
    value that holds the term has one of them (the index reads each value with a TAIL
    after it). None when the term is better scanned for: it begins more than BEGUN, or
    has a letter whose case the index may fold otherwise than Python."""
    if not all(c.isascii() or c.lower() == c.upper() for c in term):
        return None
    low = term.lower()
    rows = reader.rows(
        f"SELECT term FROM search_{table}_grams_terms WHERE term >= :low AND term < :high"
        f" LIMIT {BEGUN + 1}",
        {"low": low, "high": low + "\U0010ffff"},
    )
    return None if len(rows) > BEGUN else [str(r[0]) for r in rows]


RANKED = 2000
"""How many of the newest matches are ranked (bm25) for the best to come first: ranking
every match of a common word (60,000 of them in the bench store) takes 200 ms, the
newest 2,000 under 10."""


def _ranked_ids(
    reader: Reader,
    table: str,
    driver: str | None,
    joins: str,
    where: list[str],
    params: dict[str, Any],
    limit: int,
) -> list[int]:
    """The ids of the rows that match, best first: for words, among the newest RANKED
    matches, by bm25; for pieces of words, and without an index, newest first (a scan
    stops at `limit`)."""
    if NOTHING in where:
        return []
    if driver is None:
        sql = (
            f"SELECT {table}.id FROM {table} {joins} WHERE {' AND '.join(where) or '1 = 1'} "
            f"ORDER BY {table}.id DESC LIMIT {int(limit)}"
        )
        return [int(r[0]) for r in reader.rows(sql, params)]
    words = driver.endswith("words")
    match = f"{driver} MATCH :{'words' if words else 'grams'}"
    if not words:
        # Pieces (Chinese, TxIDs) newest first: bm25 of a trigram phrase first counts
        # every row that holds it (12 ms for a common Chinese word in the bench store),
        # and says little about a piece of a hash.
        sql = (
            f"SELECT {table}.id FROM {driver} JOIN {table} ON {table}.id = {driver}.rowid "
            f"{joins} WHERE {' AND '.join([match, *where])} "
            f"ORDER BY {driver}.rowid DESC LIMIT {int(limit)}"
        )
        return [int(r[0]) for r in reader.rows(sql, params)]
    if where:  # the table's rows are needed for the other conditions
        newest = (
            f"SELECT {table}.id AS id, {driver}.rank AS score FROM {driver} "
            f"JOIN {table} ON {table}.id = {driver}.rowid {joins} "
            f"WHERE {match} AND {' AND '.join(where)} "
            f"ORDER BY {driver}.rowid DESC LIMIT {RANKED}"
        )
    else:
        newest = (
            f"SELECT rowid AS id, rank AS score FROM {driver} WHERE {match} "
            f"ORDER BY rowid DESC LIMIT {RANKED}"
        )
    sql = f"SELECT id FROM ({newest}) ORDER BY score, id DESC LIMIT {int(limit)}"
    return [int(r[0]) for r in reader.rows(sql, params)]


def _in_order(rows: Sequence[Sequence[Any]], ids: list[int]) -> list[Sequence[Any]]:
    """Rows (their id first) in the order of `ids`."""
    by_id = {int(r[0]): r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def _cases(
    reader: Reader, terms: Terms, scope: Scope, indexed: bool, limit: int, trigrams: bool
) -> list[Hit]:
    where, params = list(scope[0]), dict(scope[1])
    driver, conditions = _term_sql(reader, "cases", CASE_COLUMNS, terms, indexed, params, trigrams)
    ids = _ranked_ids(reader, "cases", driver, "", where + conditions, params, limit)
    if not ids:
        return []
    listed, bound = placeholders("id", ids)
    rows = reader.rows(
        "SELECT cases.id, cases.title, platforms.name, cases.status, cases.txid,"
        " cases.order_number, cases.account_email, cases.amount FROM cases"
        f" JOIN platforms ON platforms.id = cases.platform_id WHERE cases.id IN ({listed})",
        bound,
    )
    hits = []
    for case_id, title, platform, status, *identifiers in _in_order(rows, ids):
        where_found, text = "title", title
        for name, value in zip(CASE_COLUMNS[1:], identifiers, strict=True):
            if value and found_at(value, terms) >= 0 and found_at(title, terms) < 0:
                where_found, text = name, value
        shown = snippet(text, terms)
        hits.append(Hit(case_id, title, platform, status, None, None, None, shown, where_found))
    return hits


def _contacts(
    reader: Reader, terms: Terms, scope: Scope, indexed: bool, limit: int, trigrams: bool
) -> list[Hit]:
    where, params = list(scope[0]), dict(scope[1])
    driver, conditions = _term_sql(
        reader, "contacts", CONTACT_COLUMNS, terms, indexed, params, trigrams
    )
    joins = "JOIN cases ON cases.id = contacts.case_id" if where else ""
    ids = _ranked_ids(reader, "contacts", driver, joins, where + conditions, params, limit)
    if (indexed or trigrams) and len(ids) < limit:
        # The indexes hold the texts, not the names of attached files: those are few
        # and short, and read here.
        named = _named_in_attachments(reader, terms, where, params, limit - len(ids))
        ids += [i for i in named if i not in ids]
    if not ids:
        return []
    listed, bound = placeholders("id", ids)
    rows = reader.rows(
        "SELECT contacts.id, contacts.case_id, cases.title, platforms.name, cases.status,"
        " contacts.occurred_at, contacts.channel, contacts.subject, contacts.text,"
        " contacts.reference, contacts.agent, contacts.address FROM contacts"
        " JOIN cases ON cases.id = contacts.case_id"
        " JOIN platforms ON platforms.id = cases.platform_id"
        f" WHERE contacts.id IN ({listed})",
        bound,
    )
    hits = []
    for contact_id, case_id, title, platform, status, occurred, channel, *fields in _in_order(
        rows, ids
    ):
        found_in, text = "attachment", ""
        for name, value in zip(CONTACT_COLUMNS, fields, strict=True):
            if value and found_at(value, terms) >= 0:
                found_in, text = name, value
                break
        if found_in == "attachment":
            text = _attachment_names(reader, contact_id)
        hits.append(
            Hit(
                case_id,
                title,
                platform,
                status,
                contact_id,
                stored_time(occurred),
                channel,
                snippet(text, terms),
                found_in,
            )
        )
    return hits


def _named_in_attachments(
    reader: Reader, terms: Terms, where: list[str], params: dict[str, Any], limit: int
) -> list[int]:
    """The contacts (newest first) with an attached file whose name holds every term."""
    named = dict(params)
    conditions = list(where)
    for n, term in enumerate(terms.all):
        named[f"file{n}"] = contains(term)
        conditions.append(f"attachments.name {like(reader)} :file{n} ESCAPE '\\'")
    # CROSS JOIN: SQLite takes the files first (few, short names), whatever its
    # statistics say; with none for an empty table it would read every contact.
    # (PostgreSQL's CROSS JOIN takes no ON; its planner needs no such hint.)
    join = "CROSS JOIN" if reader.dialect == "sqlite" else "JOIN"
    rows = reader.rows(
        "SELECT DISTINCT contacts.id FROM attachments"
        f" {join} contacts ON contacts.id = attachments.contact_id"
        f" {join} cases ON cases.id = contacts.case_id"
        f" WHERE {' AND '.join(conditions)} ORDER BY contacts.id DESC LIMIT {int(limit)}",
        named,
    )
    return [int(r[0]) for r in rows]


def _attachment_names(reader: Reader, contact_id: int) -> str:
    rows = reader.rows(
        "SELECT name FROM attachments WHERE contact_id = :id ORDER BY id", {"id": contact_id}
    )
    return ", ".join(str(r[0]) for r in rows)


def case_ids(reader: Reader, query: str) -> list[int]:
    """Every case that matches `query` (its title or identifiers, or any of its
    contacts), in id order: what `export --query` exports."""
    terms = terms_of(query)
    indexed, trigrams = has_index(reader), has_trigrams(reader)
    found: set[int] = set()
    for table, columns, selected in (
        ("cases", CASE_COLUMNS, "cases.id"),
        ("contacts", CONTACT_COLUMNS, "contacts.case_id"),
    ):
        params: dict[str, Any] = {}
        driver, where = _term_sql(reader, table, columns, terms, indexed, params, trigrams)
        source = table
        if driver is not None:
            where.append(f"{driver} MATCH :{'words' if driver.endswith('words') else 'grams'}")
            source = f"{driver} JOIN {table} ON {table}.id = {driver}.rowid"
        rows = reader.rows(
            f"SELECT DISTINCT {selected} FROM {source} WHERE {' AND '.join(where) or '1 = 1'}",
            params,
        )
        found.update(int(r[0]) for r in rows)
    return sorted(found)
