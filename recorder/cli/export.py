"""`recorder export` and `recorder verify`: the history as evidence, and its check."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from recorder.cli.base import case_id_of, cli, open_store_for, parse_time, reader_for
from recorder.domain.i18n import N_, _
from recorder.domain.printable import fit
from recorder.export.formats import FORMATS
from recorder.process import long_running

SOURCE_ENV = "RECORDER_SOURCE_ORGANIZATION"


@contextmanager
def _progress() -> Iterator[object]:
    """A Rich progress bar on a terminal (on stderr); nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("exporting", total=1)

        def tell(what: str, done: int, total: int) -> None:
            bar.update(task, description=fit(what, 22), completed=done, total=total)

        yield tell


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--case", "cases", multiple=True, help=N_("Only this case (repeatable)."))
@click.option("--platform", "platform_name", help=N_("Only the cases of this platform."))
@click.option(
    "--query",
    help=N_("Only the cases that match this search (as `recorder search` finds them)."),
)
@click.option("--since", help=N_("Only contacts at or after this time (your time zone)."))
@click.option("--until", help=N_("Only contacts at or before this time (your time zone)."))
@click.option(
    "--redact",
    is_flag=True,
    help=N_("Mask secrets, emails, card and bank numbers in the copy; leave imported emails out."),
)
@click.option("--zip", "as_zip", is_flag=True, help=N_("Write one zip file of the bag."))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help=N_("Write this one file alone instead of a bag."),
)
@click.option(
    "--source-organization",
    metavar="NAME",
    help=N_(
        "Who you are, for the bag's Source-Organization (default: $RECORDER_SOURCE_ORGANIZATION)."
    ),
)
@click.pass_context
def export(
    ctx: click.Context,
    path: Path,
    cases: tuple[str, ...],
    platform_name: str | None,
    query: str | None,
    since: str | None,
    until: str | None,
    redact: bool,
    as_zip: bool,
    fmt: str | None,
    source_organization: str | None,
) -> None:
    """Export the history to PATH as evidence: a BagIt bag that `recorder verify` checks.

    Prints the bag's fingerprint: keep it, or send it separately (in the complaint
    email, say), so that anyone can check that the bag is the one you made.
    """
    from recorder.export.evidence import Filters
    from recorder.export.make import export as run_export

    long_running()
    if fmt is not None and as_zip:
        raise click.UsageError(_("--zip makes a bag; --format writes one file alone; not both"))
    chosen = tuple(case_id_of(c) for c in cases)
    if query is not None:
        chosen = _matching(ctx, query, chosen)
    with open_store_for(ctx) as store:
        now = store.clock.now()
        filters = Filters(
            cases=chosen,
            query=query,
            platform=platform_name,
            since=None if since is None else parse_time(since, now),
            until=None if until is None else parse_time(until, now),
        )
        with _progress() as tell:
            written = run_export(
                store,
                path.expanduser(),
                filters,
                fmt=fmt,
                redact=redact,
                as_zip=as_zip,
                source_organization=source_organization or os.environ.get(SOURCE_ENV),
                progress=tell,  # type: ignore[arg-type]
                parallel=True,
            )
    click.echo(_("exported to {path}").format(path=written.path))
    if written.fingerprint is not None:
        click.echo(
            _("fingerprint (SHA-256 of its tag manifest): {fingerprint}").format(
                fingerprint=written.fingerprint
            )
        )
    if written.anchor is not None:
        click.echo(
            _(
                "audit chain anchored at {anchor}: keep both outside the store "
                "('recorder db verify --anchor' checks the store still holds it)"
            ).format(anchor=written.anchor)
        )


def _matching(ctx: click.Context, query: str, chosen: tuple[int, ...]) -> tuple[int, ...]:
    """The cases that match `query` (among `chosen`, when cases were named)."""
    from recorder.domain.errors import InputError
    from recorder.read.search import case_ids

    with reader_for(ctx) as reader:
        found = case_ids(reader, query)
    if chosen:
        found = [c for c in found if c in chosen]
    if not found:
        raise InputError(
            _("no case matches {query!r}; expected a search that finds one").format(query=query)
        )
    return tuple(found)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--fingerprint", help=N_("The fingerprint printed when the bag was exported."))
@click.option(
    "--tsa-ca",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=N_("A CA certificate (PEM) you trust, to check the bag's timestamps with."),
)
def verify(path: Path, fingerprint: str | None, tsa_ca: Path | None) -> None:
    """Check that the bag (or zip) at PATH is exactly what recorder exported.

    Without --fingerprint it proves the bag consistent (every file agrees with the
    records and their audit chain); with it, identical to that export.
    """
    from recorder.export.verify import verify as run_verify

    long_running()
    ca = None if tsa_ca is None else tsa_ca.read_bytes()
    report = run_verify(path.expanduser(), fingerprint=fingerprint, tsa_ca=ca)
    if report.ok:
        click.echo(report.summary())
        for note in report.notes:
            click.echo(_("note: {note}").format(note=note))
        return
    for problem in report.problems:
        click.echo(problem)
    sys.exit(1)
