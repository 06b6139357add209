"""The `recorder` command line: parse, call the core, print (or `--json`)."""

from recorder.cli import cases, follow_ups, interactive, platforms, store, views
from recorder.cli.base import cli, main

__all__ = ["cases", "cli", "follow_ups", "interactive", "main", "platforms", "store", "views"]
