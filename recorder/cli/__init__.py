"""The `recorder` command line: parse, call the core, print (or `--json`)."""

from recorder.cli import cases, interactive, platforms, store, views
from recorder.cli.base import cli, main

__all__ = ["cases", "cli", "interactive", "main", "platforms", "store", "views"]
