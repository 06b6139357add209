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
from recorder.domain.i18n import N_, _
from recorder.domain.printable import cells, fit
from recorder.process import long_running


@cli.command()
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def locate(ctx: click.Context, as_json: bool) -> None:
    """Print where recorder keeps the store and its attachments."""
    where = access(ctx).where
    doc = {
        "data_dir": str(where.data_dir),
        "store": where.shown,
        "attachments": str(where.attachments) if where.database else _("in the store's database"),
    }
    if as_json:
        print_json(doc)
        return
    labels = {"data_dir": N_("data"), "store": N_("store"), "attachments": N_("attachments")}
    width = max(12, *(cells(_(label)) + 1 for label in labels.values()))
    for key, value in doc.items():
        click.echo(f"{fit(_(labels.get(key, key)), width)} {value}")


@cli.group("db")
def db_group() -> None:
    """Upgrade, compact, back up and verify the store."""


@db_group.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Bring the store's schema up to date (opening it does this too)."""
    from recorder.store.db import SCHEMA_HEAD

    with open_store_for(ctx):
        pass
    click.echo(_("the store is at schema revision {head}").format(head=SCHEMA_HEAD))


@db_group.command("compact")
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def db_compact(ctx: click.Context, as_json: bool) -> None:
    """Give the store's free space back to the disk (SQLite). The store is rewritten
    whole: it needs as much free disk as it takes, and other recorders must be closed.
    No free page keeps anything a deletion or a redaction removed."""
    long_running()
    with open_store_for(ctx) as store:
        before, after = store.compact()
    if as_json:
        print_json({"bytes_before": before, "bytes_after": after})
        return
    mb = 1024 * 1024
    click.echo(
        _("compacted: {before:,.1f} MB -> {after:,.1f} MB").format(
            before=before / mb, after=after / mb
        )
    )


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def db_backup(ctx: click.Context, path: Path) -> None:
    """Write a consistent copy of the store to a new file PATH (and anchor the audit
    chain at the head the copy holds)."""
    from recorder.domain.vocabulary import AnchorKind
    from recorder.store.sqlite_files import backup, chain_head_in
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
    click.echo(_("backed up to {path} (SHA-256 {digest})").format(path=path, digest=digest))
    click.echo(anchor_words(anchor))


@cli.command()
@click.option("--tsa", "tsa_url", metavar="URL", help=N_("Have a time-stamping authority sign it."))
@click.option(
    "--tsa-ca",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("The authority's CA certificate (PEM), to check its signature."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def anchor(ctx: click.Context, tsa_url: str | None, tsa_ca: Path | None, as_json: bool) -> None:
    """Record the audit chain's head now and print its fingerprint, to keep outside the
    store: a history rewritten afterwards no longer holds it.

    With --tsa, an RFC 3161 time-stamping authority signs the head with its time, and
    the token is kept in the store and in later exports.
    """
    from recorder.domain.chain import short_fingerprint
    from recorder.domain.vocabulary import AnchorKind
    from recorder.write.anchors import Timestamp, anchor_words, chain_head, record_anchor

    if tsa_ca is not None and tsa_url is None:
        raise click.UsageError(_("--tsa-ca checks a timestamp: give --tsa URL too"))
    with open_store_for(ctx) as store:
        with store.write() as tx:
            head = chain_head(tx)
        timestamp = None
        if tsa_url is not None:
            from recorder.export.timestamps import request_timestamp, to_text

            ca = None if tsa_ca is None else tsa_ca.read_bytes()
            reply, at = request_timestamp(tsa_url, head[0], ca_pem=ca)
            timestamp = Timestamp(
                url=tsa_url, token=to_text(reply), at=at, ca=None if ca is None else ca.decode()
            )
        with store.write() as tx:
            made = record_anchor(tx, AnchorKind.anchor, head=head, timestamp=timestamp)
    if as_json:
        print_json(
            {
                "id": made.id,
                "head": made.head,
                "events": made.events,
                "fingerprint": short_fingerprint(made.head),
                "timestamp": None if made.tsa_time is None else made.tsa_time.isoformat(),
            }
        )
        return
    click.echo(anchor_words(made))


@db_group.command("verify")
@click.option(
    "--anchor",
    "fingerprint",
    metavar="FINGERPRINT",
    help=N_("A fingerprint kept outside the store (from an export, a backup or 'anchor')."),
)
@click.option(
    "--tsa-ca",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("A CA certificate (PEM) you trust, to check the anchors' timestamps with."),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def db_verify(
    ctx: click.Context, fingerprint: str | None, tsa_ca: Path | None, as_json: bool
) -> None:
    """Check the store: its file, the audit chain, every row against the chain's
    history, every attachment's file, and the anchors (and their timestamps)."""
    from recorder.export.store_check import check_store

    long_running()
    ca = None if tsa_ca is None else tsa_ca.read_bytes()
    with open_store_for(ctx) as store:
        report = check_store(store, anchor=fingerprint, tsa_ca=ca)
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
                "timestamps": report.timestamps,
                "fingerprint_at_event": report.found_at,
            }
        )
    else:
        for problem in report.problems:
            click.echo(problem)
        if report.ok:
            click.echo(report.summary())
            for note in report.notes:
                click.echo(_("note: {note}").format(note=note))
    if not report.ok:
        sys.exit(1)


@db_group.command("copy")
@click.option(
    "--to",
    "to",
    required=True,
    metavar="PATH|URL",
    help=N_(
        "The new store: a SQLite file, or an empty database on a server "
        "(postgresql+psycopg://user:password@host/name)."
    ),
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def db_copy(ctx: click.Context, to: str, as_json: bool) -> None:
    """Copy the whole store, attachments and audit chain, into a new store, then verify
    the copy (and anchor the chain here at the head the copy holds). From a SQLite file
    to a PostgreSQL database that several people share, or back."""
    from recorder.domain.chain import short_fingerprint
    from recorder.domain.errors import StoreError
    from recorder.domain.vocabulary import AnchorKind
    from recorder.export.store_check import check_store
    from recorder.store.copying import copy_store
    from recorder.store.locations import resolve
    from recorder.store.session import Store
    from recorder.write.anchors import anchor_words, record_anchor

    long_running()
    target = resolve(to)
    with open_store_for(ctx) as store:
        copied = copy_store(store, to)
        copy = Store.open(target, clock=store.clock)
        try:
            report = check_store(copy)
        finally:
            copy.close()
        if not report.ok or (report.head, report.events) != (copied.head, copied.events):
            problems = "; ".join(report.problems[:3]) or _("its audit chain is not the source's")
            raise StoreError(
                _("the copy at {shown} does not verify: {problems}").format(
                    shown=target.shown, problems=problems
                )
            )
        with store.write() as tx:
            anchor = record_anchor(
                tx,
                AnchorKind.backup,
                head=(copied.head, copied.events),
                target=target.shown,
            )
    if as_json:
        print_json(
            {
                "to": target.shown,
                "rows": copied.rows,
                "attachments": copied.files,
                "head": copied.head,
                "events": copied.events,
            }
        )
        return
    click.echo(
        _(
            "copied to {target}: {cases} cases, {contacts} contacts, {files} attachment files, "
            "an audit chain of {events} events to head {head}; the copy verifies"
        ).format(
            target=target.shown,
            cases=copied.rows.get("cases", 0),
            contacts=copied.rows.get("contacts", 0),
            files=copied.files,
            events=copied.events,
            head=short_fingerprint(copied.head),
        )
    )
    click.echo(anchor_words(anchor))
