"""SVG snapshots of the main screens and dialogs on a narrow terminal (60x20): nothing
runs off the right edge, titles end in an ellipsis, dialogs scroll instead of cutting,
and the footer draws no key over another. The demo's cases hold Chinese titles too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.tui import SnapCompare, keys, make_app

NARROW = (60, 20)


@pytest.mark.parametrize(
    "pressed",
    [
        pytest.param((), id="tickets"),
        pytest.param(("enter",), id="case"),
        pytest.param(("question_mark",), id="help"),
        pytest.param(("e",), id="export"),
        pytest.param(("n",), id="log-form"),
    ],
)
def test_narrow_terminal(
    snap_compare: SnapCompare, demo_store: Path, pressed: tuple[str, ...]
) -> None:
    assert snap_compare(make_app(demo_store), terminal_size=NARROW, run_before=keys(*pressed))
