"""Every command is reachable, though each module of commands loads only when needed."""

from __future__ import annotations

import importlib
import pkgutil

import click

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
