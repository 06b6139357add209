"""Duplicate detection: does a new submission repeat an earlier one?

Pure logic only (no database, no UI): normalising text, comparing identifiers and
scoring how alike two problem descriptions are. The write path (`recorder.write.checks`)
runs the checks against the store and keeps what they find as `DuplicateFlag` rows.

Similar problems are scored with rapidfuzz after a normalisation that knows the
vocabulary of support requests: synonyms and paraphrases become one term ("ether" and
"ETH", "two-factor" and "2FA", "didn't receive" and "not credited"), durations become
hours ("two days" and "48 hours"), Chinese, Japanese and Korean text is compared by
characters, and some differences veto a match outright however alike the rest reads:
two different long numbers (order 771203 and order 771988), two different amounts
(0.3 ETH and 1.5 ETH), or two different terms of one kind (a deposit and a withdrawal,
ETH and USDC, October and November, a phone number and an email address). A title that
only says something is wrong ("Missing funds") names no problem, and matches nothing
by wording alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Protocol

from recorder.domain.dates import shown
from recorder.domain.i18n import _
from recorder.domain.support_terms import (
    ASSETS,
    CJK_STOP,
    HOURS,
    KINDS,
    NUMBER_WORDS,
    PHRASES,
    STOP,
    VAGUE,
    WORDS,
)
from recorder.domain.vocabulary import DuplicateKind

__all__ = [
    "SIMILAR_THRESHOLD",
    "Finding",
    "Problem",
    "case_similarity",
    "describe",
    "identifier_key",
    "message_key",
    "normalise_message",
    "problem",
    "similarity",
]

SIMILAR_THRESHOLD = 65.0
"""The score from which two problems count as the same one.

Tuned on the 34 labelled pairs of `tests/data/duplicates.jsonl` (a copy of the shared
samples: 18 duplicates, 16 look-alikes that are different problems) and the 13 of
`tests/data/duplicates_more.jsonl` (amount-only, asset-only and vague-title look-alikes);
tests/unit/test_duplicates.py reports precision and recall on all 47 and requires both
at 0.9 or better.
"""


@dataclass(frozen=True, slots=True)
class Finding:
    """What one check found: the earlier case (and contact) a submission repeats."""

    kind: DuplicateKind
    earlier_case_id: int
    earlier_title: str
    earlier_contact_id: int | None = None
    score: float = 100.0
    matched: str = ""
    """What matched: the reference, the identifier, the message's date, the window."""
    due_at: datetime | None = None
    """For `still_waiting`: when the earlier contact is due an answer."""

    def message(self, local: tzinfo) -> str:
        """What the submission repeats and what to do instead, in one line."""
        return describe(self, local)


class Repeat(Protocol):
    """What a message about a repeat needs: a Finding, or a stored flag as shown."""

    @property
    def kind(self) -> DuplicateKind: ...
    @property
    def earlier_case_id(self) -> int: ...
    @property
    def earlier_title(self) -> str: ...
    @property
    def matched(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def due_at(self) -> datetime | None: ...


def describe(repeat: Repeat, local: tzinfo, now: datetime | None = None) -> str:
    """One line that says what a submission repeats, and what to do instead.

    Read after its `due_at` has passed (`now`), a still-waiting flag says what it was
    then.
    """
    kind, matched, due_at = repeat.kind, repeat.matched, repeat.due_at
    case = _("case #{earlier_case_id} ({earlier_title})").format(
        earlier_case_id=repeat.earlier_case_id, earlier_title=repeat.earlier_title
    )
    if kind is DuplicateKind.same_reference:
        return _("reference {matched} is already in {case}: add to that case instead").format(
            matched=matched, case=case
        )
    if kind is DuplicateKind.same_identifier:
        return _("{matched} is already in open {case}: add to that case instead").format(
            matched=matched, case=case
        )
    if kind is DuplicateKind.same_message:
        return _("the same message was already sent {matched} in {case}").format(
            matched=matched, case=case
        )
    if kind is DuplicateKind.second_ticket:
        return _(
            "a new ticket number while {matched} of this case is unanswered: "
            "follow up on {matched} instead; a second ticket only joins the back "
            "of the queue"
        ).format(matched=matched)
    if kind is DuplicateKind.still_waiting:
        due = ""
        if due_at is not None:
            here = due_at.astimezone(local)
            this_year = now is None or now.astimezone(local).year == here.year
            due = shown(here, "weekday_time" if this_year else "weekday_date_time")
        if now is not None and due_at is not None and due_at <= now:
            return _(
                "written again while {matched} was still inside its window (due {due})"
            ).format(matched=matched, due=due)
        return (
            _(
                "{matched} is still inside its response window, due {due}: add to it "
                "rather than opening a new one"
            )
            if due
            else _(
                "{matched} is still inside its response window: add to it rather than "
                "opening a new one"
            )
        ).format(matched=matched, due=due)
    return _("reads like open {case} ({score:.0f}% alike): add to that case instead").format(
        case=case, score=repeat.score
    )


# --- identifiers -------------------------------------------------------------------


def identifier_key(value: str | None) -> str | None:
    """A TxID or order number as compared: case, whitespace and a leading 0x ignored."""
    if value is None:
        return None
    key = "".join(value.split()).casefold()
    if key.startswith("0x") and len(key) > 2:
        key = key[2:]
    return key or None


# --- messages ----------------------------------------------------------------------

# The lines of an earlier message that a reply quotes: "> ..." lines, and everything
# after an "On <date>, <someone> wrote:" or "-----Original Message-----" header.
_QUOTED_LINE = re.compile(r"^\s*>")
_QUOTE_HEADER = re.compile(
    r"^\s*(?:on\b.{0,200}\bwrote:|-{2,}\s*original message\s*-{2,}|"
    r"from:\s.+|在.{0,100}写道[:：])\s*$",
    re.IGNORECASE,
)


def normalise_message(text: str) -> str:
    """A message as compared for "same message": quoted earlier replies removed,
    Unicode compatibility forms folded, case and whitespace ignored."""
    kept: list[str] = []
    for line in text.splitlines():
        if _QUOTE_HEADER.match(line):
            break
        if not _QUOTED_LINE.match(line):
            kept.append(line)
    folded = unicodedata.normalize("NFKC", "\n".join(kept)).casefold()
    return " ".join(folded.split())


def message_key(text: str) -> str | None:
    """The SHA-256 of a normalised message (None for an empty one): an indexed column
    finds the same message among any number of stored contacts."""
    normal = normalise_message(text)
    if not normal:
        return None
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


_CJK_RANGE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"


@dataclass(frozen=True, slots=True)
class _Patterns:
    cjk: re.Pattern[str]
    token: re.Pattern[str]
    long_number: re.Pattern[str]
    """An identifier: five or more digits, or a long hexadecimal string."""
    phrase: re.Pattern[str]
    duration: re.Pattern[str]
    amount: re.Pattern[str]
    """A number next to an asset or currency: "0.3 ETH", "ETH 1.5", "$250", "2.0 eth"."""


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    # Compiled on first use, not at import: logging a contact needs none of them, and
    # compiling them took 9 ms of every `recorder log`.
    phrases = sorted(PHRASES, key=len, reverse=True)
    assets = "|".join(sorted(ASSETS, key=len, reverse=True))
    number = r"\d[\d,]*(?:\.\d+)?"
    return _Patterns(
        cjk=re.compile(f"([{_CJK_RANGE}])"),
        token=re.compile(f"[a-z0-9']+|[{_CJK_RANGE}]"),
        long_number=re.compile(r"^(?:\d{5,}|(?:0x)?[0-9a-f]{16,})$"),
        phrase=re.compile("|".join(re.escape(p) for p in phrases)),
        duration=re.compile(
            r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")\s+(" + "|".join(HOURS) + r")\b"
        ),
        amount=re.compile(
            rf"[$€£¥]\s*({number})|(?<![\w.])({number})\s*(?:{assets})\b"
            rf"|\b(?:{assets})\s*({number})(?![\w.])"
        ),
    )


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem description as compared: its terms, identifiers and kinds of terms."""

    terms: tuple[str, ...]
    """Canonical terms in order, without filler words."""
    ids: frozenset[str]
    """Long numbers and hexadecimal identifiers in it (order numbers, TxIDs)."""
    kinds: tuple[tuple[str, frozenset[str]], ...]
    """For each kind of term it names, which ones."""
    amounts: frozenset[str] = frozenset()
    """Amounts of money it names, normalised ("2.0" is "2")."""

    @property
    def vague(self) -> bool:
        """Whether it only says that something is wrong, not what."""
        return all(term in VAGUE for term in self.terms)

    @property
    def text(self) -> str:
        """The terms as one string, for rapidfuzz."""
        return " ".join(self.terms)


def _duration(match: re.Match[str]) -> str:
    count, unit = match.groups()
    number = int(count) if count.isdigit() else NUMBER_WORDS[count]
    return f" {number * HOURS[unit]}h "


@lru_cache(maxsize=8192)
def problem(text: str) -> Problem:
    """Normalise a problem description (a title, perhaps with the start of a message)."""
    found = _patterns()
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    amounts = frozenset(
        _amount(next(g for g in m.groups() if g)) for m in found.amount.finditer(folded)
    )
    folded = found.phrase.sub(lambda m: f" {PHRASES[m.group(0)]} ", folded)
    folded = found.duration.sub(_duration, folded)
    folded = found.cjk.sub(r" \1 ", folded)
    terms: list[str] = []
    ids: set[str] = set()
    for raw in found.token.findall(folded):
        word = raw.strip("'")
        if not word or word in STOP or word in CJK_STOP:
            continue
        if found.long_number.match(word):
            ids.add(identifier_key(word) or word)
        word = WORDS.get(word, word)
        if word in NUMBER_WORDS and word not in ("a", "an"):
            word = str(NUMBER_WORDS[word])
        terms.append(word)
    present = set(terms)
    kinds = tuple(
        (kind, frozenset(present & members)) for kind, members in KINDS.items() if present & members
    )
    return Problem(terms=tuple(terms), ids=frozenset(ids), kinds=kinds, amounts=amounts)


def _amount(text: str) -> str:
    """An amount as compared: "1,500.50" is "1500.5", "2.0" is "2"."""
    from decimal import Decimal

    return format(Decimal(text.replace(",", "")).normalize(), "f")


TEXT_HEAD = 300
"""How much of a case's first message counts as part of its problem description."""


def case_similarity(earlier: tuple[str, str], later: tuple[str, str]) -> float:
    """How alike two cases read, from their (title, first message) pairs.

    The titles are scored (the labelled pairs are titles). The start of the first
    message adds its identifiers: two cases that name different order numbers or TxIDs
    are different problems, and the same identifier makes them the same one.
    """
    title_score = similarity(problem(earlier[0]), problem(later[0]))
    if not earlier[1] and not later[1]:
        return title_score
    whole = [problem(f"{title} {text[:TEXT_HEAD]}") for title, text in (earlier, later)]
    if whole[0].ids and whole[1].ids:
        return 100.0 if whole[0].ids & whole[1].ids else 0.0
    return title_score


def similarity(earlier: Problem, later: Problem) -> float:
    """How alike two problems read, 0 to 100; SIMILAR_THRESHOLD and up is the same one.

    The same identifier in both makes them the same problem; different identifiers,
    or different terms of one kind, make them different ones. Otherwise rapidfuzz's
    token-set ratio of the canonical terms decides.
    """
    if earlier.ids and later.ids:
        return 100.0 if earlier.ids & later.ids else 0.0
    if earlier.amounts and later.amounts and not earlier.amounts & later.amounts:
        return 0.0
    if earlier.vague or later.vague:
        return 0.0
    mine = dict(earlier.kinds)
    for kind, terms in later.kinds:
        if kind in mine and mine[kind] != terms:
            return 0.0
    if not earlier.terms or not later.terms:
        return 0.0
    # Imported here: only a new case that shares a term with an open one needs it.
    from rapidfuzz import fuzz

    return float(fuzz.token_set_ratio(earlier.text, later.text))
