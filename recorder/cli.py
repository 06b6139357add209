"""The `recorder` command line: parse, call the core, print (or `--json`)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, NoReturn

import click

from recorder.errors import InputError, RecorderError

DEBUG_ENV = "RECORDER_DEBUG"


def _fail(message: str, status: int) -> NoReturn:
    click.echo(f"recorder: {message}", err=True)
    sys.exit(status)


class RecorderGroup(click.Group):
    """The top command: every error leaves as one line on stderr.

    Exit status 1 for input the core refused, 2 for a command line click could not
    read. Nothing reaches the user as a stack trace unless RECORDER_DEBUG is set.
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        """Run the command line and exit with its status."""
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            _fail(f"{exc.format_message()}{where}", 2)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail("aborted; nothing was changed", 1)
        except RecorderError as exc:
            _fail(str(exc), 1)
        except BrokenPipeError:
            sys.exit(1)
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            _fail(_unexpected(exc), 1)
        sys.exit(result if isinstance(result, int) else 0)


def _unexpected(exc: Exception) -> str:
    from sqlalchemy.exc import OperationalError

    if isinstance(exc, OperationalError):
        return f"the store could not be used: {exc.orig}; nothing was changed"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return (
        f"internal error: {type(exc).__name__}: {exc}; nothing was changed "
        f"(set {DEBUG_ENV}=1 for details)"
    )


class Settings:
    """What the top command was given, for the subcommands."""

    def __init__(self, db: str | None) -> None:
        self.db = db


def _settings(ctx: click.Context) -> Settings:
    settings = ctx.find_object(Settings)
    assert settings is not None
    return settings


@contextmanager
def _store(ctx: click.Context) -> Iterator[Any]:
    from recorder.records import open_store

    store = open_store(_settings(ctx).db)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _reader(ctx: click.Context) -> Iterator[Any]:
    """A reader of the store: the light one when the store allows, else the full store."""
    from recorder.locations import resolve
    from recorder.reading import open_sqlite_reader

    light = open_sqlite_reader(resolve(_settings(ctx).db))
    if light is not None:
        try:
            yield light
        finally:
            light.close()
        return
    with _store(ctx) as store, store.reader() as reader:
        yield reader


def _print_json(document: Any) -> None:
    # Indented for a person at a terminal; compact (and several times faster to
    # write, through json's C encoder) for a program reading a pipe.
    indent = 2 if sys.stdout.isatty() else None
    click.echo(json.dumps(document, ensure_ascii=False, indent=indent))


def _local() -> tzinfo:
    from recorder.dates import local_zone

    return local_zone()


def _when(text: str | None, now: datetime) -> datetime:
    if text is None:
        return now
    from recorder.dates import parse_when

    return parse_when(text, now=now, local=_local())


def _show_time(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(_local()).strftime("%Y-%m-%d %H:%M %Z").strip()


def _read_text(path: str) -> str:
    """Read a text file (or standard input for `-`) that must be UTF-8."""
    name = "standard input" if path == "-" else path
    if path == "-":
        data = sys.stdin.buffer.read()
    else:
        source = Path(path)
        if not source.is_file():
            raise InputError(f"text file {path!r} does not exist or is not a file")
        data = source.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not valid UTF-8 (byte offset {exc.start}); expected UTF-8 text"
        ) from None
    return text.removeprefix("\ufeff")


def _case_id(value: str) -> int:
    cleaned = value.strip().lstrip("#")
    if not cleaned.isdigit():
        raise InputError(f"case id {value!r} is not a number; expected e.g. 12 or #12")
    return int(cleaned)


@click.group(name="recorder", cls=RecorderGroup, invoke_without_command=True)
@click.option(
    "--db",
    metavar="PATH|URL",
    help="The store: a SQLite file or a SQLAlchemy URL (default: RECORDER_DB, "
    "else the data directory).",
)
@click.version_option(package_name="recorder")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Keep your own record of every contact with a company's support."""
    ctx.obj = Settings(db)
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


def main() -> NoReturn:
    """The console script."""
    cli.main(prog_name="recorder")


# Locations ------------------------------------------------------------------------------


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def locate(ctx: click.Context, as_json: bool) -> None:
    """Print where recorder keeps the store and its attachments."""
    from recorder.locations import resolve

    where = resolve(_settings(ctx).db)
    doc = {
        "data_dir": str(where.data_dir),
        "store": str(where.database) if where.database else where.url,
        "attachments": str(where.attachments),
    }
    if as_json:
        _print_json(doc)
        return
    for key, value in doc.items():
        click.echo(f"{key:<12} {value}")


# Platforms ------------------------------------------------------------------------------


@cli.group()
def platform() -> None:
    """List, show and add platforms (the organisations you deal with)."""


@platform.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def platform_list(ctx: click.Context, as_json: bool) -> None:
    """List the platforms."""
    from recorder.queries import list_platforms

    with _reader(ctx) as reader:
        platforms = [p.to_json() for p in list_platforms(reader)]
    if as_json:
        _print_json(platforms)
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
    from recorder.queries import platform_named

    with _reader(ctx) as reader:
        doc = platform_named(reader, name).to_json()
    if as_json:
        _print_json(doc)
        return
    click.echo(doc["name"])
    click.echo(f"  domains     {', '.join(doc['domains']) or '-'}")
    click.echo(f"  addresses   {', '.join(doc['addresses']) or '-'}")
    click.echo(f"  time zone   {doc['timezone']}")
    click.echo(f"  holidays    {doc['holidays'] or '-'}")
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
    notes: str,
    as_json: bool,
) -> None:
    """Add a platform."""
    from recorder.queries import platform_named
    from recorder.records import add_platform

    parsed = _windows(windows)
    with _store(ctx) as store:
        with store.write() as tx:
            added = add_platform(
                tx,
                name=name,
                domains=domains,
                addresses=addresses,
                timezone=timezone,
                holidays=holidays,
                windows=parsed,
                notes=notes,
            )
        if as_json:
            with store.reader() as reader:
                _print_json(platform_named(reader, added.name).to_json())
            return
    click.echo(f"added platform {added.name}")


# Cases ----------------------------------------------------------------------------------


@cli.group()
def case() -> None:
    """Open, edit and change the status of cases (one problem with one platform)."""


def _identifier_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--txid", help="Transaction id (TxID)."),
            click.option("--order", "order_number", help="Order number."),
            click.option("--account-email", help="The account's email address."),
            click.option("--asset", help="Asset, e.g. BTC."),
            click.option("--amount", help="Amount, as written, e.g. 0.25."),
        ]
    ):
        func = option(func)
    return func


@case.command("new")
@click.option("--platform", "platform_name", required=True, help="The platform's name.")
@click.option("--title", required=True, help="The problem in a few words.")
@click.option("--priority", default="normal", show_default=True, help="normal or urgent.")
@_identifier_options
@click.option("--json", "as_json", is_flag=True, help="Print the new case as JSON.")
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
    from recorder.queries import case_detail
    from recorder.records import open_case

    with _store(ctx) as store:
        with store.write() as tx:
            opened = open_case(
                tx, platform=platform_name, title=title, priority=priority, **identifiers
            )
        assert opened.id is not None
        if as_json:
            with store.reader() as reader:
                _print_json(case_detail(reader, opened.id).to_json())
            return
    click.echo(opened.id)


@case.command("status")
@click.argument("case_id")
@click.argument("status")
@click.pass_context
def case_status(ctx: click.Context, case_id: str, status: str) -> None:
    """Set a case's STATUS: open, waiting_on_support, waiting_on_me, escalated, resolved, closed."""
    from recorder.records import set_status

    with _store(ctx) as store, store.write() as tx:
        changed = set_status(tx, _case_id(case_id), status.strip().replace("-", "_"))
    click.echo(f"case #{changed.id} is {changed.status.value}")


@case.command("edit")
@click.argument("case_id")
@click.option("--title", help="A new title.")
@click.option("--priority", help="normal or urgent.")
@click.option("--platform", "platform_name", help="Move the case to another platform.")
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
    from recorder.records import edit_case

    changes: dict[str, Any] = {k: v for k, v in identifiers.items() if v is not None}
    for key, value in (("title", title), ("priority", priority), ("platform", platform_name)):
        if value is not None:
            changes[key] = value
    if not changes:
        raise click.UsageError("nothing to change; give at least one option")
    with _store(ctx) as store, store.write() as tx:
        edited = edit_case(tx, _case_id(case_id), changes)
    click.echo(f"case #{edited.id} updated")


# Contacts -------------------------------------------------------------------------------


_DIRECTIONS = {"out": "outbound", "in": "inbound", "outbound": "outbound", "inbound": "inbound"}


def _direction(value: str) -> str:
    found = _DIRECTIONS.get(value.strip().lower())
    if found is None:
        raise InputError(f"unknown direction {value!r}; expected out (you wrote) or in (support)")
    return found


def _contact_text(text: str | None, text_file: str | None) -> str | None:
    if text is not None and text_file is not None:
        raise click.UsageError("give --text or --text-file, not both")
    return _read_text(text_file) if text_file is not None else text


@cli.command()
@click.option("--case", "case_id", required=True, help="The case's id.")
@click.option("--channel", required=True, help="help_center, chat, ticket, email, phone, ...")
@click.option("--direction", required=True, help="out (you wrote) or in (support answered).")
@click.option("--at", "when", help="When it happened (default: now), in your time zone.")
@click.option("--ref", "reference", help="The ticket or case number the platform gave.")
@click.option("--agent", help="The support agent's name.")
@click.option("--address", help="The counterpart's address (email, handle, phone).")
@click.option("--subject", help="The subject line.")
@click.option("--text", help="The message or transcript.")
@click.option("--text-file", metavar="PATH|-", help="Read the text from a UTF-8 file, or stdin.")
@click.option("--attach", "attach", multiple=True, help="Attach a file (repeatable).")
@click.option("--auto-ack", is_flag=True, help="An automatic acknowledgement.")
@click.option("--json", "as_json", is_flag=True, help="Print the new contact as JSON.")
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
    auto_ack: bool,
    as_json: bool,
) -> None:
    """Record one contact in a case and print its id."""
    from recorder.records import log_contact

    body = _contact_text(text, text_file) or ""
    with _store(ctx) as store:
        occurred = _when(when, store.clock.now())
        with store.write() as tx:
            contact = log_contact(
                tx,
                case_id=_case_id(case_id),
                channel=channel.strip().lower(),
                direction=_direction(direction),
                occurred_at=occurred,
                reference=reference,
                agent=agent,
                address=address,
                subject=subject,
                text=body,
                auto_ack=auto_ack,
                attach=[Path(p).expanduser() for p in attach],
            )
        if as_json:
            from recorder.queries import contact_views

            with store.reader() as reader:
                _print_json(contact_views(reader, contact_id=contact.id)[0].to_json())
            return
    click.echo(contact.id)


@cli.group()
def contact() -> None:
    """Correct or delete a contact."""


@contact.command("edit")
@click.argument("contact_id", type=int)
@click.option("--channel", help="A new channel.")
@click.option("--direction", help="out or in.")
@click.option("--at", "when", help="When it happened, in your time zone.")
@click.option("--ref", "reference", help="The reference number ('' clears it).")
@click.option("--agent", help="The agent's name.")
@click.option("--address", help="The counterpart's address.")
@click.option("--subject", help="The subject line.")
@click.option("--text", help="The message or transcript.")
@click.option("--text-file", metavar="PATH|-", help="Read the text from a UTF-8 file, or stdin.")
@click.pass_context
def contact_edit(
    ctx: click.Context,
    /,
    contact_id: int,
    when: str | None,
    text: str | None,
    text_file: str | None,
    direction: str | None,
    **fields: str | None,
) -> None:
    """Correct a contact's fields; the audit log keeps what they were."""
    from recorder.records import edit_contact

    changes: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}
    body = _contact_text(text, text_file)
    if body is not None:
        changes["text"] = body
    if direction is not None:
        changes["direction"] = _direction(direction)
    with _store(ctx) as store:
        if when is not None:
            changes["occurred_at"] = _when(when, store.clock.now())
        if not changes:
            raise click.UsageError("nothing to change; give at least one option")
        with store.write() as tx:
            edit_contact(tx, contact_id, changes)
    click.echo(f"contact #{contact_id} updated")


@contact.command("delete")
@click.argument("contact_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def contact_delete(ctx: click.Context, contact_id: int, yes: bool) -> None:
    """Delete a contact (the audit log keeps a copy of it)."""
    from recorder.records import delete_contact

    if not yes:
        click.confirm(f"Delete contact #{contact_id}?", abort=True)
    with _store(ctx) as store, store.write() as tx:
        delete_contact(tx, contact_id)
    click.echo(f"contact #{contact_id} deleted")


# Lists and details ----------------------------------------------------------------------


@cli.command("list")
@click.option("--status", "statuses", multiple=True, help="Only cases with this status.")
@click.option("--platform", "platform_name", help="Only cases with this platform.")
@click.option("--all", "show_all", is_flag=True, help="Resolved and closed cases too.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def list_command(
    ctx: click.Context,
    statuses: tuple[str, ...],
    platform_name: str | None,
    show_all: bool,
    as_json: bool,
) -> None:
    """List open cases, newest activity first."""
    from recorder.queries import list_cases
    from recorder.vocabulary import OPEN_STATUSES, CaseStatus, parse_choice

    wanted: Sequence[CaseStatus] | None = OPEN_STATUSES
    if statuses:
        wanted = [parse_choice(CaseStatus, s.replace("-", "_"), "status") for s in statuses]
    elif show_all:
        wanted = None
    with _reader(ctx) as reader:
        cases = list_cases(reader, statuses=wanted, platform=platform_name)
    if as_json:
        _print_json([c.to_json() for c in cases])
        return
    if not cases:
        if statuses or show_all or platform_name:
            click.echo("No cases match.")
        else:
            click.echo("No open cases ('recorder list --all' shows resolved and closed ones).")
        return
    for c in cases:
        refs = ",".join(c.references) or "-"
        click.echo(
            f"#{c.id:<5} {c.status.value:<18} {c.platform:<10.10} {c.title:<36.36} "
            f"ref {refs:<12} last {_show_time(c.last_contact_at)}"
        )


@cli.command()
@click.argument("case_id")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def show(ctx: click.Context, case_id: str, as_json: bool) -> None:
    """Show a case and its whole history in time order."""
    from recorder.queries import case_detail

    with _reader(ctx) as reader:
        detail = case_detail(reader, _case_id(case_id))
    if as_json:
        _print_json(detail.to_json())
        return
    click.echo(f"#{detail.id} {detail.title}")
    click.echo(f"  {detail.platform} · {detail.status.value} · {detail.priority}")
    for key, value in detail.identifiers.items():
        if value:
            click.echo(f"  {key.replace('_', ' ')}: {value}")
    for c in detail.contacts:
        arrow = "→" if c.direction == "outbound" else "←"
        head = [_show_time(c.occurred_at), arrow, c.channel]
        head += [f"ref {c.reference}"] if c.reference else []
        head += [c.agent] if c.agent else []
        head += ["(automatic)"] if c.auto_ack else []
        click.echo("")
        click.echo(f"  [{c.id}] " + "  ".join(head))
        if c.subject:
            click.echo(f"      {c.subject}")
        for line in c.text.splitlines():
            click.echo(f"      {line}")
        for a in c.attachments:
            click.echo(f"      📎 {a.name} ({a.size} bytes, sha256 {a.sha256[:12]}…)")


# The store ------------------------------------------------------------------------------


@cli.group("db")
def db_group() -> None:
    """Upgrade, back up and verify the store."""


@db_group.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Bring the store's schema up to date (opening it does this too)."""
    from recorder.db import SCHEMA_HEAD

    with _store(ctx):
        pass
    click.echo(f"the store is at schema revision {SCHEMA_HEAD}")


@db_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def db_backup(ctx: click.Context, path: Path) -> None:
    """Write a consistent copy of the store to a new file PATH."""
    from recorder.db import backup

    with _store(ctx) as store:
        backup(store.engine, path)
    click.echo(f"backed up to {path}")


@db_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def db_verify(ctx: click.Context, as_json: bool) -> None:
    """Check the audit chain from the first event to the last."""
    from recorder.records import count_rows, verify_store_chain

    with _store(ctx) as store, store.read() as session:
        report = verify_store_chain(session)
        counts = count_rows(session)
    if as_json:
        _print_json(
            {
                "ok": report.ok,
                "events": report.events,
                "head": report.head,
                "problems": report.problems,
                "rows": counts,
            }
        )
    else:
        for problem in report.problems:
            click.echo(problem)
        if report.ok:
            click.echo(f"OK: {report.events} audit events, head {report.head}")
    if not report.ok:
        sys.exit(1)
