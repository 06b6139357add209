"""The secret scanner on the labelled transcripts of tests/data/secrets/labelled.jsonl,
its checksum rule, and redaction under hypothesis."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mnemonic import Mnemonic

from recorder.domain.secrets import SecretKind, kinds_of, mask, redact, scan
from recorder.domain.seed_phrases import checksum_ok

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "secrets" / "labelled.jsonl"
"""English and Chinese transcripts with each secret they hold, and negatives that hold
none (TxIDs, hashes, addresses, order and ticket numbers, prose about passwords)."""


def _samples() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLES.read_text("utf-8").splitlines() if line]


def _wanted(sample: dict[str, Any]) -> set[tuple[str, int, int]]:
    text = sample["text"]
    out = set()
    for secret in sample["secrets"]:
        start = text.index(secret["value"])
        out.add((secret["kind"], start, start + len(secret["value"])))
    return out


def test_precision_and_recall_on_the_labelled_transcripts() -> None:
    """Each finding is scored by kind and exact span: a finding that masks too little
    leaves part of a secret behind, one that masks too much hides evidence."""
    samples = _samples()
    true_positive = false_positive = false_negative = 0
    for sample in samples:
        got = {(f.kind.value, f.start, f.end) for f in scan(sample["text"])}
        wanted = _wanted(sample)
        true_positive += len(got & wanted)
        false_positive += len(got - wanted)
        false_negative += len(wanted - got)
    precision = true_positive / (true_positive + false_positive)
    recall = true_positive / (true_positive + false_negative)
    assert precision >= 0.95, precision
    assert recall >= 0.95, recall
    kinds = {s["kind"] for sample in samples for s in sample["secrets"]}
    assert kinds == {k.value for k in SecretKind}
    negatives = sum(1 for sample in samples if not sample["secrets"])
    assert negatives >= 40


@pytest.mark.parametrize(
    "text",
    [
        "TxID: 0x" + "ab" * 32,
        "My 2FA code stopped working after I changed phones.",
        "reset my password please",
        "工单号 7001234，订单号 20261201123456",
        # Prose made of list words: a run of twelve, but its checksum fails and no
        # word says seed phrase.
        "abandon ability able about above absent absorb abstract absurd abuse access accident",
    ],
)
def test_evidence_is_not_taken_for_a_secret(text: str) -> None:
    assert scan(text) == []


def test_a_seed_phrase_needs_its_checksum() -> None:
    english = Mnemonic("english")
    phrase = english.to_mnemonic(bytes(range(16)))
    indices = [english.wordlist.index(w) for w in phrase.split()]
    assert checksum_ok(indices)
    broken = [*indices[:-1], (indices[-1] + 1) % 2048]
    assert not checksum_ok(broken)
    assert scan(f"here: {phrase}")[0].kind is SecretKind.seed_phrase
    mistyped = " ".join(english.wordlist[i] for i in broken)
    assert scan(f"there: {mistyped}") == []
    said = scan(f"my seed phrase is {mistyped}")
    assert [f.kind for f in said] == [SecretKind.seed_phrase]
    assert "mistyped" in said[0].warning


def test_chinese_characters_count_only_apart_or_beside_a_keyword() -> None:
    chinese = Mnemonic("chinese_simplified")
    phrase = chinese.to_mnemonic(bytes(range(16)))
    together = phrase.replace(" ", "")
    assert scan(f"我的问题是{together}") == []
    assert [f.kind for f in scan(f"我的助记词是{together}")] == [SecretKind.seed_phrase]
    assert [f.kind for f in scan(f"请输入 {phrase} 谢谢")] == [SecretKind.seed_phrase]


def test_a_warning_says_what_it_means_and_what_to_do() -> None:
    english = Mnemonic("english")
    (finding,) = scan(english.to_mnemonic(bytes(16)))
    assert finding.warning.startswith("A valid BIP-39 seed phrase: anyone who has it controls")
    assert "move the funds to a new wallet now" in finding.warning
    assert finding.to_json() == {"kind": "seed_phrase", "start": 0, "end": finding.end}
    (code,) = scan("my 2FA code is 123456")
    assert "support never needs one" in code.warning
    assert kinds_of([code, finding, code]) == ["seed_phrase", "one_time_code"]


def test_redaction_masks_every_kind_and_a_second_scan_finds_nothing() -> None:
    for sample in _samples():
        found = scan(sample["text"])
        redacted = redact(sample["text"], found)
        assert scan(redacted) == []
        for secret in sample["secrets"]:
            assert secret["value"] not in redacted
        for finding in found:
            assert mask(finding.kind) in redacted


# Hypothesis: transcripts made of prose, evidence and secrets, in any order.
_english = Mnemonic("english")
_PIECES = st.one_of(
    st.sampled_from(
        [
            "Agent: please wait while I check. ",
            "TxID 0x" + "5d" * 32 + " ",
            "工单号 7001234 ",
            "order 12345678 ",
            "my password reset failed. ",
            "我的提现还在审核中。",
            "\n",
        ]
    ),
    st.binary(min_size=16, max_size=16).map(lambda b: _english.to_mnemonic(b) + " "),
    st.integers(0, 999_999).map(lambda n: f"2FA code is {n:06d} "),
    st.from_regex(r"[A-Za-z]{3,6}[0-9]{1,4}[!#]?", fullmatch=True).map(lambda p: f"password: {p} "),
    st.text(min_size=0, max_size=30),
)


@settings(max_examples=int(os.environ.get("RECORDER_FUZZ", "200")), deadline=None)
@given(st.lists(_PIECES, max_size=8).map("".join))
def test_redaction_leaves_no_finding_and_touches_nothing_else(text: str) -> None:
    found = scan(text)
    redacted = redact(text, found)
    assert scan(redacted) == []
    # Outside the findings every character is where it was: the text between (and
    # around) the masks is exactly the text between the findings.
    at = 0
    rest = redacted
    for finding in found:
        before = text[at : finding.start]
        assert rest.startswith(before)
        rest = rest[len(before) :]
        assert rest.startswith(mask(finding.kind))
        rest = rest[len(mask(finding.kind)) :]
        at = finding.end
    assert rest == text[at:]


@settings(max_examples=int(os.environ.get("RECORDER_FUZZ", "200")), deadline=None)
@given(st.text(max_size=400))
def test_any_text_scans_without_error_and_findings_do_not_overlap(text: str) -> None:
    found = scan(text)
    for first, second in itertools.pairwise(found):
        assert first.end <= second.start
    for finding in found:
        assert 0 <= finding.start < finding.end <= len(text)
