"""case contact summary: last contact, count and references kept on each case, and the
case list's order (updated_at) indexed

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 21:38:20.996987
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_contact_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("contact_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("refs", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.create_index(batch_op.f("ix_cases_updated_at"), ["updated_at"], unique=False)

    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE cases SET"
            " contact_count = (SELECT count(*) FROM contacts WHERE contacts.case_id = cases.id),"
            " last_contact_at = (SELECT max(occurred_at) FROM contacts"
            " WHERE contacts.case_id = cases.id)"
        )
    )
    refs: dict[int, list[str]] = {}
    for case_id, reference in conn.execute(
        sa.text(
            "SELECT case_id, reference FROM contacts WHERE reference IS NOT NULL"
            " ORDER BY case_id, occurred_at, id"
        )
    ):
        seen = refs.setdefault(case_id, [])
        if reference not in seen:
            seen.append(reference)
    if refs:
        conn.execute(
            sa.text("UPDATE cases SET refs = :refs WHERE id = :id"),
            [{"id": case_id, "refs": json.dumps(found)} for case_id, found in refs.items()],
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_updated_at"))
        batch_op.drop_column("refs")
        batch_op.drop_column("contact_count")
        batch_op.drop_column("last_contact_at")
