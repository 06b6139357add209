"""Promises in support's own words: "we will update you within 3 business days".

Pure: finds, in an inbound message, the time support said it would come back by, as a
window (recorder.domain.windows.Window). A case whose last word from support is such a
promise still waits on support, and its chase date is the promise's end. A range
("2-3 business days", "1至3个工作日") counts to its far end: the promise is kept until then.
"""

from __future__ import annotations

import re
from functools import lru_cache

from recorder.domain.support_terms import NUMBER_WORDS
from recorder.domain.windows import Unit, Window

_CHINESE_NUMBERS = {
    "一": 1,
    "两": 2,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_NUMBER_WORDS = {
    **{word: n for word, n in NUMBER_WORDS.items() if word not in ("a", "an")},
    **_CHINESE_NUMBERS,
}
_NUMBER = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_RANGE = rf"(?:{_NUMBER}\s*(?:-|\u2013|to|or|~|至|到)\s*)?{_NUMBER}"

_EN_UNITS = {
    "business day": Unit.business_days,
    "business days": Unit.business_days,
    "working day": Unit.business_days,
    "working days": Unit.business_days,
    "day": Unit.days,
    "days": Unit.days,
    "hour": Unit.hours,
    "hours": Unit.hours,
    "hrs": Unit.hours,
    "hr": Unit.hours,
    "week": Unit.days,
    "weeks": Unit.days,
}
_ZH_UNITS = {
    "个工作日": Unit.business_days,
    "工作日": Unit.business_days,
    "天": Unit.days,
    "日": Unit.days,
    "小时": Unit.hours,
    "个小时": Unit.hours,
    "周": Unit.days,
    "个星期": Unit.days,
    "星期": Unit.days,
}

_EN = (
    r"\b(?:within|in(?: the next)?|up to|no later than|over the next)\s+(?:the next\s+)?"
    + _RANGE
    + r"\s*("
    + "|".join(sorted(map(re.escape, _EN_UNITS), key=len, reverse=True))
    + r")\b"
)
_ZH = (
    _RANGE
    + r"\s*("
    + "|".join(sorted(map(re.escape, _ZH_UNITS), key=len, reverse=True))
    + r")(?:之内|以内|内)"
)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(_EN), re.compile(_ZH)


def _amount(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def find_promise(text: str) -> Window | None:
    """The window support promised in `text` to come back within, or None.

    The first promise in the new text counts (quoted history is the caller's to cut);
    weeks are counted as days.
    """
    english, chinese = _patterns()
    found = english.search(text.casefold()) or chinese.search(text)
    if found is None:
        return None
    low, high, unit_text = found.group(1), found.group(2), found.group(3)
    amount = max(_amount(high), _amount(low) if low else 0)
    unit = _EN_UNITS.get(unit_text) or _ZH_UNITS[unit_text]
    if unit_text.endswith(("week", "weeks", "周", "星期")):
        amount *= 7
    if amount < 1 or (unit is Unit.hours and amount > 24 * 90) or amount > 365:
        return None
    return Window(amount, unit)
