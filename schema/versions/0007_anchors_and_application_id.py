"""anchors of the audit chain, and recorder's mark in the store's header

Exports, backups and `recorder anchor` record the chain's head in the new `anchors`
table (audited), so that a fingerprint kept outside the store can be checked against
it. Opening the store (recorder.store.session) writes recorder's application id into
SQLite's header; the back-fill of recorder.write.opening repairs what a store
interrupted in an older recorder may lack (presets, duplicate keys, due times).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 20:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("export", "backup", "anchor", name="anchorkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("head", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("target", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("tsa_url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("tsa_token", sa.Text(), nullable=True),
        sa.Column("tsa_time", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anchors")),
    )


def downgrade() -> None:
    op.drop_table("anchors")
