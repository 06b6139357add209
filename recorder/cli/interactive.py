"""`recorder demo`: the terminal UI on a throw-away store of sample cases."""

from __future__ import annotations

from pathlib import Path

import click

from recorder.access import StoreAccess
from recorder.cli.base import cli, setup_of
from recorder.domain.i18n import _


@cli.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Open recorder on a throw-away store filled with sample cases.

    Your own store is not touched; the sample store is deleted when you quit.
    """
    import shutil
    import tempfile

    from recorder.demo import fill

    run_tui = setup_of(ctx).run_tui
    if run_tui is None:
        raise click.UsageError(_("this recorder was started without its terminal UI"))
    folder = Path(tempfile.mkdtemp(prefix="recorder-demo-"))
    try:
        store = StoreAccess(str(folder / "demo.sqlite3"))
        fill(store.store())
        run_tui(store, subtitle=_("demo: sample cases in a throw-away store"))
        store.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    click.echo(_("The demo store was deleted; your own store was not touched."))
