"""`recorder` on a terminal, and `recorder demo`: the terminal UI."""

from __future__ import annotations

from pathlib import Path

import click

from recorder.access import StoreAccess
from recorder.cli.base import cli


def run_tui(store: StoreAccess, *, subtitle: str = "") -> None:
    """Run the terminal UI on a store until the user quits."""
    # Imported here: the rest of the command line never loads Textual.
    from recorder.tui.app import RecorderApp

    RecorderApp(store, subtitle=subtitle).run()


@cli.command()
def demo() -> None:
    """Open recorder on a throw-away store filled with sample cases.

    Your own store is not touched; the sample store is deleted when you quit.
    """
    import shutil
    import tempfile

    from recorder.demo import fill

    folder = Path(tempfile.mkdtemp(prefix="recorder-demo-"))
    try:
        store = StoreAccess(str(folder / "demo.sqlite3"))
        fill(store.store())
        run_tui(store, subtitle="demo: sample cases in a throw-away store")
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    click.echo("The demo store was deleted; your own store was not touched.")
