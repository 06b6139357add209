"""secrets in contacts: the kinds of secret (seed phrase, private key, API secret,
2FA code, password) each contact's text and subject hold

Derived from the audited text by recorder.domain.secrets, so not audited itself, as
the duplicate keys are not. Existing contacts are scanned in the same transaction as
the migration (recorder.write.opening.prepare).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("secret_kinds", sa.JSON(), nullable=False, server_default="[]")
        )

    # A partial index, made and dropped outside the batch: the few contacts that hold
    # a secret, for `recorder scan`.
    op.create_index(
        "ix_contacts_secrets",
        "contacts",
        ["id"],
        unique=False,
        sqlite_where=sa.text("secret_kinds != '[]'"),
    )


def downgrade() -> None:
    op.drop_index("ix_contacts_secrets", table_name="contacts")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("secret_kinds")
