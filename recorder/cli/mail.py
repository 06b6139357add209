"""`recorder import`, `recorder fetch` and `recorder settings`: what support sent, in
without retyping it."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from recorder.cli.base import (
    RecordId,
    access,
    cli,
    local,
    open_store_for,
    parse_time,
    print_json,
    read_text,
    warn,
)
from recorder.domain.errors import InputError
from recorder.domain.i18n import N_, _, ngettext


@cli.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--chat", "chat", type=click.Path(path_type=Path), help=N_("A saved chat transcript.")
)
@click.option("--case", "case_id", type=RecordId("case"), help=N_("Put everything into this case."))
@click.option("--platform", "platform", help=N_("The platform the messages are with."))
@click.option("--me", "me", multiple=True, help=N_("Your name in a chat transcript (repeatable)."))
@click.option("--at", "at", help=N_("When the chat took place (default: the file's time)."))
@click.option("--dry-run", is_flag=True, help=N_("Show what would be imported; write nothing."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def import_(
    ctx: click.Context,
    paths: Sequence[Path],
    chat: Path | None,
    case_id: int | None,
    platform: str | None,
    me: Sequence[str],
    at: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import emails (.eml files, mbox files, Maildir folders) or a chat transcript.

    Each email is threaded into its case (a ticket number already recorded, a reply to
    an imported message, the same subject) or opens one, and is checked like a typed
    contact: its sender, whether it is an automatic acknowledgement, whether it repeats
    an earlier contact. Importing the same messages again adds nothing.
    """
    from recorder.ingest.importer import Options

    options = Options(
        case_id=case_id, platform=platform, dry_run=dry_run, local=local(), me=tuple(me)
    )
    if chat is not None:
        if paths:
            raise InputError(_("give either --chat FILE or email paths, not both"))
        _import_chat(ctx, chat, options, at, as_json)
        return
    if not paths:
        raise InputError(_("nothing to import: expected .eml files, mbox files or Maildir folders"))
    _import_emails(ctx, paths, options, as_json)


def _import_chat(
    ctx: click.Context, path: Path, options: Any, at: str | None, as_json: bool
) -> None:
    from datetime import UTC, datetime

    from recorder.ingest.importer import import_chat

    text = read_text(str(path))
    if at is not None:
        when = parse_time(at, access(ctx).clock.now())
    else:
        when = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    with open_store_for(ctx) as store:
        outcome = import_chat(store, path, text, options, at=when)
    _report(ctx, [outcome], options.dry_run, as_json)


def _import_emails(ctx: click.Context, paths: Sequence[Path], options: Any, as_json: bool) -> None:
    from recorder.ingest.importer import import_messages
    from recorder.ingest.sources import sources_of

    sources = sources_of(paths)
    total = sum(source.count() for source in sources)
    raws = (raw for source in sources for raw in source.messages())
    with open_store_for(ctx) as store, _Bar(total, enabled=not as_json) as bar:
        outcomes = import_messages(store, raws, options, total=total, tell=bar)
    _report(ctx, outcomes, options.dry_run, as_json)


class _Bar:
    """A Rich progress bar on a terminal, for more than a few messages."""

    FEW = 20

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.bar: Any = None
        self.task: Any = None
        if enabled and (total > self.FEW or not total) and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task("importing", total=total)

    def __enter__(self) -> _Bar:
        if self.bar is not None:
            self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)


def _report(ctx: click.Context, outcomes: Sequence[Any], dry_run: bool, as_json: bool) -> None:
    counts = dict.fromkeys(("imported", "present", "refused"), 0)
    for outcome in outcomes:
        counts[outcome.status] += 1
    if as_json:
        print_json({"dry_run": dry_run, **counts, "messages": [o.to_json() for o in outcomes]})
    else:
        each = len(outcomes) <= _Bar.FEW  # a mailbox's import says what it did per case
        for outcome in outcomes:
            _say(outcome, each=each)
        if not outcomes:
            click.echo(_("Nothing new to import."))
            return
        if not each:
            _per_case(outcomes)
        said = (
            _(
                "{imported} would be imported, {present} already present, {refused} refused"
                " (dry run: nothing was written)"
            )
            if dry_run
            else _("{imported} imported, {present} already present, {refused} refused")
        )
        click.echo(said.format(**counts))
    if counts["refused"] and not counts["imported"] and not counts["present"]:
        ctx.exit(1)


def _per_case(outcomes: Sequence[Any]) -> None:
    """One line per case the import opened or added to."""
    added: dict[int, int] = {}
    opened: set[int] = set()
    for outcome in outcomes:
        if outcome.status == "imported" and outcome.case_id is not None:
            added[outcome.case_id] = added.get(outcome.case_id, 0) + 1
            if outcome.opened_case:
                opened.add(outcome.case_id)
    for case_id, count in added.items():
        said = (
            ngettext(
                "case #{case_id} (new case): {count} contact imported",
                "case #{case_id} (new case): {count} contacts imported",
                count,
            )
            if case_id in opened
            else ngettext(
                "case #{case_id}: {count} contact imported",
                "case #{case_id}: {count} contacts imported",
                count,
            )
        )
        click.echo(said.format(case_id=case_id, count=count))


def _say(outcome: Any, *, each: bool = True) -> None:
    if outcome.status == "refused":
        warn(_("refused {origin}: {reason}").format(origin=outcome.origin, reason=outcome.reason))
        return
    if outcome.status == "present":
        return
    for warning in outcome.warnings:
        warn(f"{outcome.origin}: {warning}")
    if not each:
        return
    where = _("case #{id}").format(id=outcome.case_id) if outcome.case_id else _("a new case")
    how = (
        _(" (new case)")
        if outcome.opened_case
        else (f" ({outcome.threaded_by})" if outcome.threaded_by else "")
    )
    contact = (
        _("contact #{id}").format(id=outcome.contact_id) if outcome.contact_id else _("a contact")
    )
    click.echo(
        _("{contact} in {case}{how}: {subject}").format(
            contact=contact, case=where, how=how, subject=outcome.subject or outcome.origin
        )
    )


@cli.group()
def settings() -> None:
    """Your settings: the addresses you write from, the mail provider you trust."""


@settings.command("show")
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def settings_show(ctx: click.Context, as_json: bool) -> None:
    """Every setting, its value and what it means."""
    from recorder.write.settings import SETTINGS, get_setting

    store = access(ctx).store()
    with store.read() as session:
        values = {name: get_setting(session, name) for name in SETTINGS}
    if as_json:
        print_json(values)
        return
    for name, (_kind, meaning) in SETTINGS.items():
        value = values[name]
        if isinstance(value, dict):
            shown = ", ".join(f"{k} {v}" for k, v in value.items())
        else:
            shown = ", ".join(value) if value else _("(not set)")
        click.echo(f"{name}: {shown}\n    {_(meaning)}")


@settings.command("set")
@click.argument("name")
@click.argument("value")
@click.pass_context
def settings_set(ctx: click.Context, name: str, value: str) -> None:
    """Set NAME to VALUE (a list separated by commas; "" clears it)."""
    from recorder.write.settings import set_setting

    with open_store_for(ctx) as store, store.write() as tx:
        kept = set_setting(tx, name, value)
    click.echo(f"{name}: {', '.join(kept) if kept else _('(not set)')}")


@cli.command()
@click.option("--host", help=N_("The IMAP server (remembered for the next run)."))
@click.option("--port", type=int, help=N_("Its port (default 993, or 143 on this machine)."))
@click.option("--user", help=N_("The login name."))
@click.option("--folder", "folders", multiple=True, help=N_("A folder to read (repeatable)."))
@click.option("--password-command", help=N_("A command that prints the password."))
@click.option("--platform", "platform", help=N_("Import everything fetched as this platform's."))
@click.option("--dry-run", is_flag=True, help=N_("Show what would be imported; write nothing."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print one JSON document."))
@click.pass_context
def fetch(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    user: str | None,
    folders: Sequence[str],
    password_command: str | None,
    platform: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import new messages from your IMAP mailbox: those from a platform's domains, and
    your own to a platform. Each folder is read on from where the last run stopped.

    The password comes from the system keyring (`keyring set recorder USER@HOST`) or
    from --password-command; it is never stored by recorder. TLS is required except to
    this machine.
    """
    from recorder.ingest.imap import account_of, account_setting, fetch, password_of
    from recorder.ingest.importer import Options
    from recorder.write.settings import get_setting, set_setting

    with open_store_for(ctx) as store:
        with store.read() as session:
            saved = get_setting(session, "imap_account") or {}
        given = {
            "host": host,
            "user": user,
            "port": port,
            "folders": list(folders),
            "password_command": password_command,
        }
        account = account_of(saved, given)
        password = password_of(account)
        options = Options(platform=platform, dry_run=dry_run, local=local())
        with _Bar(0, enabled=not as_json) as bar:
            outcomes = fetch(store, account, password, options, tell=bar)
        if account_setting(account) != saved and not dry_run:
            with store.write() as tx:
                set_setting(tx, "imap_account", account_setting(account))
    _report(ctx, outcomes, dry_run, as_json)
