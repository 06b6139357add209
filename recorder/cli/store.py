"""`recorder locate` and `recorder db`: where the store is, and its upkeep."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import click

from recorder.cli.base import (
    access,
    cli,
    open_store_for,
    print_json,
)
from recorder.process import long_running


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
    """Write a consistent copy of the store to a new file PATH (and anchor the audit
    chain at the head the copy holds)."""
    from recorder.domain.vocabulary import AnchorKind
    from recorder.store.db import backup, chain_head_in
    from recorder.write.anchors import anchor_words, record_anchor

    with open_store_for(ctx) as store:
        backup(store.engine, path)
        with path.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        with store.write() as tx:
            anchor = record_anchor(
                tx,
                AnchorKind.backup,
                head=chain_head_in(path),
                fingerprint=digest,
                target=str(path.expanduser().absolute()),
            )
    click.echo(f"backed up to {path} (SHA-256 {digest})")
    click.echo(anchor_words(anchor))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def anchor(ctx: click.Context, as_json: bool) -> None:
    """Record the audit chain's head now and print its fingerprint, to keep outside the
    store: a history rewritten afterwards no longer holds it."""
    from recorder.domain.chain import short_fingerprint
    from recorder.domain.vocabulary import AnchorKind
    from recorder.write.anchors import anchor_words, record_anchor

    with open_store_for(ctx) as store, store.write() as tx:
        made = record_anchor(tx, AnchorKind.anchor)
    if as_json:
        print_json(
            {
                "id": made.id,
                "head": made.head,
                "events": made.events,
                "fingerprint": short_fingerprint(made.head),
            }
        )
        return
    click.echo(anchor_words(made))


@db_group.command("verify")
@click.option(
    "--anchor",
    "fingerprint",
    metavar="FINGERPRINT",
    help="A fingerprint kept outside the store (from an export, a backup or 'anchor').",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def db_verify(ctx: click.Context, fingerprint: str | None, as_json: bool) -> None:
    """Check the store: its file, the audit chain, every row against the chain's
    history, every attachment's file, and the anchors."""
    from recorder.export.store_check import check_store

    long_running()
    with open_store_for(ctx) as store:
        report = check_store(store, anchor=fingerprint)
    if as_json:
        print_json(
            {
                "ok": report.ok,
                "events": report.events,
                "head": report.head,
                "problems": report.problems,
                "rows": report.rows,
                "attachments": report.attachments,
                "anchors": report.anchors,
                "fingerprint_at_event": report.found_at,
            }
        )
    else:
        for problem in report.problems:
            click.echo(problem)
        if report.ok:
            click.echo(report.summary())
    if not report.ok:
        sys.exit(1)
