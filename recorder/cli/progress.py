"""What the command line shows while a long copy runs."""

from __future__ import annotations

from typing import Any

from recorder.domain.i18n import _


class CopyBar:
    """A progress bar on stderr for files of more than 50 MB (Rich, imported then)."""

    LARGE = 50 * 1000 * 1000

    def __init__(self) -> None:
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, name: str, done: int, total: int) -> None:
        """Told how the copy goes."""
        if total < self.LARGE:
            return
        if self.bar is None:
            from rich.console import Console
            from rich.progress import DownloadColumn, Progress

            self.bar = Progress(
                *Progress.get_default_columns(), DownloadColumn(), console=Console(stderr=True)
            )
            self.bar.start()
        if self.task is None:
            self.task = self.bar.add_task(_("attaching {name}").format(name=name), total=total)
        self.bar.update(self.task, completed=done, total=total)
        if done >= total:
            self.task = None

    def close(self) -> None:
        """Take the bar off the terminal."""
        if self.bar is not None:
            self.bar.stop()
