"""The full-text search indexes of a SQLite store (FTS5), and the triggers that keep
them in step with the rows whatever writes them.

Each searched table has two indexes that keep no second copy of the text, only its
tokens (an "external content" one for words, a contentless one for trigrams).
`search_<table>_words` (unicode61: words in any case, diacritics folded) is for ranked
word search; `search_<table>_grams` (trigram: any fragment of 3 characters or more)
is for Chinese and for pieces of TxIDs, addresses and ticket numbers.
recorder.read.search queries them.

A new store gets them with the tables (`SQLModel.metadata.create_all`, see
store/models.py); an existing one from migrations 0010 and 0011. This module imports
nothing: the read side (recorder.read.search) names the columns from it. A migration
that rebuilds `cases` or `contacts` (a SQLite batch migration does) drops their
triggers and must make them again from here; tests/search/test_search.py checks that
a store at head has every one.
"""

from __future__ import annotations

INDEXED = {
    "cases": ("title", "txid", "order_number", "account_email", "amount"),
    "contacts": ("subject", "text", "reference", "agent", "address"),
}
"""The columns searched, per table."""
TOKENIZERS = {"words": "unicode61 remove_diacritics 2", "grams": "trigram"}
"""Each index's tokenizer."""
EVENTS = ("insert", "delete", "update")
TAIL = "  "
"""What the trigram indexes read after each value: with it every character of a value
begins a trigram, so that a term of 1 or 2 characters is found from the trigrams it
begins (`search_<table>_grams_terms`, an fts5vocab table), even at a value's end.
No term holds a space, so none matches across it."""


def index_names() -> list[str]:
    """Every index's name."""
    return [f"search_{table}_{kind}" for table in INDEXED for kind in TOKENIZERS]


def create_statements() -> list[str]:
    """The indexes, filled from the rows already there, and their triggers."""
    return [s for table in INDEXED for kind in TOKENIZERS for s in index_statements(table, kind)]


def index_statements(table: str, kind: str, *, tail: bool = True) -> list[str]:
    """One index, filled from the rows already there, and its triggers.

    A words index reads its table (external content). A trigram index is contentless:
    it is given each value with TAIL after it, by the triggers and when it is filled,
    and has a table of its terms beside it. (Not a view of the table with the tails:
    SQLite then refuses to rename a table rebuilt under the view's name, which is how
    a batch migration changes a table.) `tail=False` makes a trigram index as migration
    0010 did: external content, no tails, no terms table."""
    columns = INDEXED[table]
    index = f"search_{table}_{kind}"
    grams = kind == "grams" and tail
    names = ", ".join(columns)

    def values(row: str) -> str:
        return ", ".join(f"{row}.{c} || '{TAIL}'" if grams else f"{row}.{c}" for c in columns)

    remove = (
        f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {values('old')});"
    )
    add = f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {values('new')});"
    if grams:
        content = "content=''"
        fill = f"INSERT INTO {index}(rowid, {names}) SELECT id, {values(table)} FROM {table}"
    else:
        content = f"content='{table}', content_rowid='id'"
        fill = f"INSERT INTO {index}({index}) VALUES ('rebuild')"
    statements = [
        f"CREATE VIRTUAL TABLE {index} USING fts5({names}, {content}, "
        f"tokenize='{TOKENIZERS[kind]}')",
        fill,
        f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} "
        f"BEGIN {remove} {add} END",
    ]
    if grams:
        statements.append(f"CREATE VIRTUAL TABLE {index}_terms USING fts5vocab({index}, 'row')")
    return statements


def drop_statements(table: str | None = None, kind: str | None = None) -> list[str]:
    """The triggers, the indexes and what stands beside them, gone: every index's, or
    one's."""
    statements = []
    for each in INDEXED if table is None else [table]:
        for which in TOKENIZERS if kind is None else [kind]:
            index = f"search_{each}_{which}"
            statements += [f"DROP TRIGGER IF EXISTS {index}_{event}" for event in EVENTS]
            statements += [f"DROP TABLE IF EXISTS {index}_terms", f"DROP TABLE IF EXISTS {index}"]
    return statements


def trigram_text(table: str, row: str | None = None) -> str:
    """On PostgreSQL, a table's searched columns as one text, the expression its
    trigram index holds (`row`: the name the query gives the table). Values are joined
    by a space, which no search term holds: no term matches across two of them."""
    prefix = f"{row}." if row else ""
    return " || ' ' || ".join(f"coalesce({prefix}{c}, '')" for c in INDEXED[table])


def trigram_index(table: str) -> str:
    """The name of a table's trigram index on PostgreSQL."""
    return f"search_{table}_trgm"


def trigram_statements() -> list[str]:
    """PostgreSQL's trigram indexes (pg_trgm, GIN), which serve `ILIKE '%term%'` for
    any term of 3 characters or more (Chinese too where the database's locale counts
    its characters as letters: a UTF-8 locale, not "C"); made where the server has the
    extension (recorder.store.db)."""
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f"CREATE INDEX IF NOT EXISTS {trigram_index(table)} ON {table} "
        f"USING gin (({trigram_text(table)}) gin_trgm_ops)"
        for table in INDEXED
    ]
