"""`recorder list` and `recorder show`: what is open, and one case's whole history."""

from __future__ import annotations

from collections.abc import Sequence

import click

from recorder.cli.base import (
    access,
    case_id_of,
    cli,
    local,
    print_json,
    reader_for,
    show_time,
    times_in,
)
from recorder.domain.i18n import N_, _, aside, ngettext
from recorder.domain.vocabulary import channel_label, status_label

PRIORITIES = {"normal": N_("normal"), "urgent": N_("urgent")}
"""A case's priority in words (the command line takes the English value)."""
IDENTIFIER_KEYS = {
    "txid": N_("txid"),
    "order_number": N_("order number"),
    "account_email": N_("account email"),
    "asset": N_("asset"),
    "amount": N_("amount"),
}
"""A case's identifiers, named as `case new` and `case edit` take them."""


@cli.command("list")
@click.option("--status", "statuses", multiple=True, help=N_("Only cases with this status."))
@click.option("--platform", "platform_name", help=N_("Only cases with this platform."))
@click.option("--all", "show_all", is_flag=True, help=N_("Resolved and closed cases too."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def list_command(
    ctx: click.Context,
    statuses: tuple[str, ...],
    platform_name: str | None,
    show_all: bool,
    as_json: bool,
) -> None:
    """List open cases, newest activity first."""
    from recorder.domain.printable import fit
    from recorder.domain.vocabulary import OPEN_STATUSES, CaseStatus, parse_choice
    from recorder.read.cases import list_cases

    wanted: Sequence[CaseStatus] | None = OPEN_STATUSES
    if statuses:
        wanted = [parse_choice(CaseStatus, s.replace("-", "_"), "status") for s in statuses]
    elif show_all:
        wanted = None
    now = access(ctx).clock.now()
    with reader_for(ctx) as reader:
        cases = list_cases(reader, statuses=wanted, platform=platform_name)
    if as_json:
        print_json([c.to_json(now) for c in cases])
        return
    if not cases:
        if statuses or show_all or platform_name:
            click.echo(_("No cases match."))
        else:
            click.echo(_("No open cases ('recorder list --all' shows resolved and closed ones)."))
        return
    for c in cases:
        refs = ",".join(c.references) or "-"
        due = ""
        if c.next_follow_up_at is not None:
            late = _("OVERDUE since") if c.overdue(now) else _("follow up")
            due = f"  {late} {show_time(c.next_follow_up_at)}"
        click.echo(
            f"#{c.id:<5} {fit(status_label(c.status.value), 18)} "
            f"{fit(c.platform, 10)} {fit(c.title, 36)} "
            + _("ref {ref} last {when}").format(
                ref=fit(refs, 12), when=show_time(c.last_contact_at)
            )
            + due
            + (
                "  "
                + ngettext(
                    "{count} possible duplicate", "{count} possible duplicates", c.open_flags
                ).format(count=c.open_flags)
                if c.open_flags
                else ""
            )
            + (_("  URGENT") if c.priority == "urgent" else "")
        )
    click.echo(times_in())


@cli.command()
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def show(ctx: click.Context, case_id: str, as_json: bool) -> None:
    """Show a case and its whole history in time order."""
    from recorder.domain.transcripts import describe_turns, summary
    from recorder.read.cases import case_detail

    now = access(ctx).clock.now()
    with reader_for(ctx) as reader:
        detail = case_detail(reader, case_id_of(case_id))
    zone = local()
    if as_json:
        print_json(detail.to_json(now, zone))
        return
    click.echo(f"#{detail.id} {detail.title}")
    priority = _(PRIORITIES.get(detail.priority, detail.priority))
    click.echo(f"  {detail.platform} · {status_label(detail.status.value)} · {priority}")
    click.echo(f"  {times_in()}")
    if detail.merged_into is not None:
        click.echo(
            _("  merged into #{merged_into}: its contacts are there now").format(
                merged_into=detail.merged_into
            )
        )
    if detail.merged_cases:
        merged = ", ".join(f"#{i}" for i in detail.merged_cases)
        click.echo(_("  cases merged into this one: {merged}").format(merged=merged))
    for flag in detail.warnings():
        click.echo(
            _("  possible duplicate (flag #{id}): {message}").format(
                id=flag.id, message=flag.message(zone, now)
            )
        )
    if detail.next_follow_up_at is not None:
        late = _("overdue since") if detail.next_follow_up_at <= now else _("due")
        waits_on = detail.waits_on
        said = waits_on.due_label() if waits_on else ""
        basis = " " + aside(said) if said else ""
        click.echo(
            _("  next follow-up {late} {when}{basis}").format(
                late=late, when=show_time(detail.next_follow_up_at), basis=basis
            )
        )
    step = detail.next_step(now)
    if step is not None:
        click.echo(_("  next step: {step}").format(step=step))
    if detail.escalation is not None:
        esc = detail.escalation
        click.echo(
            _("  escalation: {rung} since {when}").format(
                rung=_(esc.rung), when=show_time(esc.since)
            )
        )
        if esc.earliest:
            click.echo(
                _("    may go to {next} from {when}").format(
                    next=_(esc.next), when=show_time(esc.earliest)
                )
            )
        if esc.latest:
            click.echo(_("    must go there by {when}").format(when=show_time(esc.latest)))
        click.echo(_("    source: {source}").format(source=esc.source))
    for key, value in detail.identifiers.items():
        if value:
            name = _(IDENTIFIER_KEYS.get(key, key.replace("_", " ")))
            click.echo(_("  {label}: {value}").format(label=name, value=value))
    for c in detail.contacts:
        arrow = "⇄" if c.turns else "→" if c.direction == "outbound" else "←"
        head = [show_time(c.occurred_at), arrow, channel_label(c.channel)]
        head += [_("ref {reference}").format(reference=c.reference)] if c.reference else []
        head += [c.agent] if c.agent else []
        head += [_("logged by {logged_by}").format(logged_by=c.logged_by)] if c.logged_by else []
        head += [_("(automatic)")] if c.auto_ack else []
        head += (
            [_("(from case #{merged_from})").format(merged_from=c.merged_from)]
            if c.merged_from
            else []
        )
        if c.answered_by == c.id:
            head += [_("answered in the conversation")]
        elif c.direction == "outbound" and c.due is not None and c.due_basis != "promise":
            answer = (
                _("answered by [{answered_by}]").format(answered_by=c.answered_by)
                if c.answered_by
                else _("unanswered")
            )
            head += [
                _("expected by {when} ({basis}), {answer}").format(
                    when=show_time(c.due), basis=c.due_label(), answer=answer
                )
            ]
        if c.due is not None and c.due_basis == "promise":
            head += [_("support promised an answer by {when}").format(when=show_time(c.due))]
        click.echo("")
        click.echo(f"  [{c.id}] " + "  ".join(head))
        if c.distrusted:
            click.echo(f"      ⚠ {c.sender_warning()}")
        if c.auto_ack_reason:
            click.echo(
                _("      taken for an automatic acknowledgement: {auto_ack_reason}").format(
                    auto_ack_reason=c.auto_ack_reason
                )
            )
        if c.subject:
            click.echo(f"      {c.subject}")
        if c.turns:
            click.echo(f"      ({summary(c.turns)})")
        for line in (describe_turns(c.turns) if c.turns else c.text).splitlines():
            click.echo(f"      {line}")
        for a in c.attachments:
            click.echo(
                _("      📎 {name} ({size} bytes, sha256 {digest}…)").format(
                    name=a.name, size=a.size, digest=a.sha256[:12]
                )
            )
