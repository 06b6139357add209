"""Automatic acknowledgements are recognised by their wording and their sender."""

from __future__ import annotations

import pytest

from recorder.domain.acknowledgements import automatic_reason


@pytest.mark.parametrize(
    ("text", "subject", "address"),
    [
        (
            "We have received your request (4815162). A member of our team will reply soon.",
            None,
            None,
        ),
        ("Thanks for reaching out! We've received your message.", None, "support@gemini.com"),
        ("Your request (4815162) has been received and is being reviewed.", None, None),
        ("This is an automated response. Please do not reply to this email.", None, None),
        ("Anything at all", None, "no-reply@gemini.com"),
        ("Anything at all", None, "Gemini <DoNotReply@gemini.com>"),
        ("Hello", "Request received: 4815162", None),
        ("您好，我们已收到您的工单，会尽快处理。", None, None),
        ("此邮件为系统自动发送，请勿直接回复。", None, None),
    ],
)
def test_acknowledgements_are_recognised(
    text: str, subject: str | None, address: str | None
) -> None:
    reason = automatic_reason(text=text, subject=subject, address=address)
    assert reason is not None and "\n" not in reason


@pytest.mark.parametrize(
    "text",
    [
        "Hi Jane, your withdrawal was held for a compliance review and is released now.",
        "We looked into it: the deposit arrived, see your balance.",
        "您好，您的提现已经完成，请查收。",
        # An answer that quotes the acknowledgement is still an answer.
        "The transfer is released.\n\n> We have received your request (4815162).",
        # Boilerplate at the top of a long real answer does not make it automatic.
        "We have received your request. " + "Here is what happened with your order. " * 30,
    ],
)
def test_answers_are_not_taken_for_acknowledgements(text: str) -> None:
    assert automatic_reason(text=text, address="sam@gemini.com") is None
