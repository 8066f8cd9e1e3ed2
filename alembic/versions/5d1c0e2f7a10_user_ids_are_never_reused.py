"""user ids are never reused

A deleted account's id must not come back for the next sign-up: audit events and
deletion records name accounts by id. PostgreSQL sequences never reuse; SQLite needs
AUTOINCREMENT, which means rebuilding the table.

Revision ID: 5d1c0e2f7a10
Revises: ae80cd32102d
Create Date: 2026-11-29 22:40:00

"""
from typing import Sequence, Union

from alembic import op

revision: str = "5d1c0e2f7a10"
down_revision: Union[str, Sequence[str], None] = "ae80cd32102d"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "user_account", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("user_account", recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass
