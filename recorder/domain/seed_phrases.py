"""BIP-39 seed phrases in a text, for recorder.domain.secrets.

A phrase is 12, 15, 18, 21 or 24 words of one list (the word lists the `mnemonic`
package ships) whose last bits are the checksum of the rest. English words are read
in any case, apart or numbered ("1. pen 2. camera"). Chinese characters are read only
where they stand apart ("香 肠 知 ...") or a keyword (助记词, 恢复短语, 私钥) is near:
ordinary Chinese prose is made of the characters of the lists.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterator, Sequence
from functools import cache
from hashlib import sha256
from pathlib import Path

from recorder.domain.i18n import N_
from recorder.domain.patterns import LazyPattern

Span = tuple[int, int, str]
"""Where a phrase starts and ends in the text, and a note ("" when nothing is odd)."""

PHRASE_LENGTHS = (24, 21, 18, 15, 12)
"""The lengths a BIP-39 phrase has, longest first."""

_SEED_WORDS = LazyPattern(
    r"(?i)(?:seed(?:\s+|-)?(?:phrase|words?)|recovery\s+(?:phrase|words?|seed)|mnemonic|"
    r"secret\s+(?:recovery\s+)?phrase|backup\s+phrase|助记词|助記詞|恢复短语|恢復短語|私钥|私鑰)"
    r"(?! removed\])"  # the mask an earlier redaction left ("[seed phrase removed]")
)
_LATIN_WORD = LazyPattern(r"[A-Za-z]+")
_BETWEEN_WORDS = LazyPattern(r"[\s\d.,;:)(\-]*")
KEYWORD_REACH = 40
"""Characters before a run whose checksum fails within which a word that says seed
phrase makes it one still."""


@cache
def _wordlist(language: str) -> dict[str, int]:
    """A BIP-39 list as the `mnemonic` package ships it, read from its file: importing
    the package itself costs a `recorder log` about 14 ms."""
    spec = importlib.util.find_spec("mnemonic")
    assert spec is not None and spec.origin is not None, "the mnemonic package is a dependency"
    path = Path(spec.origin).parent / "wordlist" / f"{language}.txt"
    words = path.read_text("utf-8").split()
    assert len(words) == 2048, path
    return {word: index for index, word in enumerate(words)}


def checksum_ok(indices: Sequence[int]) -> bool:
    """Whether BIP-39 word indices carry their checksum (the last bits: the first bits
    of the SHA-256 of the entropy before them)."""
    if len(indices) not in PHRASE_LENGTHS:
        return False
    bits = 0
    for index in indices:
        bits = bits << 11 | index
    total = len(indices) * 11
    check_bits = total // 33
    entropy = (bits >> check_bits).to_bytes((total - check_bits) // 8, "big")
    expected = sha256(entropy).digest()[0] >> (8 - check_bits)
    return (bits & ((1 << check_bits) - 1)) == expected


def _phrases_in(run: Sequence[tuple[int, int, int]], text: str) -> Iterator[Span]:
    """The phrases in a run of list words (start, end, index), longest first. A run as
    long as a phrase whose checksum fails is still one when a word that says seed
    phrase stands just before it."""
    i = found = 0
    while i + PHRASE_LENGTHS[-1] <= len(run):
        for length in PHRASE_LENGTHS:
            window = run[i : i + length]
            if len(window) == length and checksum_ok([w[2] for w in window]):
                found += 1
                yield (window[0][0], window[-1][1], "")
                i += length
                break
        else:
            i += 1
    if found or len(run) < PHRASE_LENGTHS[-1]:
        return
    start = run[0][0]
    if _SEED_WORDS.search(text, max(0, start - KEYWORD_REACH), start):
        yield (start, run[-1][1], MISTYPED)


MISTYPED = N_("its checksum does not match: a word may be mistyped, but treat it as real")


def seed_phrases(text: str) -> Iterator[Span]:
    words = _wordlist("english")
    # Most texts hold no twelve list words in a row: find that out in C first.
    marks = "".join("1" if w in words else "0" for w in _LATIN_WORD.findall(text.lower()))
    if "1" * PHRASE_LENGTHS[-1] in marks:
        tokens = list(_LATIN_WORD.finditer(text))
        for candidate in re.finditer(f"1{{{PHRASE_LENGTHS[-1]},}}", marks):
            run: list[tuple[int, int, int]] = []
            for match in tokens[candidate.start() : candidate.end()]:
                if run and _BETWEEN_WORDS.fullmatch(text, run[-1][1], match.start()) is None:
                    yield from _phrases_in(run, text)
                    run = []
                run.append((match.start(), match.end(), words[match.group().lower()]))
            yield from _phrases_in(run, text)
    if not text.isascii() and (_HAN_APART.search(text) or _AFTER_KEYWORD.search(text)):
        for language in ("chinese_simplified", "chinese_traditional"):
            yield from _chinese_phrases(text, _wordlist(language))


_HAN_APART = LazyPattern(r"(?<![\u4e00-\u9fff])(?:[\u4e00-\u9fff][\s,，、]+){11,}[\u4e00-\u9fff]")
"""Twelve or more Chinese characters each standing apart: "香 肠 知 壁 ..."."""
_AFTER_KEYWORD = LazyPattern(
    r"(?:助记词|助記詞|恢复短语|恢復短語|私钥|私鑰)(?:是|为|為|如下)?[\s:：]*([\u4e00-\u9fff]{12,24})"
)
"""Characters written together right after a keyword: 助记词：香肠知壁..."""


def _chinese_phrases(text: str, words: dict[str, int]) -> Iterator[Span]:
    """Runs of list characters apart ("香 肠 知"), or together right after a keyword
    (助记词：香肠知...): a whole phrase, from its first character."""
    for match in _HAN_APART.finditer(text):
        yield from _list_runs(text, match.start(), match.end(), words)
    for match in _AFTER_KEYWORD.finditer(text):
        chars = match.group(1)
        for length in PHRASE_LENGTHS:
            indices = [words[c] for c in chars[:length] if c in words]
            if len(indices) == length and checksum_ok(indices):
                yield (match.start(1), match.start(1) + length, "")
                break


def _list_runs(text: str, start: int, end: int, words: dict[str, int]) -> Iterator[Span]:
    run: list[tuple[int, int, int]] = []
    for at in range(start, end):
        char = text[at]
        if char.isspace() or char in ",，、":
            continue
        index = words.get(char)
        if index is None:
            yield from _phrases_in(run, text)
            run = []
        else:
            run.append((at, at + 1, index))
    yield from _phrases_in(run, text)
