"""`recorder dups`: the duplicate flags, and the user's decision on each."""

from __future__ import annotations

import click

from recorder.cli.base import (
    RecordId,
    access,
    cli,
    local,
    open_store_for,
    print_json,
    reader_for,
)
from recorder.domain.i18n import N_, _
from recorder.domain.vocabulary import status_label


@cli.group(invoke_without_command=True)
@click.option("--all", "every", is_flag=True, help=N_("Decided flags too, not only open ones."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the flags as JSON."))
@click.pass_context
def dups(ctx: click.Context, every: bool, as_json: bool) -> None:
    """List duplicate flags, newest first (open ones unless --all)."""
    if ctx.invoked_subcommand is not None:
        return
    from recorder.read.flags import list_flags

    zone, now = local(), access(ctx).clock.now()
    with reader_for(ctx) as reader:
        flags = list_flags(reader, every=every)
    if as_json:
        print_json([f.to_json(zone, now) for f in flags])
        return
    if not flags:
        click.echo(_("No open duplicate flags.") if not every else _("No duplicate flags."))
        return
    for flag in flags:
        what = _("contact #{contact_id} in case #{case_id}").format(
            contact_id=flag.contact_id, case_id=flag.case_id
        )
        if flag.contact_id is None:
            what = _("case #{case_id}").format(case_id=flag.case_id)
        status = "" if every is False else f" [{status_label(flag.status.value)}]"
        click.echo(f"#{flag.id}{status} {flag.kind.value.replace('_', ' ')}: {what}")
        click.echo(f"    {flag.message(zone, now)}")


def _decide(ctx: click.Context, flag_id: int, status: str) -> None:
    from recorder.write.decisions import decide

    with open_store_for(ctx) as store, store.write() as tx:
        flag = decide(tx, flag_id, status)
    click.echo(_("flag #{id} {status}").format(id=flag.id, status=status_label(flag.status.value)))


@dups.command("dismiss")
@click.argument("flag_id", type=RecordId("flag"))
@click.pass_context
def dups_dismiss(ctx: click.Context, flag_id: int) -> None:
    """Mark flag FLAG_ID as not a duplicate."""
    _decide(ctx, flag_id, "dismissed")


@dups.command("confirm")
@click.argument("flag_id", type=RecordId("flag"))
@click.pass_context
def dups_confirm(ctx: click.Context, flag_id: int) -> None:
    """Mark flag FLAG_ID as a duplicate indeed (`recorder case merge` joins two cases)."""
    _decide(ctx, flag_id, "confirmed")


@dups.command("reopen")
@click.argument("flag_id", type=RecordId("flag"))
@click.pass_context
def dups_reopen(ctx: click.Context, flag_id: int) -> None:
    """Take back the decision on flag FLAG_ID."""
    _decide(ctx, flag_id, "open")
