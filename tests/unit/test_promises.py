"""Support's promises in its own words, English and Chinese."""

from __future__ import annotations

import pytest

from recorder.domain.promises import find_promise


@pytest.mark.parametrize(
    ("text", "window"),
    [
        ("We will update you within 3 business days.", "3 business days"),
        ("We aim to reply in 2-3 working days.", "3 business days"),  # the far end
        ("Expect an answer within 24 hours.", "24h"),
        ("We will get back to you within 48 hrs", "48h"),
        ("Our team will review it within two weeks.", "14d"),
        ("我们将在3个工作日内回复您", "3 business days"),
        ("请耐心等待，1至3个工作日内处理", "3 business days"),
        ("预计24小时内到账", "24h"),
        ("三个工作日内给您答复", "3 business days"),
        ("一周内处理完毕", "7d"),
    ],
)
def test_a_promise_and_its_window(text: str, window: str) -> None:
    found = find_promise(text)
    assert found is not None and str(found) == window


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for waiting.",
        "It was pending for 3 days.",  # a duration, not a promise
        "in 5 minutes",  # minutes: not a chase date worth keeping
        "We will reply as soon as possible.",
        "within 0 days",
    ],
)
def test_no_promise(text: str) -> None:
    assert find_promise(text) is None
