"""`recorder platform`: list, show and add platforms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import click

from recorder.cli.base import (
    cli,
    given,
    open_store_for,
    print_json,
    reader_for,
)
from recorder.domain.errors import InputError

JURISDICTION_HELP = "Whose complaint rules apply: US, US-NY (chartered in New York), UK, EU or AU."


@cli.group()
def platform() -> None:
    """List, show and add platforms (the organisations you deal with)."""


@platform.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def platform_list(ctx: click.Context, as_json: bool) -> None:
    """List the platforms."""
    from recorder.read.platforms import list_platforms

    with reader_for(ctx) as reader:
        platforms = [p.to_json() for p in list_platforms(reader)]
    if as_json:
        print_json(platforms)
        return
    for p in platforms:
        windows = ", ".join(f"{k} {v}" for k, v in p["windows"].items()) or "no windows"
        click.echo(f"{p['name']:<16} {p['timezone']:<20} {windows}")


@platform.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def platform_show(ctx: click.Context, name: str, as_json: bool) -> None:
    """Show one platform."""
    from recorder.read.platforms import platform_named

    with reader_for(ctx) as reader:
        doc = platform_named(reader, name).to_json()
    if as_json:
        print_json(doc)
        return
    click.echo(doc["name"])
    click.echo(f"  domains     {', '.join(doc['domains']) or '-'}")
    click.echo(f"  addresses   {', '.join(doc['addresses']) or '-'}")
    if doc["ticket_patterns"]:
        click.echo(f"  tickets     {', '.join(doc['ticket_patterns'])}")
    click.echo(f"  time zone   {doc['timezone']}")
    click.echo(f"  holidays    {doc['holidays'] or '-'}")
    click.echo(f"  closed      {', '.join(doc['closed_dates']) or '-'}")
    click.echo(f"  complaints  {doc['jurisdiction'] or '-'} rules")
    for channel, window in doc["windows"].items():
        click.echo(f"  {channel:<11} answers within {window}")
    if doc["notes"]:
        click.echo(f"  notes       {doc['notes']}")


def _windows(values: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        channel, sep, duration = value.partition("=")
        if not sep or not channel.strip() or not duration.strip():
            raise InputError(
                f"cannot read window {value!r}; expected CHANNEL=DURATION, e.g. email=72h"
            )
        out[channel.strip()] = duration.strip()
    return out


@platform.command("add")
@click.argument("name")
@click.option("--domain", "domains", multiple=True, help="An official domain (repeatable).")
@click.option("--address", "addresses", multiple=True, help="An official address (repeatable).")
@click.option("--tz", "timezone", default="UTC", show_default=True, help="IANA time zone.")
@click.option("--holidays", help="Public holidays: COUNTRY or COUNTRY-SUBDIVISION, e.g. US-NY.")
@click.option(
    "--window",
    "windows",
    multiple=True,
    metavar="CHANNEL=DURATION",
    help="A promised response window, e.g. email=72h or ticket='5 business days' (repeatable).",
)
@click.option(
    "--jurisdiction",
    help="Whose complaint rules apply: US, US-NY (chartered in New York), UK, EU or AU.",
)
@click.option(
    "--closed", multiple=True, metavar="DATE", help="A day it is closed, YYYY-MM-DD (repeatable)."
)
@click.option("--notes", default="", help="Free notes.")
@click.option("--json", "as_json", is_flag=True, help="Print the new platform as JSON.")
@click.pass_context
def platform_add(
    ctx: click.Context,
    name: str,
    domains: tuple[str, ...],
    addresses: tuple[str, ...],
    timezone: str,
    holidays: str | None,
    windows: tuple[str, ...],
    jurisdiction: str | None,
    closed: tuple[str, ...],
    notes: str,
    as_json: bool,
) -> None:
    """Add a platform."""
    from recorder.read.platforms import platform_named
    from recorder.write.platforms import add_platform

    parsed = _windows(windows)
    with open_store_for(ctx) as store:
        with store.write() as tx:
            added = add_platform(
                tx,
                name=name,
                domains=domains,
                addresses=addresses,
                timezone=timezone,
                holidays=holidays,
                windows=parsed,
                jurisdiction=jurisdiction,
                closed=closed,
                notes=notes,
            )
        if as_json:
            with store.reader() as reader:
                print_json(platform_named(reader, added.name).to_json())
            return
    click.echo(f"added platform {added.name}")


@platform.command("edit")
@click.argument("name")
@click.option(
    "--window",
    "windows",
    multiple=True,
    metavar="CHANNEL=DURATION",
    help="Set a window, e.g. email=72h; CHANNEL=none removes one (repeatable).",
)
@click.option("--tz", "timezone", help="IANA time zone.")
@click.option("--holidays", help="Public holidays: COUNTRY or COUNTRY-SUBDIVISION; '' for none.")
@click.option(
    "--jurisdiction",
    help="Whose complaint rules apply: US, US-NY (chartered in New York), UK, EU or AU.",
)
@click.option(
    "--closed", multiple=True, metavar="DATE", help="Your closed days (replaces them; repeatable)."
)
@click.option("--domain", "domains", multiple=True, help="Official domains (replaces them).")
@click.option(
    "--ticket-pattern",
    "ticket_patterns",
    multiple=True,
    metavar="REGEX",
    help="The platform's own ticket numbers, group 1 the number (replaces them).",
)
@click.option("--notes", help="Free notes.")
@click.pass_context
def platform_edit(
    ctx: click.Context,
    name: str,
    windows: tuple[str, ...],
    timezone: str | None,
    holidays: str | None,
    jurisdiction: str | None,
    closed: tuple[str, ...],
    domains: tuple[str, ...],
    ticket_patterns: tuple[str, ...],
    notes: str | None,
) -> None:
    """Change a platform; due times and follow-ups of its cases follow."""
    from recorder.write.platforms import PlatformEdit, edit_platform

    changes = cast(
        PlatformEdit,
        given(
            windows=_windows(windows) if windows else None,
            timezone=timezone,
            holidays=holidays,
            jurisdiction=jurisdiction,
            notes=notes,
            closed=closed,
            domains=domains,
            ticket_patterns=ticket_patterns,
        ),
    )
    if not changes:
        raise click.UsageError("nothing to change; give at least one option")
    with open_store_for(ctx) as store, store.write() as tx:
        edited = edit_platform(tx, name, changes)
    click.echo(f"platform {edited.name} updated")
