"""Duplicate detection: does a new submission repeat an earlier one?

Pure logic only (no database, no UI): normalising text, comparing identifiers and
scoring how alike two problem descriptions are. The write path (`recorder.dupcheck`)
runs the checks against the store and keeps what they find as `DuplicateFlag` rows.

Similar problems are scored with rapidfuzz after a normalisation that knows the
vocabulary of support requests: synonyms and paraphrases become one term ("ether" and
"ETH", "two-factor" and "2FA", "didn't receive" and "not credited"), durations become
hours ("two days" and "48 hours"), Chinese, Japanese and Korean text is compared by
characters, and some differences veto a match outright however alike the rest reads:
two different long numbers (order 771203 and order 771988), or two different terms
of one kind (a deposit and a withdrawal, October and November, a phone number and an
email address).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import lru_cache
from typing import Protocol

from recorder.vocabulary import DuplicateKind

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

Tuned on the 34 labelled pairs of `shared/samples/duplicates.jsonl` (18 duplicates,
16 look-alikes that are different problems); tests/unit/test_duplicates.py reports
precision and recall there and requires both at 0.9 or better.
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
    case = f"case #{repeat.earlier_case_id} ({repeat.earlier_title})"
    if kind is DuplicateKind.same_reference:
        return f"reference {matched} is already in {case}: add to that case instead"
    if kind is DuplicateKind.same_identifier:
        return f"{matched} is already in open {case}: add to that case instead"
    if kind is DuplicateKind.same_message:
        return f"the same message was already sent {matched} in {case}"
    if kind is DuplicateKind.still_waiting:
        due = "" if due_at is None else f"{due_at.astimezone(local):%a %d %b %H:%M}"
        if now is not None and due_at is not None and due_at <= now:
            return f"written again while {matched} was still inside its window (due {due})"
        return (
            f"{matched} is still inside its response window{', due ' + due if due else ''}: "
            "add to it rather than opening a new one"
        )
    return f"reads like open {case} ({repeat.score:.0f}% alike): add to that case instead"


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


# --- similar problems --------------------------------------------------------------

# Phrases first (longest first), then single words: each maps to one canonical term.
# Chinese phrases are replaced before the text is split into characters.
_PHRASES: dict[str, str] = {
    # access
    "log in": "login",
    "sign in": "login",
    "logged in": "login",
    "two-factor": "2fa",
    "two factor": "2fa",
    "2-step": "2fa",
    "authenticator": "2fa",
    "sms code": "sms",
    "text message": "sms",
    "locked out": "lock",
    # money that did not arrive
    "not credited": "missing",
    "not arrived": "missing",
    "has not arrived": "missing",
    "not received": "missing",
    "didn't receive": "missing",
    "did not receive": "missing",
    "never arrived": "missing",
    "never showed up": "missing",
    "not showing": "missing",
    "not paid": "missing",
    "not shown": "missing",
    # things that fail
    "stopped working": "fail",
    "not working": "fail",
    "no longer works": "fail",
    "doesn't work": "fail",
    "does not work": "fail",
    # what is left
    "what is left": "remainder",
    "remaining balance": "remainder",
    "two times": "twice",
    "identity verification": "kyc",
    "under review": "review",
    "in review": "review",
    "phone number": "phone",
    "email address": "email",
    "bank transfer": "transfer",
    # Chinese
    "充值": " deposit ",
    "提现": " withdrawal ",
    "提币": " withdrawal ",
    "没有到账": " missing ",
    "未到账": " missing ",
    "账户": " account ",
    "账号": " account ",
    "冻结": " lock ",
    "无法": " fail ",
    "不能": " fail ",
    "二次验证": " 2fa ",
    "双重验证": " 2fa ",
    "身份认证": " kyc ",
    "实名认证": " kyc ",
    "审核": " review ",
    "重置": " reset ",
    "丢失": " lost ",
    "丢了": " lost ",
    "手机": " phone ",
    "邮箱": " email ",
    "注销": " close ",
    "交易": " trade ",
}

_WORDS: dict[str, str] = {
    "ether": "eth",
    "ethereum": "eth",
    "bitcoin": "btc",
    "tether": "usdt",
    "signin": "login",
    "login": "login",
    "password": "password",
    "passcode": "password",
    "locked": "lock",
    "frozen": "lock",
    "freeze": "lock",
    "suspended": "lock",
    "disabled": "lock",
    "deposited": "deposit",
    "deposits": "deposit",
    "withdraw": "withdrawal",
    "withdrew": "withdrawal",
    "withdrawals": "withdrawal",
    "withdrawing": "withdrawal",
    "payout": "withdrawal",
    "missing": "missing",
    "lost": "lost",
    "rejected": "fail",
    "incorrect": "fail",
    "wrong": "fail",
    "fails": "fail",
    "failed": "fail",
    "failing": "fail",
    "cannot": "fail",
    "can't": "fail",
    "unable": "fail",
    "error": "fail",
    "declined": "declined",
    "charged": "charged",
    "charge": "charged",
    "buying": "buy",
    "bought": "buy",
    "purchase": "buy",
    "purchasing": "buy",
    "money": "funds",
    "fund": "funds",
    "returned": "returned",
    "bounced": "returned",
    "closed": "close",
    "closing": "close",
    "reopen": "reopen",
    "reopened": "reopen",
    "verification": "kyc",
    "verify": "kyc",
    "stuck": "review",
    "pending": "pending",
    "unconfirmed": "pending",
    "confirmed": "confirm",
    "reward": "rewards",
    "attempts": "attempt",
    "tries": "attempt",
    "codes": "code",
    "fees": "fee",
    "keys": "key",
    "tx": "txid",
    "transaction": "txid",
    "change": "change",
    "changing": "change",
    "update": "change",
}

# Terms of one kind: two texts that both name terms of a kind, but not the same ones,
# are about different problems however alike the rest of them reads.
_KINDS: dict[str, frozenset[str]] = {
    "direction of money": frozenset({"deposit", "withdrawal"}),
    "what happened to a payment": frozenset({"declined", "charged"}),
    "account state": frozenset({"lock", "close", "reopen"}),
    "way in": frozenset({"password", "sms", "2fa"}),
    "contact detail": frozenset({"phone", "email"}),
    "month": frozenset(
        {
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        }
    ),
}

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_HOURS = {"hour": 1, "hours": 1, "day": 24, "days": 24, "week": 168, "weeks": 168}

# Words that carry no problem: articles, pronouns, auxiliaries and filler.
_STOP = frozenset(
    """
    a an the my me i i'm im we our you your it its it's this that is are was were be been
    being am do does did done have has had having to of in on at for from with by as and or
    but not no never still yet since after before about into out up so too very please
    help need want would could should can will just even though what where when why how
    which who whom there here any some all get getting got trying try again now yesterday
    today already while than then also more many much
    """.split()  # noqa: SIM905 (a list literal of 100 words would not read as well)
)
# Characters of Chinese that carry no problem either.
_CJK_STOP = frozenset("我的了是在请帮你您一直还很久现")

_CJK_RANGE = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"


@dataclass(frozen=True, slots=True)
class _Patterns:
    cjk: re.Pattern[str]
    token: re.Pattern[str]
    long_number: re.Pattern[str]
    """An identifier: five or more digits, or a long hexadecimal string."""
    phrase: re.Pattern[str]
    duration: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    # Compiled on first use, not at import: logging a contact needs none of them, and
    # compiling them took 9 ms of every `recorder log`.
    phrases = sorted(_PHRASES, key=len, reverse=True)
    return _Patterns(
        cjk=re.compile(f"([{_CJK_RANGE}])"),
        token=re.compile(f"[a-z0-9']+|[{_CJK_RANGE}]"),
        long_number=re.compile(r"^(?:\d{5,}|(?:0x)?[0-9a-f]{16,})$"),
        phrase=re.compile("|".join(re.escape(p) for p in phrases)),
        duration=re.compile(
            r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(" + "|".join(_HOURS) + r")\b"
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

    @property
    def text(self) -> str:
        """The terms as one string, for rapidfuzz."""
        return " ".join(self.terms)


def _duration(match: re.Match[str]) -> str:
    count, unit = match.groups()
    number = int(count) if count.isdigit() else _NUMBER_WORDS[count]
    return f" {number * _HOURS[unit]}h "


@lru_cache(maxsize=4096)
def problem(text: str) -> Problem:
    """Normalise a problem description (a title, perhaps with the start of a message)."""
    found = _patterns()
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    folded = found.phrase.sub(lambda m: f" {_PHRASES[m.group(0)]} ", folded)
    folded = found.duration.sub(_duration, folded)
    folded = found.cjk.sub(r" \1 ", folded)
    terms: list[str] = []
    ids: set[str] = set()
    for raw in found.token.findall(folded):
        word = raw.strip("'")
        if not word or word in _STOP or word in _CJK_STOP:
            continue
        if found.long_number.match(word):
            ids.add(identifier_key(word) or word)
        word = _WORDS.get(word, word)
        if word in _NUMBER_WORDS and word not in ("a", "an"):
            word = str(_NUMBER_WORDS[word])
        terms.append(word)
    present = set(terms)
    kinds = tuple(
        (kind, frozenset(present & members))
        for kind, members in _KINDS.items()
        if present & members
    )
    return Problem(terms=tuple(terms), ids=frozenset(ids), kinds=kinds)


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
    mine = dict(earlier.kinds)
    for kind, terms in later.kinds:
        if kind in mine and mine[kind] != terms:
            return 0.0
    if not earlier.terms or not later.terms:
        return 0.0
    # Imported here: only a new case that shares a term with an open one needs it.
    from rapidfuzz import fuzz

    return float(fuzz.token_set_ratio(earlier.text, later.text))
