"""Reading response windows from text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recorder.errors import InputError
from recorder.windows import Unit, Window, parse_window


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10m", Window(10, Unit.minutes)),
        ("72h", Window(72, Unit.hours)),
        ("3d", Window(3, Unit.days)),
        ("5bd", Window(5, Unit.business_days)),
        ("5 business days", Window(5, Unit.business_days)),
        ("1 Business Day", Window(1, Unit.business_days)),
        (" 24 hours ", Window(24, Unit.hours)),
        ("30 min", Window(30, Unit.minutes)),
    ],
)
def test_reads_the_forms_platforms_use(text: str, expected: Window) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "72", "h72", "0h", "5 weeks", "-3d", "3.5h"])
def test_refuses_anything_else_and_says_what_is_expected(text: str) -> None:
    with pytest.raises(InputError, match="expected '10m', '72h', '3d' or '5 business days'"):
        parse_window(text)


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(list(Unit)))
def test_the_written_form_reads_back_the_same(amount: int, unit: Unit) -> None:
    window = Window(amount, unit)
    assert parse_window(str(window)) == window
