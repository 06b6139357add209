"""Secrets in a text: what support never needs and a scammer posing as support asks for.

Pure: `scan(text)` returns where a text holds a seed phrase, a private key, an API
secret, a one-time (2FA) code or a password, each with what it means and what to do;
`redact(text, findings)` puts a mask in their place and leaves every other character
as it was. The write path runs it on every text it keeps (recorder.write.contacts);
the export masks the same findings (recorder.export.redact).

What counts, and what stays evidence:
- seed phrases: BIP-39 phrases whose checksum is right, and a run as long as one
  whose checksum fails just after words that say seed phrase (recorder.domain.
  seed_phrases, which also says when Chinese characters count);
- private keys: PEM private-key blocks, WIF keys and xprv/yprv/zprv keys (base58check
  verified), and 64 hex digits only where the words before them say private key and
  nothing nearer says TxID, hash or transaction: a TxID and an explorer link are
  evidence, never secrets;
- API secrets: a long token named as a secret; an API key beside one;
- one-time codes: 6 to 8 digits after (or just before) 2FA, authenticator,
  verification code, 验证码 and the like, unless a nearer word names them an order,
  a ticket or an amount;
- passwords: "password is ...", "password: ...", 密码是 ..., when what follows reads
  as a password (a digit, a symbol, mixed case, or quoted), not as prose ("is wrong").
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from recorder.domain.i18n import N_, _
from recorder.domain.patterns import LazyPattern
from recorder.domain.seed_phrases import seed_phrases


class SecretKind(StrEnum):
    """What kind of secret a text holds."""

    seed_phrase = "seed_phrase"
    private_key = "private_key"
    api_secret = "api_secret"
    one_time_code = "one_time_code"
    password = "password"


NAMES = {
    SecretKind.seed_phrase: N_("seed phrase"),
    SecretKind.private_key: N_("private key"),
    SecretKind.api_secret: N_("API secret"),
    SecretKind.one_time_code: N_("2FA code"),
    SecretKind.password: N_("password"),
}
"""Each kind in a few words, as masks and counts say it."""

ADVICE = {
    SecretKind.seed_phrase: N_(
        "a valid BIP-39 seed phrase: anyone who has it controls the "
        "wallet; move the funds to a new wallet now"
    ),
    SecretKind.private_key: N_(
        "a private key: anyone who has it controls the funds or the "
        "account it opens; move the funds to a new wallet, or revoke the key, now"
    ),
    SecretKind.api_secret: N_(
        "an API secret: anyone who has it can trade, and perhaps "
        "withdraw, as you; delete that API key on the platform now and make a new one"
    ),
    SecretKind.one_time_code: N_(
        "a one-time (2FA) code: support never needs one; if anyone "
        "else saw it, change your password and reset your 2FA now"
    ),
    SecretKind.password: N_(
        "a password: support never needs it; change it now, and wherever else you use it"
    ),
}
"""What each kind means and what to do: the warning the user reads."""


@dataclass(frozen=True, order=True)
class SecretFinding:
    """One secret in a text: `text[start:end]`."""

    start: int
    end: int
    kind: SecretKind
    note: str = ""
    """What sets this one apart, if anything ("its checksum does not match")."""

    @property
    def description(self) -> str:
        """What it is and what to do, to follow "holds": "a valid BIP-39 seed phrase:
        anyone who has it controls the wallet; move the funds to a new wallet now"."""
        advice = _(ADVICE[self.kind])
        if not self.note:
            return advice
        return advice.replace(_(":"), _(" ({note}):").format(note=_(self.note)), 1)

    @property
    def warning(self) -> str:
        """What it is and what to do, as a sentence of its own."""
        return self.description[0].upper() + self.description[1:] + "."

    def to_json(self) -> dict[str, object]:
        """Where and what, never the secret itself."""
        return {"kind": self.kind.value, "start": self.start, "end": self.end}


def mask(kind: SecretKind) -> str:
    """The text a redacted secret of this kind leaves: "[seed phrase removed]"."""
    return f"[{NAMES[kind]} removed]"


_MASK = LazyPattern(r"\[(?:" + "|".join(re.escape(n) for n in NAMES.values()) + r") removed\]")


def scan(text: str) -> list[SecretFinding]:
    """The secrets in a text, in order, none overlapping another."""
    if not text:
        return []
    found = [
        *(SecretFinding(a, b, SecretKind.seed_phrase, note) for a, b, note in seed_phrases(text)),
        *_private_keys(text),
        *_api_secrets(text),
        *_one_time_codes(text),
        *_passwords(text),
    ]
    masks = [m.span() for m in _MASK.finditer(text)]
    kept: list[SecretFinding] = []
    for finding in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and finding.start < kept[-1].end:
            continue  # a key inside a PEM block, a code inside a seed phrase's line
        if any(s < finding.end and finding.start < e for s, e in masks):
            continue  # what an earlier redaction left
        kept.append(finding)
    return kept


def redact(text: str, findings: Sequence[SecretFinding]) -> str:
    """The text with each finding replaced by its mask; nothing else changes."""
    out: list[str] = []
    at = 0
    for finding in sorted(findings):
        if finding.start < at:
            continue
        out += [text[at : finding.start], mask(finding.kind)]
        at = finding.end
    out.append(text[at:])
    return "".join(out)


def kinds_of(findings: Sequence[SecretFinding]) -> list[str]:
    """The kinds found, each once, in the order of SecretKind."""
    found = {f.kind for f in findings}
    return [kind.value for kind in SecretKind if kind in found]


# Private keys ----------------------------------------------------------------------

_PEM = LazyPattern(
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----.*?"
    r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)",
    re.S,
)
_BASE58 = LazyPattern(r"(?<![A-Za-z0-9])[1-9A-HJ-NP-Za-km-z]{50,115}(?![A-Za-z0-9])")
_HEX64 = LazyPattern(r"(?<![0-9A-Za-z/=])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z])")
_KEY_WORDS = LazyPattern(
    r"(?i)priv(?:ate)?[\s_-]*key|privkey|secret[\s_-]*key|wallet\s+key|key\s*(?:is|:|=)|"
    r"私钥|私鑰|密钥"
)
_NOT_KEY_WORDS = LazyPattern(
    r"(?i)tx\s*id|txn|tx\s*hash|\bhash|transaction|\btx\b|block|explorer|etherscan|https?://|"
    r"交易|哈希|区块"
)
HEX_REACH = 60
"""Characters before 64 hex digits that are read for what they are."""


def _private_keys(text: str) -> Iterator[SecretFinding]:
    if "PRIVATE KEY" in text:
        for match in _PEM.finditer(text):
            yield SecretFinding(match.start(), match.end(), SecretKind.private_key)
    if max(map(len, text.split()), default=0) < 50:
        return  # no token long enough for a key: most texts
    for match in _BASE58.finditer(text):
        if _is_private_base58(match.group()):
            yield SecretFinding(match.start(), match.end(), SecretKind.private_key)
    for match in _HEX64.finditer(text):
        before = text[max(0, match.start() - HEX_REACH) : match.start()]
        said = [m.end() for m in _KEY_WORDS.finditer(before)]
        unsaid = [m.end() for m in _NOT_KEY_WORDS.finditer(before)]
        if _date_like(match.group()):
            continue
        if said and (not unsaid or max(unsaid) < max(said)):
            yield SecretFinding(match.start(), match.end(), SecretKind.private_key)


_EXTENDED_PRIVATE = ("xprv", "yprv", "zprv", "tprv", "uprv", "vprv", "Yprv", "Zprv")


def _is_private_base58(token: str) -> bool:
    """A WIF private key (base58check, 0x80 or 0xef first) or an extended private key."""
    import base58

    if token.startswith(_EXTENDED_PRIVATE):
        return 100 <= len(token) <= 115
    if token[0] not in "5KL9c" or len(token) not in (51, 52):
        return False
    try:
        raw = base58.b58decode_check(token)
    except ValueError:
        return False
    return len(raw) in (33, 34) and raw[0] in (0x80, 0xEF)


def _date_like(digits: str) -> bool:
    """20261130: a date written without separators, not a code."""
    return (
        len(digits) == 8
        and digits[:2] in ("19", "20")
        and 1 <= int(digits[4:6]) <= 12
        and 1 <= int(digits[6:]) <= 31
    )


# API secrets, one-time codes, passwords ---------------------------------------------

_TOKEN = r"[A-Za-z0-9+/=_\-]{16,128}"
_SECRET_NAMED = LazyPattern(
    r"(?i)(?:api[\s_-]*secret|secret[\s_-]*key|client[\s_-]*secret|api[\s_-]*private[\s_-]*key|"
    r"\bsecret|API\s*密钥|密钥|秘钥)\s*(?:is|was|=|:|：|是|为)?\s*[\"'“`]?(" + _TOKEN + ")"
)
_API_KEY_NAMED = LazyPattern(
    r"(?i)(?:api[\s_-]*key|access[\s_-]*key|API\s*Key|公钥)\s*(?:id)?\s*(?:is|was|=|:|：|是|为)?"
    r"\s*[\"'“`]?(" + _TOKEN + ")"
)


def _random_looking(token: str) -> bool:
    return bool(re.search(r"[A-Za-z]", token) and re.search(r"\d", token))


def _api_secrets(text: str) -> Iterator[SecretFinding]:
    lower = text.lower()
    if "secret" not in lower and "密钥" not in text and "秘钥" not in text:
        return
    secrets = [m for m in _SECRET_NAMED.finditer(text) if _random_looking(m.group(1))]
    for match in secrets:
        yield SecretFinding(match.start(1), match.end(1), SecretKind.api_secret)
    if secrets:
        for match in _API_KEY_NAMED.finditer(text):
            if _random_looking(match.group(1)):
                yield SecretFinding(match.start(1), match.end(1), SecretKind.api_secret)


_CODE = LazyPattern(
    r"(?<![A-Za-z0-9_#/-])(?<!\d[.,])(\d{3}[ -]?\d{3}|\d{6,8})"
    r"(?![A-Za-z0-9_/-]|[.,]\d|\s?(?:%|USD|BTC|ETH|元))"
)
_CODE_WORDS = LazyPattern(
    r"(?i)2\s*fa|two[\s-]*factor|authenticator|verification\s+code|security\s+code|"
    r"one[\s-]*time\s+(?:code|password|pin)|\botp\b|sms\s+code|auth(?:entication)?\s+code|"
    r"login\s+code|confirmation\s+code|code\s+from|code\s+you\s+(?:just\s+)?(?:got|received)|"
    r"\bsms\b|text\s+message|短信|验证码|驗證碼|动态码|動態碼|谷歌验证|"
    r"两步验证|二次验证|双重验证|校验码|安全码"
)
_NOT_CODE_WORDS = LazyPattern(
    r"(?i)order|ticket|case|request|reference|ref\b|invoice|account|phone|tel|uid|user\s*id|"
    r"amount|block|订单|工单|单号|账号|手机|金额"
)
_CODE_HINTS = (
    "fa", "factor", "auth", "code", "otp", "sms", "text", "time", "验证", "驗證", "动态", "動態",
    "码", "碼",
)  # fmt: skip
"""Strings one of which every text that _CODE_WORDS matches holds."""
CODE_REACH = 60
"""Characters before a number (the line before it too: the question a reply answers), and
30 after it on its line, within which a word says what it is."""


def _one_time_codes(text: str) -> Iterator[SecretFinding]:
    lower = text.lower()
    if not any(hint in lower for hint in _CODE_HINTS):
        return  # str.find over the text is many times faster than the regex
    for match in _CODE.finditer(text):
        start = match.start()
        before = text[max(0, start - CODE_REACH) : start]
        said = [m.end() for m in _CODE_WORDS.finditer(before)]
        unsaid = [m.end() for m in _NOT_CODE_WORDS.finditer(before)]
        after = text[match.end() : match.end() + 30].split("\n", 1)[0]
        if _date_like(match.group()):
            continue
        named_before = bool(said) and (not unsaid or max(unsaid) < max(said))
        named_after = not unsaid and bool(_CODE_WORDS.search(after))
        if named_before or (named_after and not _NOT_CODE_WORDS.search(after)):
            yield SecretFinding(start, match.end(), SecretKind.one_time_code)


_OPEN = "\"'`\u201c\u2018"
_CLOSE = "\"'`\u201d\u2019"
_CJK_STOPS = "\uff0c\u3002\uff1b\u3001\uff01\uff1f\uff1a"
"""Full-width comma, full stop, semicolon, enumeration comma, !, ? and colon."""
_PASSWORD = LazyPattern(
    r"(?i)(?:pass\s?word|passwd|pwd|passcode|pass\s+phrase|登录密码|登入密碼|密码|密碼)"
    r"(?:\s+(?:is|was|would\s+be|now\s+is)\s*:?|\s*(?:=|:|：|是|为|為))\s*"
    rf"(?:[{_OPEN}]([^{_CLOSE}\n]{{4,64}})[{_CLOSE}]|([^\s{_CJK_STOPS}\u4e00-\u9fff]{{4,64}}))"
)
# fmt: off
_PROSE = frozenset((
    "incorrect", "correct", "wrong", "not", "being", "still", "same", "invalid", "expired",
    "changed", "reset", "blocked", "locked", "right", "fine", "ok", "okay", "working",
    "required", "needed", "missing", "empty", "unknown", "forgotten", "different", "strong",
    "weak", "long", "short", "new", "old", "the", "my", "your", "this", "that", "too", "also",
    "definitely", "already",
))
# fmt: on


_PASSWORD_MENTION = LazyPattern(r"(?i)pass\s?word|passwd|passcode|密码|密碼")
_QUOTED_AFTER = LazyPattern(rf"[{_OPEN}]([^\s{_CLOSE}]{{4,64}})[{_CLOSE}]")
QUOTE_REACH = 50
"""Characters after a mention of a password within which a quoted token is taken for it
("they asked for my password and I said it was 'Pa55word!'")."""


def _passwords(text: str) -> Iterator[SecretFinding]:
    lower = text.lower()
    if not any(hint in lower for hint in ("pass", "pwd", "密码", "密碼")):
        return
    for mention in _PASSWORD_MENTION.finditer(text):
        said = text[mention.end() : mention.end() + QUOTE_REACH]
        reach = re.split(r"[.!?](?=\s|$)|[\u3002\uff01\uff1f\n]", said)[0]
        token = _QUOTED_AFTER.search(reach)
        if token is not None and _reads_as_password(token.group(1)):
            at = mention.end() + token.start(1)
            yield SecretFinding(at, at + len(token.group(1)), SecretKind.password)
    for match in _PASSWORD.finditer(text):
        quoted = match.group(1) is not None
        group = 1 if quoted else 2
        value, end = match.group(group), match.end(group)
        if not quoted and value[-1] in ".,;:!?" and value[-2:-1].isalnum():
            value, end = value[:-1], end - 1  # the sentence's end, not the password's
        if not quoted and not _reads_as_password(value):
            continue
        yield SecretFinding(match.start(group), end, SecretKind.password)


def _reads_as_password(value: str) -> bool:
    if value.casefold() in _PROSE or value.startswith("["):  # "[" begins every mask
        return False
    if re.fullmatch(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]+", value):
        return False  # 密码是正确的: Chinese words, not a password
    has_digit = any(c.isdigit() for c in value)
    has_symbol = any(not c.isalnum() for c in value)
    mixed = value[1:] != value[1:].lower() and value != value.upper()
    return has_digit or has_symbol or mixed
