"""The ticket number each helpdesk's messages carry, found where that helpdesk puts it."""

from __future__ import annotations

import pytest

from recorder.domain.tickets import Ticket, find_ticket, ticket_patterns

SAMPLES: list[tuple[str, dict[str, object], Ticket]] = [
    (
        "Zendesk's receipt",
        {"subject": "Your request (7001234) has been received", "body": "Thanks."},
        Ticket("7001234", "Zendesk"),
    ),
    (
        "Zendesk's footer id",
        {"subject": "Re: withdrawal", "body": "Reply above this line.\n[7JX0PK-4E9R]"},
        Ticket("7JX0PK-4E9R", "Zendesk"),
    ),
    (
        "Zendesk's Reply-To",
        {"subject": "Re: withdrawal", "reply_to": "support+id7001234@exchange.zendesk.com"},
        Ticket("7001234", "Zendesk"),
    ),
    (
        "Request Tracker's header",
        {"subject": "Re: withdrawal", "headers": {"X-RT-Ticket": "exchange.example #4815"}},
        Ticket("4815", "Request Tracker"),
    ),
    (
        "Request Tracker's subject tag",
        {"subject": "[exchange.example #4815] Re: withdrawal"},
        Ticket("4815", "Request Tracker"),
    ),
    (
        "Zammad's subject hook",
        {"subject": "Re: withdrawal [Ticket#20261201000123]"},
        Ticket("20261201000123", "Zammad or OTRS"),
    ),
    (
        "Jira's notification",
        {"subject": "[JIRA] (SUP-4821) Withdrawal pending"},
        Ticket("SUP-4821", "Jira Service Management"),
    ),
    (
        "ServiceNow's incident",
        {"subject": "Incident INC0012345 has been opened on your behalf"},
        Ticket("INC0012345", "ServiceNow"),
    ),
    (
        "Freshdesk's subject tag",
        {"subject": "[#48151] Re: Withdrawal pending"},
        Ticket("48151", "Freshdesk or osTicket"),
    ),
    (
        "a generic wording",
        {"subject": "Update", "body": "Your case number: 00912345. We will be in touch."},
        Ticket("00912345", ""),
    ),
    (
        "a Chinese ticket number",
        {"subject": "回复：提现问题", "body": "您的工单编号：A2026120155，我们将尽快处理。"},
        Ticket("A2026120155", ""),
    ),
]


@pytest.mark.parametrize(("name", "message", "expected"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_each_helpdesk_s_number_is_found_where_it_puts_it(
    name: str, message: dict[str, object], expected: Ticket
) -> None:
    assert find_ticket(**message) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "subject",
    [
        "Withdrawal (BTC-2024) pending",  # a code in brackets, not a Jira notification
        "Re: my withdrawal of 0.25 BTC",
        "[External] Your account",
    ],
)
def test_an_ordinary_subject_names_no_ticket(subject: str) -> None:
    assert find_ticket(subject=subject, body="Please wait for our reply.") is None


def test_every_pattern_names_its_helpdesk_and_a_place() -> None:
    places = {"subject", "body", "reply-to"}
    for entry in ticket_patterns():
        assert entry.helpdesk
        assert entry.where in places or entry.where.startswith("header:")
        assert entry.pattern.groups >= 1
