"""`recorder case`, `recorder log` and `recorder contact`: the records a user writes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from recorder.cli.base import (
    RecordId,
    access,
    case_id_of,
    cli,
    given,
    local,
    open_store_for,
    parse_time,
    print_json,
    read_text,
    warn,
    warn_flags,
    warn_secrets,
)
from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _, ngettext
from recorder.domain.vocabulary import status_label

if TYPE_CHECKING:
    from recorder.read.contacts import ContactView


@cli.group()
def case() -> None:
    """Open, edit, merge and change the status of cases (one problem with one platform)."""


def _identifier_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--txid", help=N_("Transaction id (TxID).")),
            click.option("--order", "order_number", help=N_("Order number.")),
            click.option("--account-email", help=N_("The account's email address.")),
            click.option("--asset", help=N_("Asset, e.g. BTC.")),
            click.option("--amount", help=N_("Amount, as written, e.g. 0.25.")),
        ]
    ):
        func = option(func)
    return func


@case.command("new")
@click.option("--platform", "platform_name", required=True, help=N_("The platform's name."))
@click.option("--title", required=True, help=N_("The problem in a few words."))
@click.option("--priority", default="normal", show_default=True, help=N_("normal or urgent."))
@_identifier_options
@click.option("--json", "as_json", is_flag=True, help=N_("Print the new case as JSON."))
@click.pass_context
def case_new(
    ctx: click.Context,
    /,
    platform_name: str,
    title: str,
    priority: str,
    as_json: bool,
    **identifiers: str | None,
) -> None:
    """Open a case and print its id."""
    from recorder.read.cases import case_detail
    from recorder.write.cases import open_case

    with open_store_for(ctx) as store:
        with store.write() as tx:
            opened = open_case(
                tx, platform=platform_name, title=title, priority=priority, **identifiers
            )
            raised = [f.id for f in tx.flags]
        assert opened.id is not None
        flags = warn_flags(store, raised)
        if as_json:
            with store.reader() as reader:
                document = case_detail(reader, opened.id).to_json(store.clock.now(), local())
            print_json(document | {"duplicate_flags": flags})
            return
    click.echo(opened.id)


@case.command("status")
@click.argument("case_id")
@click.argument("status")
@click.pass_context
def case_status(ctx: click.Context, case_id: str, status: str) -> None:
    """Set a case's STATUS: open, waiting_on_support, waiting_on_me, escalated, resolved, closed."""
    from recorder.write.cases import set_status

    with open_store_for(ctx) as store, store.write() as tx:
        changed = set_status(tx, case_id_of(case_id), status.strip().replace("-", "_"))
    click.echo(
        _("case #{id} is {status}").format(id=changed.id, status=status_label(changed.status.value))
    )


@case.command("edit")
@click.argument("case_id")
@click.option("--title", help=N_("A new title."))
@click.option("--priority", help=N_("normal or urgent."))
@click.option("--platform", "platform_name", help=N_("Move the case to another platform."))
@_identifier_options
@click.pass_context
def case_edit(
    ctx: click.Context,
    /,
    case_id: str,
    title: str | None,
    priority: str | None,
    platform_name: str | None,
    **identifiers: str | None,
) -> None:
    """Change a case's title, priority, platform or identifiers ('' clears one)."""
    from recorder.write.cases import CaseEdit, edit_case

    changes = cast(
        CaseEdit, given(title=title, priority=priority, platform=platform_name, **identifiers)
    )
    if not changes:
        raise click.UsageError(_("nothing to change; give at least one option"))
    with open_store_for(ctx) as store:
        with store.write() as tx:
            edited = edit_case(tx, case_id_of(case_id), changes)
            raised = [f.id for f in tx.flags]
        warn_flags(store, raised)
    click.echo(_("case #{id} updated").format(id=edited.id))


@case.command("merge")
@click.argument("from_id", metavar="FROM")
@click.argument("into_id", metavar="INTO")
@click.pass_context
def case_merge(ctx: click.Context, from_id: str, into_id: str) -> None:
    """Merge case FROM into case INTO: one problem, one case. Undo with `case unmerge FROM`."""
    from recorder.write.decisions import merge_cases

    source, target = case_id_of(from_id), case_id_of(into_id)
    with open_store_for(ctx) as store, store.write() as tx:
        merged = merge_cases(tx, source, target)
        moved = merged.contact_count
    said = ngettext(
        "case #{source} merged into #{target} ({count} contact there now)",
        "case #{source} merged into #{target} ({count} contacts there now)",
        moved,
    )
    click.echo(said.format(source=source, target=target, count=moved))


@case.command("unmerge")
@click.argument("case_id")
@click.pass_context
def case_unmerge(ctx: click.Context, case_id: str) -> None:
    """Undo the merge of CASE_ID: its contacts and status come back."""
    from recorder.write.decisions import unmerge_case

    with open_store_for(ctx) as store, store.write() as tx:
        back = unmerge_case(tx, case_id_of(case_id))
        status = status_label(back.status.value)
    click.echo(_("case #{id} unmerged; it is {status} again").format(id=back.id, status=status))


_DIRECTIONS = {"out": "outbound", "in": "inbound", "outbound": "outbound", "inbound": "inbound"}


def _direction(value: str) -> str:
    found = _DIRECTIONS.get(value.strip().lower())
    if found is None:
        raise InputError(
            _("unknown direction {value!r}; expected out (you wrote) or in (support)").format(
                value=value
            )
        )
    return found


def warn_contact(contact: ContactView) -> None:
    """Say on stderr what recorder made of an inbound contact: an automatic
    acknowledgement, or a sender it cannot trust."""
    if contact.auto_ack_reason:
        warn(
            _(
                "contact #{id} is taken for an automatic acknowledgement "
                "({auto_ack_reason}): it answers nothing; 'recorder contact edit {id} "
                "--no-auto-ack' if it is a real answer"
            ).format(id=contact.id, auto_ack_reason=contact.auto_ack_reason)
        )
    if contact.sender_findings and not contact.sender_trusted:
        warn(
            _(
                "warning: contact #{id} is {warning}; 'recorder contact edit {id} "
                "--trust-sender' if you are sure"
            ).format(id=contact.id, warning=contact.sender_warning())
        )


def _contact_text(text: str | None, text_file: str | None) -> str | None:
    if text is not None and text_file is not None:
        raise click.UsageError(_("give --text or --text-file, not both"))
    return read_text(text_file) if text_file is not None else text


@cli.command()
@click.option("--case", "case_id", required=True, help=N_("The case's id."))
@click.option("--channel", required=True, help=N_("help_center, chat, ticket, email, phone, ..."))
@click.option("--direction", required=True, help=N_("out (you wrote) or in (support answered)."))
@click.option("--at", "when", help=N_("When it happened (default: now), in your time zone."))
@click.option("--ref", "reference", help=N_("The ticket or case number the platform gave."))
@click.option("--agent", help=N_("The support agent's name."))
@click.option("--address", help=N_("The counterpart's address (email, handle, phone)."))
@click.option("--subject", help=N_("The subject line."))
@click.option("--text", help=N_("The message or transcript."))
@click.option(
    "--text-file", metavar="PATH|-", help=N_("Read the text from a UTF-8 file, or stdin.")
)
@click.option("--attach", "attach", multiple=True, help=N_("Attach a file (repeatable)."))
@click.option(
    "--auto-ack/--no-auto-ack",
    default=None,
    help=N_(
        "An automatic acknowledgement, or a real answer (default: its wording and sender decide)."
    ),
)
@click.option(
    "--trust-sender",
    is_flag=True,
    help=N_("Let this message answer although its address is not the platform's."),
)
@click.option(
    "--follow-up",
    metavar="WHEN",
    help=N_(
        "Follow up then if no answer came: 'in 3 business days', '+2d', 'tomorrow 9am', "
        "'next monday', or a date (default: the platform's window for the channel)."
    ),
)
@click.option(
    "--me",
    "me",
    multiple=True,
    metavar="NAME",
    help=N_("Your name in a chat transcript (repeatable); You, Me and 我 are known already."),
)
@click.option(
    "--old-date", "old_ok", is_flag=True, help=N_("Take an --at before 2000: it is no typing slip.")
)
@click.option("--json", "as_json", is_flag=True, help=N_("Print the new contact as JSON."))
@click.pass_context
def log(
    ctx: click.Context,
    case_id: str,
    channel: str,
    direction: str,
    when: str | None,
    reference: str | None,
    agent: str | None,
    address: str | None,
    subject: str | None,
    text: str | None,
    text_file: str | None,
    attach: tuple[str, ...],
    auto_ack: bool | None,
    trust_sender: bool,
    follow_up: str | None,
    me: tuple[str, ...],
    old_ok: bool,
    as_json: bool,
) -> None:
    """Record one contact in a case and print its id.

    A chat (or a call, or a social thread) pasted with both sides, one line a turn
    ("[10:32] Anna: ...", "Anna (10:32 AM): ...", "You: ...", "客服：..."), is kept as a
    conversation: support's answer in it answers you, and is never late.
    """
    from recorder.write.entries import Entry, log_entry

    entry = Entry(
        case_id=case_id_of(case_id),
        channel=channel.strip().lower(),
        direction=_direction(direction),
        occurred_at=parse_time(when, access(ctx).clock.now()),
        reference=reference,
        agent=agent,
        address=address,
        subject=subject,
        text=_contact_text(text, text_file) or "",
        auto_ack=auto_ack,
        sender_trusted=trust_sender,
        me=me,
        follow_up=follow_up,
        local=local(),
        attach=[Path(p).expanduser() for p in attach],
        old_ok=old_ok,
    )
    with open_store_for(ctx) as store:
        with store.write() as tx:
            logged = log_entry(tx, entry)
        if logged.already_recorded:
            warn(
                _(
                    "already recorded as contact #{contact_id} in case #{case_id} (same "
                    "text, same time); not stored again"
                ).format(contact_id=logged.contact_id, case_id=logged.case_id)
            )
        flags = warn_flags(store, logged.flag_ids)
        warn_secrets(logged.contact_id, logged.secrets)
        if not as_json and entry.direction != "inbound":
            click.echo(logged.contact_id)  # nothing to warn of: no second read
            return
        from recorder.read.contacts import contact_views

        with store.reader() as reader:
            logged_view = contact_views(reader, contact_id=logged.contact_id)[0]
        warn_contact(logged_view)
        if as_json:
            document = logged_view.to_json()
            print_json(
                document
                | {
                    "duplicate_flags": flags,
                    "already_recorded": logged.already_recorded,
                    "secrets": logged.secrets_json(),
                }
            )
            return
    click.echo(logged.contact_id)


@cli.group()
def contact() -> None:
    """Correct or delete a contact."""


@contact.command("edit")
@click.argument("contact_id", type=RecordId("contact"))
@click.option("--channel", help=N_("A new channel."))
@click.option("--direction", help=N_("out or in."))
@click.option("--at", "when", help=N_("When it happened, in your time zone."))
@click.option("--ref", "reference", help=N_("The reference number ('' clears it)."))
@click.option("--agent", help=N_("The agent's name."))
@click.option("--address", help=N_("The counterpart's address."))
@click.option("--subject", help=N_("The subject line."))
@click.option("--text", help=N_("The message or transcript."))
@click.option(
    "--text-file", metavar="PATH|-", help=N_("Read the text from a UTF-8 file, or stdin.")
)
@click.option(
    "--auto-ack/--no-auto-ack",
    "auto_ack",
    default=None,
    help=N_("It is an automatic acknowledgement (it answers nothing), or a real answer."),
)
@click.option(
    "--trust-sender/--distrust-sender",
    "sender_trusted",
    default=None,
    help=N_("Whether this message may answer although its address is not the platform's."),
)
@click.option(
    "--me",
    "me",
    multiple=True,
    metavar="NAME",
    help=N_("Your name in the chat transcript (repeatable): its turns are split again."),
)
@click.pass_context
def contact_edit(
    ctx: click.Context,
    /,
    contact_id: int,
    when: str | None,
    text: str | None,
    text_file: str | None,
    direction: str | None,
    me: tuple[str, ...],
    **fields: str | bool | None,
) -> None:
    """Correct a contact's fields; the audit log keeps what they were."""
    from recorder.write.contacts import ContactEdit, edit_contact

    changes = cast(ContactEdit, given(**fields, text=_contact_text(text, text_file)))
    if direction is not None:
        changes["direction"] = _direction(direction)
    with open_store_for(ctx) as store:
        if when is not None:
            changes["occurred_at"] = parse_time(when, store.clock.now())
        if not changes and not me:
            raise click.UsageError(_("nothing to change; give at least one option"))
        with store.write() as tx:
            edit_contact(tx, contact_id, changes, me=me)
    click.echo(_("contact #{contact_id} updated").format(contact_id=contact_id))


@contact.command("delete")
@click.argument("contact_id", type=RecordId("contact"))
@click.option("--yes", is_flag=True, help=N_("Do not ask for confirmation."))
@click.pass_context
def contact_delete(ctx: click.Context, contact_id: int, yes: bool) -> None:
    """Delete a contact (the audit log keeps a copy of it)."""
    from recorder.write.contacts import delete_contact

    if not yes:
        click.confirm(f"Delete contact #{contact_id}?", abort=True)
    with open_store_for(ctx) as store, store.write() as tx:
        delete_contact(tx, contact_id)
    click.echo(_("contact #{contact_id} deleted").format(contact_id=contact_id))
