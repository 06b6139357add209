"""The garbage collector across a process's life: off while a command starts, on for
what runs long.

Most commands live for a fraction of a second, most of it spent importing: objects
that live as long as the process, in which the cyclic garbage collector finds nothing
to free, yet its passes over them took a sixth of `recorder log` and a third of the
TUI's start. Reference counting frees everything else all the while.
"""

from __future__ import annotations

import gc


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
