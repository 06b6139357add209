"""The vocabulary of support requests that the duplicate scoring knows: phrases and
words that mean one thing, terms of one kind that tell two problems apart, numbers
and durations in words, and words that carry no problem.

Data, not logic: `recorder.domain.duplicates` reads it. Tuned on the labelled pairs in
tests/data/duplicates.jsonl; a change here is checked by tests/unit/test_duplicates.py.
"""

from __future__ import annotations

# Phrases first (longest first), then single words: each maps to one canonical term.
# Chinese phrases are replaced before the text is split into characters.
PHRASES: dict[str, str] = {
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

WORDS: dict[str, str] = {
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
ASSETS = frozenset(
    {
        "btc", "eth", "usdt", "usdc", "dai", "sol", "xrp", "bnb", "ada", "doge", "trx", "ltc",
        "dot", "matic", "pol", "avax", "link", "xlm", "atom", "shib", "ton", "arb", "op",
        "gusd", "pyusd", "usd", "eur", "gbp", "cny", "rmb", "jpy", "aud", "hkd", "sgd",
    }
)  # fmt: skip
"""Assets and currencies: two problems about different ones are different problems."""

VAGUE = frozenset(
    {
        "missing", "lost", "funds", "fund", "money", "balance", "issue", "problem", "help",
        "question", "account", "support", "urgent", "please", "pending", "error", "wrong",
        "fail", "not_received", "delay",
    }
)  # fmt: skip
"""Terms that say something is wrong without saying what: a title made only of these
("Missing funds", "Account problem") names no problem to compare."""

KINDS: dict[str, frozenset[str]] = {
    "asset": ASSETS,
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

NUMBER_WORDS = {
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
HOURS = {"hour": 1, "hours": 1, "day": 24, "days": 24, "week": 168, "weeks": 168}

# Words that carry no problem: articles, pronouns, auxiliaries and filler.
STOP = frozenset(
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
CJK_STOP = frozenset("我的了是在请帮你您一直还很久现")
