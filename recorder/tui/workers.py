"""Worker results as messages, and why a late one is dropped."""

from __future__ import annotations

from textual.message import Message
from textual.worker import NoActiveWorker, Worker, get_current_worker


class WorkerResult(Message):
    """What a thread worker read, posted to the screen that started it.

    A thread worker started with ``exclusive=True`` is cancelled when a newer one in
    its group starts, but its thread runs to the end. Without a check, an older read
    that finishes late (it began before a write committed) would paint over the newer
    one. A handler therefore ignores a `stale` result: the check runs on the app's
    thread, where newer workers are started, so it cannot be overtaken. Made in the
    worker's thread, the message knows its worker.
    """

    def __post_init__(self) -> None:
        super().__post_init__()
        self.worker: Worker[object] | None = None
        try:
            self.worker = get_current_worker()
        except NoActiveWorker:  # made outside a worker: never stale
            self.worker = None

    @property
    def stale(self) -> bool:
        """Whether a newer read has replaced the one that made this result."""
        return self.worker is not None and self.worker.is_cancelled
