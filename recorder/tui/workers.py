"""Handing what a worker read to the screen, unless a newer read has replaced it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.worker import get_current_worker


def deliver(app: App[Any], show: Callable[..., object], *args: Any) -> None:
    """From a worker thread, run `show(*args)` on the app's thread, unless the worker
    has been cancelled by then.

    A thread worker started with ``exclusive=True`` is cancelled when a newer one in
    its group starts, but its thread runs to the end. Without this check an older read
    that finishes late (it began before a write committed) would paint over the newer
    one. The check runs on the app's thread, where newer workers are started, so it
    cannot be overtaken.
    """
    worker = get_current_worker()

    def run() -> None:
        if not worker.is_cancelled:
            show(*args)

    app.call_from_thread(run)
