"""anchors of the audit chain, audit events that commit to each field's digest, large
texts stored once, and recorder's mark in the store's header

Exports, backups and `recorder anchor` record the chain's head in the new `anchors`
table (audited), so that a fingerprint kept outside the store can be checked against
it. Existing audit events keep their hashes (scheme 1); new ones are hashed over each
field's digest (scheme 2, recorder.domain.chain), and hold a large text as its digest,
the text itself staying in its row or, once superseded, in `stored_texts`. Opening the store (recorder.store.session) writes recorder's application id into
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
        sa.Column("tsa_ca", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anchors")),
    )
    op.create_table(
        "stored_texts",
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_texts")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheme", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("scheme")
    op.drop_table("stored_texts")
    op.drop_table("anchors")
