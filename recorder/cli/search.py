"""`recorder search`: the whole record, in English and Chinese, TxIDs and ticket numbers
included (recorder.read.search)."""

from __future__ import annotations

import click

from recorder.cli.base import access, cli, parse_time, print_json, reader_for, show_time, times_in
from recorder.domain.i18n import N_, _
from recorder.domain.vocabulary import channel_label


@cli.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--platform", "platform_name", help=N_("Only cases with this platform."))
@click.option("--channel", help=N_("Only contacts by this channel (email, chat, ticket, ...)."))
@click.option("--since", help=N_("Only contacts at or after this time (your time zone)."))
@click.option("--until", help=N_("Only contacts at or before this time (your time zone)."))
@click.option("--status", "statuses", multiple=True, help=N_("Only cases with this status."))
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def search(
    ctx: click.Context,
    query: tuple[str, ...],
    platform_name: str | None,
    channel: str | None,
    since: str | None,
    until: str | None,
    statuses: tuple[str, ...],
    limit: int,
    as_json: bool,
) -> None:
    """Find cases and contacts by any words, Chinese text, or part of a TxID, ticket
    number or address: every term must match. Case titles and identifiers come first,
    then contacts, best match first; each with the words around the match."""
    from recorder.domain.errors import InputError
    from recorder.domain.vocabulary import CaseStatus, Channel, parse_choice
    from recorder.read.search import Filters
    from recorder.read.search import search as find

    now = access(ctx).clock.now()
    filters = Filters(
        platform=platform_name,
        channel=None if channel is None else parse_choice(Channel, channel, "channel").value,
        since=None if since is None else parse_time(since, now),
        until=None if until is None else parse_time(until, now),
        statuses=[parse_choice(CaseStatus, s.replace("-", "_"), "status") for s in statuses]
        or None,
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise InputError(_("--since is after --until; expected an earlier --since"))
    with reader_for(ctx) as reader:
        hits = find(reader, " ".join(query), filters, limit=limit)
    if as_json:
        print_json({"query": " ".join(query), "results": [h.to_json() for h in hits]})
        return
    if not hits:
        click.echo(_("Nothing found."))
        return
    for hit in hits:
        head = f"#{hit.case_id} {hit.platform} · {hit.title}"
        if hit.contact_id is None:
            click.echo(
                _("{head}  (the case's {field})").format(
                    head=head, field=hit.found_in.replace("_", " ")
                )
            )
        else:
            when = show_time(hit.occurred_at)
            click.echo(
                _("{head}  contact #{contact_id}, {when}, {channel}").format(
                    head=head,
                    contact_id=hit.contact_id,
                    when=when,
                    channel=channel_label(hit.channel or ""),
                )
            )
        click.echo(f"    {hit.snippet}")
    click.echo(times_in())
