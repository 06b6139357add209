"""`recorder due`, `recorder stats` and `recorder calendar`: what waits, and for how long."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from recorder.cli.base import access, cli, print_json, reader_for, show_time, times_in
from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _
from recorder.domain.printable import fit, fit_right
from recorder.domain.vocabulary import channel_label


def _within(text: str) -> timedelta:
    from recorder.domain.windows import Unit, parse_window

    window = parse_window(text)
    if window.unit is Unit.business_days or window.elapsed is None:
        raise InputError(
            _("--within {text!r}: expected elapsed time such as 7d or 48h").format(text=text)
        )
    return window.elapsed


@cli.command()
@click.option("--within", default="7d", show_default=True, help=N_("How far ahead: 7d, 48h."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def due(ctx: click.Context, within: str, as_json: bool) -> None:
    """Follow-ups overdue or due soon, and escalation dates (from when a complaint may go
    to the ombudsman or regulator, the last day it may), earliest first; urgent cases
    (marked !) first among equal times."""
    from recorder.read.reports import DueKind, due_follow_ups

    now = access(ctx).clock.now()
    horizon = now + _within(within)
    with reader_for(ctx) as reader:
        items = due_follow_ups(reader, now=now, until=horizon)
    if as_json:
        print_json([item.to_json() for item in items])
        return
    if not items:
        click.echo(_("Nothing is due within {within}.").format(within=within))
        return
    for item in items:
        urgent = "! " if item.urgent else ""
        click.echo(f"{urgent}#{item.case_id} {item.platform}: {item.title}")
        when = show_time(item.at)
        if item.kind is DueKind.follow_up:
            state = _("OVERDUE since") if item.overdue else _("due")
            ref = _(" ref {reference}").format(reference=item.reference) if item.reference else ""
            basis = f"; {item.basis}" if item.basis else ""
            click.echo(f"    {state} {when} ({item.channel}{ref}{basis})")
        elif item.kind is DueKind.may_escalate:
            click.echo(_("    may escalate from {when}").format(when=when))
        else:
            label = _("LAST DAY PASSED") if item.overdue else _("last day")
            click.echo(f"    {label} {when}")
        click.echo(f"    → {item.next_step}")
    click.echo(times_in())


@cli.command()
@click.option("--platform", "platform_name", help=N_("Only this platform."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def stats(ctx: click.Context, platform_name: str | None, as_json: bool) -> None:
    """How fast each platform actually answered, per channel, against its promise."""
    from recorder.read.reports import response_stats

    with reader_for(ctx) as reader:
        found = response_stats(reader, platform=platform_name)
    if as_json:
        print_json([item.to_json() for item in found])
        return
    if not found:
        click.echo(_("No messages to support yet."))
        return
    heading = (N_("sent"), N_("answered"), N_("median"), N_("90%"), N_("in window"))
    widths = (5, 8, 8, 8, 9)
    click.echo(
        " ".join(
            [fit(_("platform"), 12), fit(_("channel"), 12)]
            + [fit_right(_(word), width) for word, width in zip(heading, widths, strict=True)]
        )
    )
    for s in found:
        row = s.to_json()
        median = "-" if row["median_hours"] is None else f"{row['median_hours']}h"
        p90 = "-" if row["p90_hours"] is None else f"{row['p90_hours']}h"
        kept = "-" if s.within_window is None else f"{s.within_window:.0%}"
        values = (str(s.count), str(s.answered), median, p90, kept)
        click.echo(
            " ".join(
                [fit(s.platform, 12), fit(channel_label(s.channel), 12)]
                + [fit_right(value, width) for value, width in zip(values, widths, strict=True)]
            )
        )


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def calendar(ctx: click.Context, path: Path) -> None:
    """Write an iCalendar file of pending follow-ups and escalation deadlines.

    Import it into your calendar; importing a newer one updates the same entries.
    """
    from datetime import datetime

    from recorder.export.ical import follow_up_calendar, write_calendar
    from recorder.read.reports import due_follow_ups

    now = access(ctx).clock.now()
    with reader_for(ctx) as reader:
        items = due_follow_ups(reader, now=now, until=datetime.max.replace(tzinfo=now.tzinfo))
    if not path.parent.is_dir():
        raise InputError(_("{parent} is not a directory").format(parent=path.parent))
    write_calendar(path, follow_up_calendar(items, now=now))
    click.echo(
        _("wrote {count} follow-up and escalation dates to {path}").format(
            count=len(items), path=path
        )
    )
