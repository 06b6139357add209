"""Every command is reachable, though each module of commands loads only when needed."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import click
import pytest

import recorder.cli
from recorder.cli.base import COMMAND_MODULES, cli


def test_every_command_is_registered_where_the_table_says() -> None:
    for module in pkgutil.iter_modules(recorder.cli.__path__):
        importlib.import_module(f"recorder.cli.{module.name}")
    assert set(cli.commands) == set(COMMAND_MODULES)
    for name, command in cli.commands.items():
        assert command.callback is not None
        assert command.callback.__module__ == f"recorder.cli.{COMMAND_MODULES[name]}", name


def test_each_command_resolves_through_the_group() -> None:
    ctx = click.Context(cli)
    for name in COMMAND_MODULES:
        assert cli.get_command(ctx, name) is not None, name
    assert cli.get_command(ctx, "nonsense") is None


LIGHT = {"click", "platformdirs"}
"""What a command's help may load besides the standard library and recorder's own light
modules: nothing heavier than click (issue 17), platformdirs naming the default store."""

_LOADED = """
import contextlib, io, sys
before = set(sys.modules)
from recorder.cli import cli
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    cli.main(sys.argv[1:] + ["--help"], prog_name="recorder")
print(" ".join(sorted(set(sys.modules) - before)))
"""


@pytest.mark.parametrize("command", ["", *sorted(COMMAND_MODULES)])
def test_help_loads_nothing_heavier_than_click(command: str) -> None:
    """`recorder --help` and `recorder COMMAND --help` in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", _LOADED, *command.split()],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {
        name.split(".")[0]
        for name in done.stdout.split()
        if not name.startswith("_sysconfigdata")  # the standard library's, per platform
    }
    foreign = loaded - set(sys.stdlib_module_names) - LIGHT - {"recorder"}
    assert not foreign, (command, sorted(foreign))
    assert "recorder.cli" in done.stdout.split()  # so the check above can fail
