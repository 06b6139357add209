"""Migrations: no drift from the models, and upgrades that keep every row."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from recorder.store import db
from recorder.store.models import KEY_COLUMNS
from recorder.write.opening import open_store
from tests.helpers.stores import store_at


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(db.alembic_config())


def _revisions() -> list[str]:
    """Every revision, oldest first."""
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


def test_the_cached_head_is_alembics_head() -> None:
    assert _script().get_heads() == [db.SCHEMA_HEAD]


def test_history_is_one_line() -> None:
    script = _script()
    assert len(script.get_bases()) == 1
    for rev in script.walk_revisions():
        assert not rev.is_merge_point and not rev.is_branch_point


@pytest.fixture
def url(store_url: str) -> str:
    """The URL of the test's empty store, on its back end."""
    return store_url if "://" in store_url else f"sqlite:///{store_url}"


@pytest.mark.backends
def test_models_and_migrations_agree(url: str) -> None:
    """`alembic check`: a model changed without a migration fails here, on each back end."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    with engine.connect() as conn:
        command.check(db.alembic_config(conn))
    engine.dispose()


def _sample_value(column: sa.Column[Any], row: int) -> Any:
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return row % 2 == 0
    if isinstance(kind, sa.Integer):
        return row
    if isinstance(kind, sa.Float):
        return row + 0.5
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, row, 12, 0)
    if isinstance(kind, sa.JSON):
        return {"row": row}
    if isinstance(kind, sa.Enum):
        return kind.enums[row % len(kind.enums)]
    if isinstance(kind, sa.String | sa.Text):
        # Within the column's length, which PostgreSQL enforces and SQLite does not.
        return f"{row} {column.name} 中文"[: getattr(kind, "length", None)]
    raise AssertionError(f"no sample value for {column.table.name}.{column.name} ({kind!r})")


Filled = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def _fill(engine: sa.Engine, rows: int = 3) -> Filled:
    """Put rows into every table of the store as it is at its revision; return, per
    table, its columns then and the rows written."""
    meta = sa.MetaData()
    meta.reflect(engine)
    kept: Filled = {}
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            # The search indexes (store/search_index) are filled by triggers.
            if table.name == "alembic_version" or table.name.startswith("search_"):
                continue
            values = [
                {c.name: _sample_value(c, r) for c in table.columns} for r in range(1, rows + 1)
            ]
            conn.execute(table.insert(), values)
            kept[table.name] = (
                [c.name for c in table.columns],
                [tuple(v.values()) for v in values],
            )
    return kept


EARLIER = _revisions()[:-1]


@pytest.mark.backends
@pytest.mark.parametrize("revision", EARLIER)
def test_upgrading_from_an_earlier_revision_keeps_every_row(
    revision: str, url: str, backend: str
) -> None:
    engine = db.make_engine(url)
    db.upgrade(engine, revision)
    before = _fill(engine)
    engine.dispose()

    store = open_store(url)
    assert db.current_revision(store.engine) == db.SCHEMA_HEAD
    if backend == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        assert list(path.parent.glob(f"{path.name}.before-*.bak")), "no backup before migrating"
    meta = sa.MetaData()
    meta.reflect(store.engine)
    with store.engine.connect() as conn:
        for name, (columns, rows) in before.items():
            if name == "message_identifiers":  # an index of texts, rebuilt on upgrade
                continue
            table = meta.tables[name]
            # The key columns are derived from the others and re-derived on upgrade.
            kept = [n for n, c in enumerate(columns) if c not in KEY_COLUMNS]
            stored = conn.execute(
                sa.select(*[table.c[columns[n]] for n in kept]).order_by(*table.primary_key)
            ).all()
            # Samples are written in the order of their keys ("1 sha256", "2 sha256").
            expected = [tuple(row[n] for n in kept) for row in rows]
            assert [tuple(r) for r in stored][: len(rows)] == expected, name
    store.close()


def test_0002_sums_up_the_contacts_of_each_existing_case(tmp_path: Path) -> None:
    path = tmp_path / "at-0001.sqlite3"
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO platforms (id, name, name_key, domains, addresses, timezone, windows,"
            " notes, created_at) VALUES (1, 'P', 'p', '[]', '[]', 'UTC', '{}', '', '2026-01-01')"
        )
        for case_id in (1, 2):
            conn.exec_driver_sql(
                "INSERT INTO cases (id, platform_id, title, status, priority, created_at,"
                f" updated_at) VALUES ({case_id}, 1, 't', 'open', 'normal', '2026-01-01',"
                " '2026-01-01')"
            )
        for ref, at in [
            ("R1", "2026-01-03 10:00:00"),
            ("R0", "2026-01-02 10:00:00"),
            (None, "2026-01-04"),
            ("R1", "2026-01-05 10:00:00"),
        ]:
            conn.exec_driver_sql(
                "INSERT INTO contacts (case_id, channel, direction, occurred_at, reference,"
                " text, auto_ack, source, created_at)"
                " VALUES (1, 'email', 'outbound', ?, ?, '', 0, 'typed', ?)",
                (at, ref, at),
            )
    db.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, contact_count, last_contact_at, refs FROM cases ORDER BY id"
        ).all()
    assert rows == [
        (1, 4, "2026-01-05 10:00:00", '["R0", "R1"]'),
        (2, 0, None, "[]"),
    ]


@pytest.mark.backends
def test_a_new_store_migrates_from_nothing_and_downgrades_to_nothing(url: str) -> None:
    engine = db.make_engine(url)
    db.upgrade(engine)
    with engine.connect() as conn:
        command.downgrade(db.alembic_config(conn), "base")
        conn.commit()
    assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()


REBUILD_CONTACTS = '''
"""A test revision that rebuilds the contacts table, as SQLite batch migrations do."""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("extra", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts", recreate="always") as batch_op:
        batch_op.drop_column("extra")
'''


def test_rebuilding_a_parent_table_keeps_the_rows_that_cascade_from_it(
    tmp_path: Path, store: Any
) -> None:
    """Batch mode drops and re-creates a table: with foreign keys on, the drop would
    cascade to attachments. Migrations run with them off and checked afterwards."""
    import shutil
    from datetime import UTC

    from recorder.store.lookups import count_rows
    from recorder.write.cases import open_case
    from recorder.write.contacts import log_contact

    shot = tmp_path / "evidence.png"
    shot.write_bytes(b"evidence")
    with store.write() as tx:
        case = open_case(tx, platform="Gemini", title="Frozen account")
        log_contact(
            tx,
            case_id=case.id,
            channel="email",
            direction="outbound",
            occurred_at=datetime(2026, 11, 1, tzinfo=UTC),
            attach=[shot],
        )
    with store.read() as session:
        before = count_rows(session)
    assert before["attachments"] == 1

    migrations = tmp_path / "migrations"
    shutil.copytree(db.migrations_dir(), migrations)
    (migrations / "versions" / "9001_rebuild_contacts.py").write_text(
        REBUILD_CONTACTS.replace("{head}", db.SCHEMA_HEAD)
    )
    db.upgrade(store.engine, location=migrations)

    with store.read() as session:
        assert count_rows(session) == before
    columns = [c["name"] for c in sa.inspect(store.engine).get_columns("contacts")]
    assert "extra" in columns
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_0004_keys_of_existing_rows_are_derived_so_old_duplicates_are_found(
    tmp_path: Path,
) -> None:
    from recorder.store.models import DuplicateKind
    from recorder.write.cases import open_case
    from recorder.write.contacts import log_contact

    path = tmp_path / "at-0003.sqlite3"
    store_at(
        path,
        "0003",
        title="Coins missing",
        txid="0xABC",
        contacts=[("Where are my coins?", None)],
        channel="email",
    )

    store = open_store(str(path))
    with store.write() as tx:
        case = open_case(tx, platform="P", title="Card declined", txid="abc")
        assert case.id is not None
        log_contact(
            tx,
            case_id=case.id,
            channel="chat",
            direction="outbound",
            occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
            text="where are my  COINS?",
        )
        kinds = [(f.kind, f.earlier_case_id) for f in tx.flags]
    store.close()
    assert kinds == [(DuplicateKind.same_identifier, 1), (DuplicateKind.same_message, 1)]
