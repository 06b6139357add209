"""trigram indexes read each value with a TAIL after it, and have their terms listed
(fts5vocab), so that a term of 1 or 2 characters is found from the index

SQLite only, as 0010. The trigram indexes are made again and filled from the rows.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 07:00:00
"""

from collections.abc import Sequence

from alembic import op

from recorder.store.search_index import INDEXED, drop_statements, index_statements

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    _remake(tail=True)


def downgrade() -> None:
    _remake(tail=False)


def _remake(*, tail: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in INDEXED:
        for statement in drop_statements(table, "grams") + index_statements(
            table, "grams", tail=tail
        ):
            op.execute(statement)
