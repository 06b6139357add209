"""The `recorder` command line: parse, call the core, print (or `--json`)."""

from recorder.cli import cases, platforms, store, views
from recorder.cli.base import cli, main

__all__ = ["cases", "cli", "main", "platforms", "store", "views"]
