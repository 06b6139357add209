"""The sender check: answers come from the platform's own domains, lookalikes do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recorder.domain.senders import SenderFinding, SenderKind, check_sender, describe

GEMINI = {"platform": "Gemini", "domains": ["gemini.com"], "addresses": ["support@gemini.com"]}


def kinds(address: str) -> set[SenderKind]:
    return {f.kind for f in check_sender(address, **GEMINI)}


@pytest.mark.parametrize(
    "address",
    [
        "support@gemini.com",
        "SUPPORT@Gemini.COM",
        "help@support.gemini.com",  # a subdomain of an official domain
        "Gemini Support <help@gemini.com>",
        "Sam",  # a chat agent: no address to check
        "+1 212 555 0100",
    ],
)
def test_the_platforms_own_addresses_and_non_email_senders_pass(address: str) -> None:
    assert check_sender(address, **GEMINI) == []


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("security@gemini-support.com", {SenderKind.official_name_elsewhere}),
        (
            "Gemini Security <alerts@gemini.com.security-check.io>",
            {SenderKind.official_name_elsewhere, SenderKind.display_name},
        ),
        ("help@gemlni.com", {SenderKind.lookalike}),
        ("help@gemini1.com", {SenderKind.lookalike}),
        ("help@g\u0435mini.com", {SenderKind.homoglyph}),  # a Cyrillic e
        ("help@xn--gmini-3ve.com", {SenderKind.punycode}),
        ("Gemini Support <gemini.help@gmail.com>", {SenderKind.display_name}),
        ("someone@example.org", set()),
    ],
)
def test_addresses_elsewhere_are_flagged_with_the_reason(
    address: str, expected: set[SenderKind]
) -> None:
    found = kinds(address)
    assert SenderKind.not_official in found
    assert expected <= found


def test_a_platform_without_domains_has_nothing_to_hold_a_sender_against() -> None:
    assert check_sender("x@anywhere.net", platform="Bank", domains=[]) == []


def test_the_message_says_what_it_means() -> None:
    found = check_sender("security@gemini-support.com", **GEMINI)
    line = describe(found)
    assert "gemini-support.com is not one of Gemini's official domains (gemini.com)" in line
    assert "answers nothing until you mark the sender trusted" in line
    assert "\n" not in line
    assert [SenderFinding.from_json(f.to_json()) for f in found] == found


labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)


@given(labels, st.lists(labels, max_size=3))
def test_every_address_at_an_official_domain_passes(local: str, subdomains: list[str]) -> None:
    host = ".".join([*subdomains, "gemini.com"])
    assert check_sender(f"{local}@{host}", **GEMINI) == []


@given(st.text(max_size=80))
def test_the_check_never_raises_whatever_the_address(address: str) -> None:
    for finding in check_sender(address, **GEMINI):
        assert finding.message and "\n" not in finding.message
