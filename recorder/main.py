"""The `recorder` program: the command line, given the terminal UI to open.

The command line and the terminal UI are independent of each other; this module, above
both, joins them. The UI is imported only when it is opened.
"""

from __future__ import annotations

from typing import NoReturn

from recorder.access import StoreAccess
from recorder.cli import cli
from recorder.cli.base import Setup
from recorder.process import quick_start


def run_tui(access: StoreAccess, *, subtitle: str = "") -> None:
    """Run the terminal UI on a store until the user quits."""
    from recorder.tui.app import RecorderApp

    RecorderApp(access, subtitle=subtitle).run()


def main() -> NoReturn:
    """The console script."""
    quick_start()  # see recorder.process
    cli.main(prog_name="recorder", obj=Setup(run_tui=run_tui))
