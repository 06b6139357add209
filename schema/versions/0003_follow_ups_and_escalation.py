"""follow ups and escalation: due times, follow-ups, jurisdictions, business calendars

The values are derived by recorder after the upgrade (recorder.write.opening.derive_all), not here,
so that this migration does not depend on rules that may change later.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 22:11:55.715232
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_follow_up_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_contact_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("unanswered", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("complaint_at", sa.DateTime(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_cases_next_follow_up_at"), ["next_follow_up_at"], unique=False
        )

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_by", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("platforms", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("jurisdiction", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True)
        )
        batch_op.add_column(
            sa.Column("closed_dates", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("holiday_dates", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("platforms", schema=None) as batch_op:
        batch_op.drop_column("holiday_dates")
        batch_op.drop_column("closed_dates")
        batch_op.drop_column("jurisdiction")

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("follow_up_at")
        batch_op.drop_column("expected_by")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_next_follow_up_at"))
        batch_op.drop_column("complaint_at")
        batch_op.drop_column("unanswered")
        batch_op.drop_column("follow_up_contact_id")
        batch_op.drop_column("next_follow_up_at")
