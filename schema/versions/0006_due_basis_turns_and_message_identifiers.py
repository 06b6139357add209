"""due basis, conversation turns and identifiers in messages: where a contact's due
time comes from, a chat's turns, and an index of the identifiers named in texts

Existing contacts keep their due times until the store is next opened, when the
back-fill (recorder.write.opening) counts them again with their basis and indexes the
identifiers in their texts; that is also where Gemini, chartered in New York, moves to
the "US-NY" ladder (audited, as every change to a record is).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_basis", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch_op.add_column(
            sa.Column("due_window", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
        )
        batch_op.add_column(sa.Column("turns", sa.JSON(), nullable=False, server_default="[]"))
    op.create_table(
        "message_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contacts.id"],
            name=op.f("fk_message_identifiers_contact_id_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_identifiers")),
    )
    with op.batch_alter_table("message_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_identifiers_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_message_identifiers_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("message_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_identifiers_key"))
        batch_op.drop_index(batch_op.f("ix_message_identifiers_contact_id"))
    op.drop_table("message_identifiers")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("turns")
        batch_op.drop_column("due_window")
        batch_op.drop_column("due_basis")
