"""The full-text search indexes of a SQLite store (FTS5), and the triggers that keep
them in step with the rows whatever writes them.

Each searched table has two "external content" indexes: they keep no second copy of
the text, only its tokens. `search_<table>_words` (unicode61: words in any case,
diacritics folded) is for ranked word search; `search_<table>_grams` (trigram: any
fragment of 3 characters or more) is for Chinese and for pieces of TxIDs, addresses
and ticket numbers. recorder.read.search queries them.

A new store gets them with the tables (`SQLModel.metadata.create_all`, see
store/models.py); an existing one from migration 0010. This module imports nothing:
the read side (recorder.read.search) names the columns from it. A migration that
rebuilds `cases` or `contacts` (a SQLite batch migration does) drops their triggers
and must make them again from here; tests/search/test_search.py checks that a store
at head has every one.
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


def index_names() -> list[str]:
    """Every index's name."""
    return [f"search_{table}_{kind}" for table in INDEXED for kind in TOKENIZERS]


def create_statements() -> list[str]:
    """The indexes, filled from the rows already there, and their triggers."""
    statements = []
    for table, columns in INDEXED.items():
        names = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        for kind, tokenizer in TOKENIZERS.items():
            index = f"search_{table}_{kind}"
            remove = (
                f"INSERT INTO {index}({index}, rowid, {names}) VALUES ('delete', old.id, {old});"
            )
            add = f"INSERT INTO {index}(rowid, {names}) VALUES (new.id, {new});"
            statements += [
                f"CREATE VIRTUAL TABLE {index} USING fts5({names}, content='{table}', "
                f"content_rowid='id', tokenize='{tokenizer}')",
                f"INSERT INTO {index}({index}) VALUES ('rebuild')",
                f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {add} END",
                f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove} END",
                f"CREATE TRIGGER {index}_update AFTER UPDATE OF {names} ON {table} "
                f"BEGIN {remove} {add} END",
            ]
    return statements


def drop_statements() -> list[str]:
    """The triggers and the indexes, gone."""
    statements = []
    for index in index_names():
        statements += [f"DROP TRIGGER IF EXISTS {index}_{event}" for event in EVENTS]
        statements.append(f"DROP TABLE IF EXISTS {index}")
    return statements
