"""senders, acknowledgements and status: who an inbound message is from, why it was taken
for an automatic acknowledgement, and when the user last set a case's status by hand

Existing contacts get no sender findings (they were logged before any check) and
existing cases no time of a status set by hand: their status stays as it is until
the next contact is logged.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:37:19.040291
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status_set_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "auto_ack_reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("sender_findings", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("sender_trusted", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("sender_trusted")
        batch_op.drop_column("sender_findings")
        batch_op.drop_column("auto_ack_reason")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("status_set_at")
