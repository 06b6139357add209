"""duplicate flags and merges: flags, merge pointers, and the keys duplicates are found by

The keys (cases.txid_key, cases.order_key, contacts.message_key) are filled in by
recorder after the upgrade (recorder.write.opening.derive_keys), not here, so that this migration
does not depend on normalisation rules that may change later.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 15:54:24.029273
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duplicate_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "same_reference",
                "same_identifier",
                "same_message",
                "still_waiting",
                "similar_case",
                name="duplicatekind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("earlier_case_id", sa.Integer(), nullable=False),
        sa.Column("earlier_contact_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("matched", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "open", "dismissed", "confirmed", name="flagstatus", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_duplicate_flags_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_duplicate_flags_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["earlier_case_id"], ["cases.id"], name=op.f("fk_duplicate_flags_earlier_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["earlier_contact_id"],
            ["contacts.id"],
            name=op.f("fk_duplicate_flags_earlier_contact_id_contacts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_flags")),
    )
    with op.batch_alter_table("duplicate_flags", schema=None) as batch_op:
        batch_op.create_index("ix_duplicate_flags_case_status", ["case_id", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_duplicate_flags_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_duplicate_flags_earlier_case_id"), ["earlier_case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_duplicate_flags_earlier_contact_id"),
            ["earlier_contact_id"],
            unique=False,
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("txid_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
        )
        batch_op.add_column(
            sa.Column("order_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_cases_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cases_order_key"), ["order_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_txid_key"), ["txid_key"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_cases_merged_into_id_cases"), "cases", ["merged_into_id"], ["id"]
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("message_key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(sa.Column("merged_from_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_contacts_message_key"), ["message_key"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_contacts_merged_from_id_cases"), "cases", ["merged_from_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_contacts_merged_from_id_cases"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_contacts_message_key"))
        batch_op.drop_column("merged_from_id")
        batch_op.drop_column("message_key")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_cases_merged_into_id_cases"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_cases_txid_key"))
        batch_op.drop_index(batch_op.f("ix_cases_order_key"))
        batch_op.drop_index(batch_op.f("ix_cases_merged_into_id"))
        batch_op.drop_column("merged_into_id")
        batch_op.drop_column("order_key")
        batch_op.drop_column("txid_key")

    with op.batch_alter_table("duplicate_flags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_flags_earlier_contact_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_flags_earlier_case_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_flags_contact_id"))
        batch_op.drop_index("ix_duplicate_flags_case_status")

    op.drop_table("duplicate_flags")
