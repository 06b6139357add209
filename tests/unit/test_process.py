"""The garbage collector policy: off while a command starts, back on for what runs long."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from recorder.process import long_running, quick_start


@pytest.fixture(autouse=True)
def restore_gc() -> Iterator[None]:
    yield
    gc.unfreeze()
    gc.enable()


def test_a_command_starts_without_it_and_long_work_gets_it_back() -> None:
    quick_start()
    assert not gc.isenabled()
    before = gc.get_freeze_count()
    long_running()
    assert gc.isenabled()
    assert gc.get_freeze_count() > before  # what was made so far is set aside


def test_long_running_leaves_a_program_that_never_turned_it_off_alone() -> None:
    assert gc.isenabled()
    before = gc.get_freeze_count()
    long_running()
    assert gc.isenabled() and gc.get_freeze_count() == before
