"""stores several people keep: attachments in the database (blob_chunks holds each
content in chunks of 1 MiB under its SHA-256; empty in a SQLite store, whose files stay
beside it), the member who made each change in its audit event (events from before
have none; their hashes, scheme 1 or 2, do not cover it), and on PostgreSQL the
search's trigram indexes where the server has pg_trgm

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from recorder.store.db import make_trigram_indexes
from recorder.store.search_index import INDEXED, trigram_index

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blob_chunks",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "n", name=op.f("pk_blob_chunks")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member", sa.String(length=100), nullable=True))
    # PostgreSQL: the search's trigram indexes, where the server has pg_trgm.
    make_trigram_indexes(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in INDEXED:
            op.execute(f"DROP INDEX IF EXISTS {trigram_index(table)}")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("member")
    op.drop_table("blob_chunks")
