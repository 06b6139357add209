"""`recorder locate` and `recorder db`: where the store is, and its upkeep."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recorder.cli.base import (
    access,
    cli,
    open_store_for,
    print_json,
)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def locate(ctx: click.Context, as_json: bool) -> None:
    """Print where recorder keeps the store and its attachments."""
    where = access(ctx).where
    doc = {
        "data_dir": str(where.data_dir),
        "store": str(where.database) if where.database else where.url,
        "attachments": str(where.attachments),
    }
    if as_json:
        print_json(doc)
        return
    for key, value in doc.items():
        click.echo(f"{key:<12} {value}")


@cli.group("db")
def db_group() -> None:
    """Upgrade, back up and verify the store."""


@db_group.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Bring the store's schema up to date (opening it does this too)."""
    from recorder.store.db import SCHEMA_HEAD

    with open_store_for(ctx):
        pass
    click.echo(f"the store is at schema revision {SCHEMA_HEAD}")


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def db_backup(ctx: click.Context, path: Path) -> None:
    """Write a consistent copy of the store to a new file PATH."""
    from recorder.store.db import backup

    with open_store_for(ctx) as store:
        backup(store.engine, path)
    click.echo(f"backed up to {path}")


@db_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def db_verify(ctx: click.Context, as_json: bool) -> None:
    """Check the audit chain from the first event to the last."""
    from recorder.store.lookups import count_rows
    from recorder.write.audit import verify_store_chain

    with open_store_for(ctx) as store, store.read() as session:
        report = verify_store_chain(session)
        counts = count_rows(session)
    if as_json:
        print_json(
            {
                "ok": report.ok,
                "events": report.events,
                "head": report.head,
                "problems": report.problems,
                "rows": counts,
            }
        )
    else:
        for problem in report.problems:
            click.echo(problem)
        if report.ok:
            click.echo(f"OK: {report.events} audit events, head {report.head}")
    if not report.ok:
        sys.exit(1)
