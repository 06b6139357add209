"""The top `recorder` command, its error handling, and what its subcommands share."""

from __future__ import annotations

import importlib
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import click

from recorder.access import StoreAccess
from recorder.cli.language import speak, speak_command
from recorder.cli.progress import CopyBar
from recorder.domain.clock import Clock
from recorder.domain.errors import InputError, RecorderError
from recorder.domain.i18n import N_, _

if TYPE_CHECKING:
    from recorder.domain.secrets import SecretFinding
    from recorder.store.readers import Reader
    from recorder.store.session import Store

DEBUG_ENV = "RECORDER_DEBUG"
SETUP_KEY = "recorder.setup"


class TuiRunner(Protocol):
    """Runs the terminal UI on a store until the user quits."""

    def __call__(self, access: StoreAccess, *, subtitle: str = "") -> None: ...


@dataclass(frozen=True)
class Setup:
    """What the program running the command line gives it, as click's `obj`.

    The console script (`recorder.main`) gives the terminal UI; tests give a fixed
    clock, or a stand-in for the UI. Without one, there is no UI to open and the clock
    is the system's.
    """

    clock: Clock | None = None
    run_tui: TuiRunner | None = None


def warn(message: str) -> None:
    """One line on stderr, `recorder: ` first, control characters made visible (it
    may quote what the store holds)."""
    from recorder.domain.printable import visible

    click.echo(f"recorder: {visible(message)}", err=True)


def _fail(message: str, status: int) -> NoReturn:
    warn(message)
    sys.exit(status)


class VisibleStream:
    """Standard output with every control character written out: what recorder prints
    comes from what it stores, and a stored `ESC ]0;` must not retitle the terminal.
    (The JSON it prints has none: `print_json` escapes them.)"""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write `text` with its control characters made visible."""
        from recorder.domain.printable import visible

        self._stream.write(visible(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        if name == "buffer":  # no way around the filter
            raise AttributeError(name)
        return getattr(self._stream, name)


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
        real = sys.stdout
        sys.stdout = VisibleStream(real)
        try:
            words = list(sys.argv[1:] if args is None else args)
            speak(json_wanted=any(word in ("--json",) for word in words))
            speak_command(self)
            result = super().main(words, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = (
                _(" (see '{command_path} --help')").format(command_path=exc.ctx.command_path)
                if exc.ctx
                else ""
            )
            _fail(f"{exc.format_message()}{where}", 2)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort:
            _fail(_("aborted; nothing was changed"), 1)
        except RecorderError as exc:
            _fail(str(exc), 1)
        except BrokenPipeError:
            sys.exit(1)
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            _fail(_unexpected(exc), 1)
        finally:
            sys.stdout = real
        sys.exit(result if isinstance(result, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, for the help."""
        return sorted({*super().list_commands(ctx), *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """A command, its module imported only now: running one command loads one module
        of commands (click's "lazily loading subcommands")."""
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"recorder.cli.{module}")
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            speak_command(command)
        return command


COMMAND_MODULES = {
    "case": "cases",
    "log": "cases",
    "contact": "cases",
    "platform": "platforms",
    "list": "views",
    "show": "views",
    "due": "follow_ups",
    "stats": "follow_ups",
    "calendar": "follow_ups",
    "locate": "store",
    "db": "store",
    "anchor": "store",
    "demo": "interactive",
    "dups": "dups",
    "export": "export",
    "verify": "export",
    "import": "mail",
    "fetch": "mail",
    "settings": "mail",
    "scan": "secrets",
    "redact": "secrets",
    "search": "search",
}
"""Which module of recorder.cli defines each command."""


def _unexpected(exc: Exception) -> str:
    import sqlite3

    from sqlalchemy.exc import DBAPIError, OperationalError

    from recorder.store.db import damaged, is_damage
    from recorder.store.server_errors import server_problem

    if isinstance(exc, DBAPIError | sqlite3.DatabaseError) and is_damage(exc):
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        return damaged(reason)
    problem = server_problem(exc)
    if problem is not None:
        return problem
    if isinstance(exc, OperationalError):
        return _("the store could not be used: {orig}; nothing was changed").format(orig=exc.orig)
    if isinstance(exc, sqlite3.Error):
        return _("the store could not be read: {exc}").format(exc=exc)
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
    return _("internal error: {kind}: {exc} (set {variable}=1 for details)").format(
        kind=type(exc).__name__, exc=exc, variable=DEBUG_ENV
    )


def access(ctx: click.Context) -> StoreAccess:
    """The store the command line names (`--db`, `RECORDER_DB`, or the default)."""
    found = ctx.find_object(StoreAccess)
    assert found is not None
    return found


@contextmanager
def open_store_for(ctx: click.Context) -> Iterator[Store]:
    """The store the command line names, opened (created, upgraded) for writing; on a
    terminal, a large attachment shows a progress bar while it is copied in."""
    store = access(ctx).store()
    bar = CopyBar() if sys.stderr.isatty() else None
    store.files.progress = bar
    try:
        yield store
    finally:
        store.files.progress = None
        if bar is not None:
            bar.close()


@contextmanager
def reader_for(ctx: click.Context) -> Iterator[Reader]:
    """A reader of the store: the light one when the store allows, else the full store."""
    with access(ctx).reader() as reader:
        yield reader


def print_json(document: Any) -> None:
    """Print one JSON document on stdout."""
    # For a person at a terminal: indented, non-ASCII text as it is. For a program
    # reading a pipe: compact and ASCII-escaped, which json's C encoder writes several
    # times faster, and which no consumer's encoding can mangle.
    from recorder.domain.printable import json_safe

    person = sys.stdout.isatty()
    text = json.dumps(document, ensure_ascii=not person, indent=2 if person else None)
    click.echo(json_safe(text))


def warn_flags(store: Store, flag_ids: Sequence[int | None]) -> list[dict[str, Any]]:
    """Print each duplicate flag a write raised as a warning line on stderr; return
    their JSON objects (for `duplicate_flags`)."""
    if not flag_ids:
        return []
    from recorder.read.flags import list_flags

    zone = local()
    with store.reader() as reader:
        flags = list_flags(reader, every=True, ids=[i for i in flag_ids if i is not None])
    for flag in reversed(flags):
        warn(
            _("warning: possible duplicate (flag #{id}): {message}").format(
                id=flag.id, message=flag.message(zone)
            )
        )
    return [f.to_json(zone) for f in reversed(flags)]


def warn_secrets(contact_id: int, secrets: Sequence[tuple[str, SecretFinding]]) -> None:
    """Say on stderr, once per kind and field, which secrets a contact holds, what that
    means and how to take them out of the record."""
    said: set[tuple[str, str]] = set()
    for name, finding in secrets:
        if (name, finding.kind) in said:
            continue
        said.add((name, finding.kind))
        said_of = (
            _("warning: the subject of contact #{id} holds {secret}")
            if name == "subject"
            else _("warning: the text of contact #{id} holds {secret}")
        )
        warn(said_of.format(id=contact_id, secret=finding.description))
    if secrets:
        warn(
            _(
                "'recorder redact {contact_id}' masks them in the record (the audit "
                "chain keeps only a digest of what was there)"
            ).format(contact_id=contact_id)
        )


def local() -> tzinfo:
    from recorder.domain.dates import local_zone

    return local_zone()


def parse_time(text: str | None, now: datetime) -> datetime:
    if text is None:
        return now
    from recorder.domain.dates import parse_when

    return parse_when(text, now=now, local=local())


def show_time(value: datetime | None) -> str:
    """A time in the user's zone, which `times_in` names once per listing."""
    if value is None:
        return "-"
    from recorder.domain.dates import wall_time

    return wall_time(value, local())


def times_in() -> str:
    """The line that names the zone of a listing's times, once."""
    from recorder.domain.dates import zone_name

    return _("(times in {zone})").format(zone=zone_name(local()))


def read_text(path: str) -> str:
    """Read a text file (or standard input for `-`) that must be UTF-8."""
    from recorder.write.fields import MAX_TEXT_BYTES

    name = _("standard input") if path == "-" else path
    if path == "-":
        # Read no more than a text may hold: an endless stream is refused, not stored.
        data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
    else:
        source = Path(path)
        if not source.is_file():
            raise InputError(
                _("text file {path!r} does not exist or is not a file").format(path=path)
            )
        with source.open("rb") as handle:
            data = handle.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise InputError(
            _(
                "{name} holds more than {size} MB; recorder keeps texts of up to "
                "that: attach the file instead (--attach)"
            ).format(name=name, size=MAX_TEXT_BYTES // 1_000_000)
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            _("{name} is not valid UTF-8 (byte offset {start}); expected UTF-8 text").format(
                name=name, start=exc.start
            )
        ) from None
    return text.removeprefix("\ufeff")


def given(**options: Any) -> dict[str, Any]:
    """The options the user gave: None, and a repeatable option given no time, are not."""
    return {key: value for key, value in options.items() if value is not None and value != ()}


MAX_ID = 2**63 - 1
"""The largest id a store can hold (SQLite's INTEGER)."""


def id_of(value: str, what: str) -> int:
    """An id as typed ("12" or "#12"): ASCII digits, within what a store can hold."""
    cleaned = value.strip().lstrip("#")
    if not (cleaned.isascii() and cleaned.isdigit()):
        raise InputError(
            _("{what} id {value!r} is not a number; expected e.g. 12 or #12").format(
                what=_(what), value=value
            )
        )
    number = int(cleaned)
    if not 1 <= number <= MAX_ID:
        raise InputError(
            _("{what} id {value!r} is out of range; expected an id recorder gave").format(
                what=_(what), value=value
            )
        )
    return number


def case_id_of(value: str) -> int:
    """A case id as typed."""
    return id_of(value, N_("case"))


class RecordId(click.ParamType):  # type: ignore[type-arg]
    """A command-line argument that is an id of `what` (a contact, a flag)."""

    name = "ID"

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """The id, or one line that says what was expected."""
        if isinstance(value, int):
            return value
        return id_of(str(value), self.what)


@click.group(name="recorder", cls=RecorderGroup, invoke_without_command=True)
@click.option(
    "--db",
    metavar="PATH|URL",
    help=N_(
        "The store: a SQLite file or a SQLAlchemy URL (default: RECORDER_DB, "
        "else the data directory)."
    ),
)
@click.version_option(package_name="recorder")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Keep your own record of every contact with a company's support.

    With no command, on a terminal: open the terminal UI.
    """
    from recorder.domain.dates import TZ_ENV, zone

    if os.environ.get(TZ_ENV):  # checked before anything is read or written
        try:
            zone(os.environ[TZ_ENV])
        except InputError as exc:
            raise InputError(f"{TZ_ENV}: {exc}") from None
    setup = ctx.obj if isinstance(ctx.obj, Setup) else Setup()
    ctx.meta[SETUP_KEY] = setup
    ctx.obj = StoreAccess(db, clock=setup.clock)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        if setup.run_tui is not None and sys.stdin.isatty() and sys.stdout.isatty():
            setup.run_tui(ctx.obj)
        else:
            # Not on a terminal (a script, a pipe): there is nobody to drive a UI.
            click.echo(ctx.get_help())


def setup_of(ctx: click.Context) -> Setup:
    """What the program running the command line gave it (see `Setup`)."""
    found = ctx.meta.get(SETUP_KEY)
    return found if isinstance(found, Setup) else Setup()
