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
from recorder.domain.i18n import N_, _
from recorder.domain.printable import cells, fit
from recorder.domain.vocabulary import channel_label

JURISDICTION_HELP = N_(
    "Whose complaint rules apply: US, US-NY (chartered in New York), UK, EU or AU."
)


@cli.group()
def platform() -> None:
    """List, show and add platforms (the organisations you deal with)."""


@platform.command("list")
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
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
        windows = ", ".join(f"{k} {v}" for k, v in p["windows"].items()) or _("no windows")
        click.echo(f"{fit(p['name'], 16)} {p['timezone']:<20} {windows}")


@platform.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
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
    rows = [
        (_("domains"), ", ".join(doc["domains"]) or "-"),
        (_("addresses"), ", ".join(doc["addresses"]) or "-"),
    ]
    if doc["ticket_patterns"]:
        rows.append((_("tickets"), ", ".join(doc["ticket_patterns"])))
    rows += [
        (_("time zone"), doc["timezone"]),
        (_("holidays"), doc["holidays"] or "-"),
        (_("closed on"), ", ".join(doc["closed_dates"]) or "-"),
        (
            _("complaints"),
            _("{jurisdiction} rules").format(jurisdiction=doc["jurisdiction"] or "-"),
        ),
    ]
    rows += [
        (channel_label(channel), _("answers within {window}").format(window=window))
        for channel, window in doc["windows"].items()
    ]
    if doc["notes"]:
        rows.append((_("notes"), doc["notes"]))
    width = max(11, *(cells(label) for label, _value in rows))
    for label, value in rows:
        click.echo(f"  {fit(label, width)} {value}")


def _windows(values: Sequence[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        channel, sep, duration = value.partition("=")
        if not sep or not channel.strip() or not duration.strip():
            raise InputError(
                _("cannot read window {value!r}; expected CHANNEL=DURATION, e.g. email=72h").format(
                    value=value
                )
            )
        out[channel.strip()] = duration.strip()
    return out


@platform.command("add")
@click.argument("name")
@click.option("--domain", "domains", multiple=True, help=N_("An official domain (repeatable)."))
@click.option("--address", "addresses", multiple=True, help=N_("An official address (repeatable)."))
@click.option("--tz", "timezone", default="UTC", show_default=True, help=N_("IANA time zone."))
@click.option("--holidays", help=N_("Public holidays: COUNTRY or COUNTRY-SUBDIVISION, e.g. US-NY."))
@click.option(
    "--window",
    "windows",
    multiple=True,
    metavar="CHANNEL=DURATION",
    help=N_("A promised response window, e.g. email=72h or ticket='5 business days' (repeatable)."),
)
@click.option(
    "--jurisdiction",
    help=N_("Whose complaint rules apply: US, US-NY (chartered in New York), UK, EU or AU."),
)
@click.option(
    "--closed",
    multiple=True,
    metavar="DATE",
    help=N_("A day it is closed, YYYY-MM-DD (repeatable)."),
)
@click.option("--notes", default="", help=N_("Free notes."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the new platform as JSON."))
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
    click.echo(_("added platform {name}").format(name=added.name))


@platform.command("edit")
@click.argument("name")
@click.option(
    "--window",
    "windows",
    multiple=True,
    metavar="CHANNEL=DURATION",
    help=N_("Set a window, e.g. email=72h; CHANNEL=none removes one (repeatable)."),
)
@click.option("--tz", "timezone", help=N_("IANA time zone."))
@click.option(
    "--holidays", help=N_("Public holidays: COUNTRY or COUNTRY-SUBDIVISION; '' for none.")
)
@click.option(
    "--jurisdiction",
    help=N_("Whose complaint rules apply: US, US-NY (chartered in New York), UK, EU or AU."),
)
@click.option(
    "--closed",
    multiple=True,
    metavar="DATE",
    help=N_("Your closed days (replaces them; repeatable)."),
)
@click.option("--domain", "domains", multiple=True, help=N_("Official domains (replaces them)."))
@click.option(
    "--ticket-pattern",
    "ticket_patterns",
    multiple=True,
    metavar="REGEX",
    help=N_("The platform's own ticket numbers, group 1 the number (replaces them)."),
)
@click.option("--notes", help=N_("Free notes."))
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
        raise click.UsageError(_("nothing to change; give at least one option"))
    with open_store_for(ctx) as store, store.write() as tx:
        edited = edit_platform(tx, name, changes)
    click.echo(_("platform {name} updated").format(name=edited.name))
