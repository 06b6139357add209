"""The garbage collector across a process's life: off while a command starts, on for
what runs long.

Most commands live for a fraction of a second, most of it spent importing: objects
that live as long as the process, in which the cyclic garbage collector finds nothing
to free, yet its passes over them took a sixth of `recorder log` and a third of the
TUI's start. Reference counting frees everything else all the while.
"""

from __future__ import annotations

import gc
import os
import sys

_PR_SET_PDEATHSIG = 1
_watched = False


def quick_start() -> None:
    """Turn the cyclic collector off: a command is starting (the console script)."""
    gc.disable()


def long_running() -> None:
    """Turn it back on for what runs long or builds much (the TUI once it has painted,
    export, verify), with everything made so far set aside, so that its passes skip
    it. Does nothing where it was never turned off (tests, other programs)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def children_die_with_me() -> None:
    """Have every process this one forks from now on (an export's writer, bagit's pool
    of hashers) killed when this one dies: a killed export leaves no worker holding
    the store open. Linux only (PR_SET_PDEATHSIG); elsewhere nothing changes."""
    global _watched
    if _watched or not sys.platform.startswith("linux"):
        return
    _watched = True
    parent = os.getpid()
    os.register_at_fork(after_in_child=lambda: _die_with(parent))


def _die_with(parent: int) -> None:
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
