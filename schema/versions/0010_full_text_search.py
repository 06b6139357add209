"""full-text search: SQLite FTS5 indexes over cases and contacts, kept in step by
triggers (recorder.store.search_index), filled from the rows already there

SQLite only: another database searches without them (recorder.read.search).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

from alembic import op

# The statements live with the store, which also makes them for a new store: a later
# migration that rebuilds cases or contacts makes the triggers again from there.
from recorder.store.search_index import INDEXED, TOKENIZERS, drop_statements, index_statements

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in INDEXED:
            for kind in TOKENIZERS:
                # As this revision made them: 0011 adds the trigram indexes' TAIL.
                for statement in index_statements(table, kind, tail=False):
                    op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in drop_statements():
            op.execute(statement)
