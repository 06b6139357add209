"""Alembic environment for recorder's store.

Run by `recorder.store.db.upgrade` with a connection in `config.attributes`, or by the
`alembic` command from this folder for development (`-x db=PATH_OR_URL`).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel

from recorder.store import models
from recorder.store.db import make_engine
from recorder.store.locations import resolve

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Render recorder's own column types as the plain SQLAlchemy types they store."""
    if type_ == "type" and isinstance(obj, models.UTCDateTime):
        return "sa.DateTime()"
    return False


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Leave out the full-text search indexes (FTS5 virtual tables and their shadow
    tables, made by migration 0010; PostgreSQL's trigram indexes, 0013): no model
    describes them."""
    return not (type_ in ("table", "index") and name is not None and name.startswith("search_"))


def _configure(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=render_item,
        include_name=include_name,
    )


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on the store named by `-x db=`."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    db = context.get_x_argument(as_dictionary=True).get("db")
    engine = make_engine(resolve(db).url)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("recorder's migrations run online only")
run_migrations_online()
