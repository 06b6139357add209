"""What the dialogs that run work in a worker share: a line (or a few) that says how it
went, the platforms to choose from, and closing while the work goes on."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.widgets import Select, Static

from recorder.read.platforms import list_platforms
from recorder.tui.context import RecorderDialog
from recorder.tui.workers import WorkerResult


class FormDialog(RecorderDialog[None]):
    """A modal form whose outcome is shown in its `#result` line; a `#platform` select,
    if it has one, is filled with the store's platforms when it opens."""

    DEFAULT_CSS = """
    FormDialog { align: center middle; }
    FormDialog > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
        overflow-y: auto; border: round $accent; background: $surface; padding: 0 1; }
    FormDialog .row { height: auto; }
    FormDialog .label { width: 12; color: $text-muted; }
    FormDialog Input, FormDialog Select { width: 1fr; }
    FormDialog .choices { width: 1fr; height: auto; }
    FormDialog .choices Checkbox { width: 1fr; height: auto; }
    FormDialog #result { height: auto; max-height: 8; }
    FormDialog .error { color: $error; }
    FormDialog ProgressBar { margin: 0 0 0 12; }
    """

    @dataclass
    class Said(WorkerResult):
        """What the dialog's work came to, to show under it."""

        text: str
        error: bool = False

    @dataclass
    class Platforms(WorkerResult):
        """The platforms to choose from."""

        names: list[str]

    def on_mount(self) -> None:
        """List the platforms, for a dialog that offers them."""
        if self.query("#platform"):
            self._platforms()

    @work(thread=True, group="form-platforms")
    def _platforms(self) -> None:
        with self.context.access.reader() as reader:
            names = [p.name for p in list_platforms(reader)]
        self.post_message(self.Platforms(names))

    @on(Platforms)
    def _platforms_read(self, message: Platforms) -> None:
        self.query_one("#platform", Select).set_options([(n, n) for n in message.names])

    @on(Said)
    def _said(self, message: Said) -> None:
        self._say(message.text, error=message.error)

    def _say(self, text: str, *, error: bool = False) -> None:
        result = self.query_one("#result", Static)
        result.update(text)
        result.set_class(error, "error")

    def action_close(self) -> None:
        """Close the dialog (work under way goes on to its end; nothing is half-written)."""
        self.dismiss(None)
