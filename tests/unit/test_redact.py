"""Redaction: what is masked, and what must be left alone."""

from __future__ import annotations

import pytest

from recorder.export.redact import Redactor, luhn


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("card 4111 1111 1111 1111 declined", "card **** **** **** 1111 declined"),
        ("card 4111-1111-1111-1111", "card ****-****-****-1111"),
        ("IBAN GB82WEST12345698765432 please", "IBAN ******************5432 please"),
        ("account number: 12345678", "account number: ****5678"),
        ("账号：6222 0202 0000 1234", "账号：**** **** **** 1234"),
        ("write to jane.doe@example.com", "write to j***@example.com"),
    ],
)
def test_what_is_masked(text: str, masked: str) -> None:
    assert Redactor().text(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "card 4111 1111 1111 1112 is not a card number (Luhn)",
        "order 771203 and TxID 0x9f3c1e0b7a24d6f8e1c5b3a7d9e2f4c6",
        "2026-11-20T15:00:00+00:00",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "call +1 415 555 0100",
        "write to support@gemini.com",
    ],
)
def test_what_is_left_alone(text: str) -> None:
    assert Redactor(frozenset({"gemini.com"})).text(text) == text


def test_luhn() -> None:
    assert luhn("4111111111111111") and not luhn("4111111111111112")


def test_it_counts_and_walks_json() -> None:
    redactor = Redactor()
    value = redactor.value({"a": ["x@y.org", 3, None], "b": {"c": "4111111111111111"}})
    assert value == {"a": ["x***@y.org", 3, None], "b": {"c": "************1111"}}
    assert redactor.summary() == ["1 card numbers", "1 email addresses"]
