"""The `recorder` command line: parse, call the core, print (or `--json`).

Each command's module is imported when the command runs (base.COMMAND_MODULES).
"""

from recorder.cli.base import Setup, cli

__all__ = ["Setup", "cli"]
