"""The pure duplicate logic: normalisation, keys, and the similar-case score on the
labelled pairs of tests/data/duplicates.jsonl."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from recorder.domain.duplicates import (
    SIMILAR_THRESHOLD,
    Finding,
    case_similarity,
    describe,
    identifier_key,
    message_key,
    normalise_message,
    problem,
    similarity,
)
from recorder.domain.vocabulary import DuplicateKind

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "duplicates.jsonl"
"""A copy of the shared labelled pairs (tests/data/README.md)."""


def _pairs() -> list[dict[str, object]]:
    """The shared labelled pairs, and recorder's own: amount-only, asset-only and
    vague-title look-alikes, and the same amount or asset written two ways."""
    return [
        json.loads(line)
        for path in (SAMPLES, SAMPLES.with_name("duplicates_more.jsonl"))
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]


def _same(earlier: str, later: str) -> bool:
    return similarity(problem(earlier), problem(later)) >= SIMILAR_THRESHOLD


def test_similar_case_precision_and_recall_on_the_labelled_pairs() -> None:
    pairs = _pairs()
    assert len(pairs) >= 45, "a labelled set went missing"
    outcomes = [(bool(p["dup"]), _same(str(p["earlier"]), str(p["later"]))) for p in pairs]
    true_pos = sum(1 for label, found in outcomes if label and found)
    false_pos = sum(1 for label, found in outcomes if not label and found)
    false_neg = sum(1 for label, found in outcomes if label and not found)
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"similar case on {len(pairs)} labelled pairs: {precision=:.2f} {recall=:.2f}")
    assert precision >= 0.9
    assert recall >= 0.9


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("order 771203 filled at the wrong price", "order 771988 filled at the wrong price"),
        ("ETH withdrawal pending for 48 hours", "ETH deposit pending for 48 hours"),
        ("Staking rewards not paid for October", "Staking rewards not paid for November"),
        ("充值USDT未到账", "提现USDT未到账"),
        ("ETH withdrawal of 0.3 ETH", "ETH withdrawal of 1.5 ETH"),
        ("USDC 充值未到账", "ETH deposit of 2.0 ETH"),
        ("Missing funds", "BTC withdrawal missing"),
    ],
)
def test_a_difference_that_matters_vetoes_however_alike_the_rest(earlier: str, later: str) -> None:
    assert similarity(problem(earlier), problem(later)) == 0.0


def test_the_same_problem_in_other_words_with_the_same_txid_is_the_same() -> None:
    txid = "0x9F3C1E0B7A24D6F8E1C5B3A7D9E2F4C6"
    assert _same(f"Withdrawal {txid} stuck", f"where are my coins? tx {txid.lower()[2:]}")


def test_chinese_is_compared_by_characters() -> None:
    terms = problem("我的账户被冻结了").terms
    assert "account" in terms and "lock" in terms  # phrases first, then one character a term
    assert "被" in terms


def test_durations_compare_in_hours() -> None:
    assert problem("pending for two days").terms == problem("pending 48 hours").terms


def test_the_first_message_adds_its_identifiers_to_a_case() -> None:
    title = "Order filled at the wrong price"
    first = (title, "Order 771203 was filled at 2x the limit.")
    other = (title, "Order 771988 was filled at 2x the limit.")
    assert case_similarity(first, other) == 0.0
    assert case_similarity(first, (title, "It was order 771203, see attached.")) == 100.0
    assert case_similarity((title, ""), (title, "")) == 100.0


@pytest.mark.parametrize(
    ("value", "key"),
    [("0xABC123", "abc123"), ("  abc 123 ", "abc123"), ("ABC123", "abc123"), ("0x", "0x")],
)
def test_identifier_key_ignores_case_spaces_and_0x(value: str, key: str) -> None:
    assert identifier_key(value) == key


def test_identifier_key_of_nothing_is_none() -> None:
    assert identifier_key(None) is None
    assert identifier_key("   ") is None


def test_a_message_is_compared_without_the_replies_it_quotes() -> None:
    first = "Hello,\n\nMy withdrawal is still pending.\n\nThanks"
    reply = (
        "hello,   my WITHDRAWAL is still pending. thanks\n"
        "On Tue, 24 Nov 2026 at 10:00, Gemini Support <support@gemini.com> wrote:\n"
        "> We received your request."
    )
    quoted = "Hello, my withdrawal is still pending. Thanks\n> earlier words\n>> older"
    assert message_key(first) == message_key(reply) == message_key(quoted)
    assert message_key("My withdrawal is still pending, thanks") != message_key(first)


def test_an_empty_message_has_no_key() -> None:
    assert message_key("  \n> only a quote\n") is None
    assert normalise_message("\uff21\uff22\uff23") == "abc"  # full-width letters fold


def test_describe_says_which_one_and_what_to_do() -> None:
    due = datetime(2026, 11, 26, 22, 0, tzinfo=UTC)
    waiting = Finding(
        DuplicateKind.still_waiting,
        4,
        "BTC withdrawal pending",
        matched="ticket 4815162 (5 business days)",
        due_at=due,
    )
    new_york = ZoneInfo("America/New_York")
    assert describe(waiting, new_york) == (
        "ticket 4815162 (5 business days) is still inside its response window, "
        "due Thu 26 Nov 17:00: add to it rather than opening a new one"
    )
    assert describe(waiting, new_york, now=due) == (
        "written again while ticket 4815162 (5 business days) was still inside its window "
        "(due Thu 26 Nov 17:00)"
    )
    similar = Finding(DuplicateKind.similar_case, 4, "BTC withdrawal pending", score=88.0)
    assert similar.message(UTC) == (
        "reads like open case #4 (BTC withdrawal pending) (88% alike): add to that case instead"
    )
