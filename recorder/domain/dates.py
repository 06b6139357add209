"""Reading the times users type, in their own time zone (python-dateutil)."""

from __future__ import annotations

import functools
import os
import re
import warnings
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from recorder.domain.errors import InputError
from recorder.domain.i18n import ENGLISH, N_, _, current

TZ_ENV = "RECORDER_TZ"
WHEN_FORMS = N_(
    "'2026-11-20 14:05', '20 Nov 2026 2:05pm', 'yesterday 3pm', 'last friday 10:00', "
    "'2026年11月20日 14:05', ISO 8601 with offset, or 'now'"
)


def zone(name: str) -> ZoneInfo:
    """The IANA time zone called `name`; refuse an unknown name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            _(
                "unknown time zone {name!r}; expected an IANA name such as 'America/New_York'"
            ).format(name=name)
        ) from None


def local_zone() -> tzinfo:
    """The user's time zone: `RECORDER_TZ` if set, else the system's.

    The system's is found as an IANA zone where it can be (`TZ`, or what
    /etc/localtime links to), else through python-dateutil.
    """
    name = os.environ.get(TZ_ENV)
    if name:
        return zone(name)
    system = _system_zone()
    if system is not None:
        return system
    from dateutil import tz

    local: tzinfo = tz.tzlocal()
    return local


def _system_zone() -> ZoneInfo | None:
    """The system's zone by its IANA name, or None where it has none that can be found."""
    name = os.environ.get("TZ", "").removeprefix(":")
    if not name:
        try:
            target = os.path.realpath("/etc/localtime")
        except OSError:
            return None
        marker = "/zoneinfo/"
        if marker not in target:
            return None
        name = target.split(marker, 1)[1]
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_name(local: tzinfo) -> str:
    """How a zone is named to the user once per page or listing: its IANA name where
    it has one ('America/New_York'), else its abbreviation now."""
    key = getattr(local, "key", None)
    return str(key) if key else (datetime.now(local).tzname() or _("local time"))


def wall_time(moment: datetime, local: tzinfo, form: str = "%Y-%m-%d %H:%M") -> str:
    """A time as a wall clock in `local` shows it, without naming the zone (it is stated
    once, beside the times): except in the hour a clock change repeats, where the zone's
    abbreviation says which of the two it was ('2026-11-01 01:30 EST')."""
    here = moment.astimezone(local)
    shown = here.strftime(form)
    if here.replace(fold=1 - here.fold).utcoffset() != here.utcoffset():
        shown += here.strftime(" %Z")
    return shown


_ENGLISH_FORMS = {
    "day": "%d %b",
    "day_time": "%d %b %H:%M",
    "date": "%d %b %Y",
    "weekday_time": "%a %d %b %H:%M",
    "weekday_date_time": "%a %d %b %Y %H:%M",
    "full": "%a %d %b %Y %H:%M %Z",
}
_BABEL_SKELETONS = {
    "day": "Md",
    "day_time": "Md",
    "date": "yMd",
    "weekday_time": "MEd",
    "weekday_date_time": "yMMMEd",
    "full": "yMMMEd",
}
_WITH_TIME = ("day_time", "weekday_time", "weekday_date_time", "full")


def shown(moment: datetime, form: str) -> str:
    """A time (already in the user's zone) as the language in use writes it.

    `form` is `day` (24 Nov, 11/24), `day_time` (24 Nov 14:05, 11/24 14:05), `date`
    (24 Nov 2025, 2025/11/24), `weekday_time` (Tue 24 Nov 14:05, 11/24周二 14:05),
    `weekday_date_time` (the same with the year) or `full` (Tue 24 Nov 2026 10:00 EST,
    2026年11月24日周二 10:00 EST). English keeps the forms recorder has always
    written; other languages take the locale's own pattern for the same fields from
    Babel (CLDR).
    """
    code = current()
    if code == ENGLISH:
        return moment.strftime(_ENGLISH_FORMS[form]).strip()
    from babel.dates import format_skeleton

    text = format_skeleton(_BABEL_SKELETONS[form], moment, locale=code)
    if form in _WITH_TIME:
        text += moment.strftime(" %H:%M")
    if form == "full":
        text += moment.strftime(" %Z")
    return text.strip()


def preview(moment: datetime, local: tzinfo) -> str:
    """A time as the form shows what it read ('Tue 24 Nov 2026 10:00 EST'): in full,
    so that nothing is guessed, and readable back as the same instant."""
    return shown(moment.astimezone(local), "full")


def parse_when(text: str, *, now: datetime, local: tzinfo) -> datetime:
    """Read a time as a user types it; a time without an offset is in `local`.

    Returns an aware datetime in UTC. Parts left out are taken from today in `local`
    ("14:05" is today at 14:05); a day without a time is at 00:00. Days may be named
    ("yesterday 3pm", "today", "last friday 10:00", 昨天 15:00) and dates written in
    Chinese (2026年12月19日 09:10, 12月19日). A date whose day does not exist ("32 Nov")
    is refused, never read as another year.
    """
    cleaned = normalise_time_text(text)
    if cleaned.lower() == "now":
        return now.astimezone(UTC)
    if not cleaned:
        raise InputError(_("empty time; expected {forms}").format(forms=_(WHEN_FORMS)))
    here = now.astimezone(local)
    weekday, dated = _weekday_of_a_date(cleaned)
    day, rest = (None, cleaned) if dated else named_day(cleaned, here.date(), past=True)
    if day is not None:
        return checked_moment(_time_on(day, rest, text), text, local)
    # Imported here: the parser is only needed when someone typed a time.
    from dateutil import parser as dateparser

    today = here.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        try:
            parsed = dateparser.parse(
                dated or cleaned, default=today, tzinfos=local_abbreviations(local, here.year)
            )
        except (dateparser.ParserError, ValueError, OverflowError):
            raise _unreadable(text) from None
    if any(issubclass(w.category, dateparser.UnknownTimezoneWarning) for w in said):
        raise InputError(
            _(
                "the time {text!r} names a time zone recorder does not know; expected "
                "an offset such as +08:00 or UTC, or no zone (your own is used)"
            ).format(text=text)
        )
    check_date_written(dated or cleaned, parsed, today, text)
    if weekday is not None and parsed.weekday() != weekday:
        raise InputError(
            _(
                "the time {text!r} names a {named}, but {parsed:%d %b %Y} is a "
                "{weekday}; expected the date's own weekday, or none"
            ).format(
                text=text,
                named=WEEKDAYS[weekday].capitalize(),
                parsed=parsed,
                weekday=WEEKDAYS[parsed.weekday()].capitalize(),
            )
        )
    return checked_moment(parsed, text, local)


def _unreadable(text: str) -> InputError:
    return InputError(
        _("cannot read the time {text!r}; expected {forms}").format(text=text, forms=_(WHEN_FORMS))
    )


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_WORDS = {"today": 0, "yesterday": -1, "tomorrow": 1, "ereyesterday": -2, "overmorrow": 2}
_NAMED_DAY = re.compile(
    r"(today|yesterday|tomorrow|ereyesterday|overmorrow|(?:(last|next|this)\s+)?("
    + "|".join(f"{d[:3]}(?:{d[3:]})?" for d in WEEKDAYS)
    + r"))\b[\s,]*(.*)",
    re.I,
)


_WEEKDAY_FIRST = re.compile(
    r"(" + "|".join(f"{d[:3]}(?:{d[3:]})?" for d in WEEKDAYS) + r")\.?,?\s+(.*)", re.I
)
_DATE_WRITTEN = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d+[-/.]\d+", re.I
)


def _weekday_of_a_date(cleaned: str) -> tuple[int | None, str | None]:
    """For a weekday written before a date ("Tue 24 Nov 2026 10:00", as emails and
    recorder's own preview write them): the weekday, to be checked against the date,
    and the rest. (None, None) for anything else: "friday 10:00" names a day itself."""
    match = _WEEKDAY_FIRST.fullmatch(cleaned)
    if match is None or not _DATE_WRITTEN.search(match.group(2)):
        return None, None
    name = match.group(1)[:3].lower()
    return next(n for n, d in enumerate(WEEKDAYS) if d.startswith(name)), match.group(2)


@functools.lru_cache(maxsize=8)
def local_abbreviations(local: tzinfo, year: int) -> dict[str, int]:
    """The abbreviations the user's zone has gone by since 2000 and up to `year`'s next
    ('EST', 'EDT'; 'CST' in Shanghai), each with its offset in seconds: a time written
    with one of them (as the form's preview writes it) is read in that offset. One that
    stood for two offsets is left out, and refused as unknown."""
    seen: dict[str, set[int]] = {}
    for y in range(OLD_YEAR, max(year, OLD_YEAR) + 2):
        for month in range(1, 13):
            moment = datetime(y, month, 1, 12, tzinfo=local)
            name, offset = moment.tzname(), moment.utcoffset()
            if name and offset is not None and name.isalpha():
                seen.setdefault(name, set()).add(int(offset.total_seconds()))
    return {name: offsets.pop() for name, offsets in seen.items() if len(offsets) == 1}


def named_day(cleaned: str, today: date, *, past: bool) -> tuple[date | None, str]:
    """The day a text names by a word ("yesterday", "friday", "next monday"), and what
    follows it; (None, text) when it names none. A bare weekday is the latest one up to
    today when `past` (a contact), the next one after today otherwise (a follow-up)."""
    match = _NAMED_DAY.fullmatch(cleaned)
    if match is None:
        return None, cleaned
    word, which, weekday, rest = match.groups()
    which = which and which.lower()
    if weekday is None:
        return today + timedelta(days=_DAY_WORDS[word.lower()]), rest
    target = next(n for n, name in enumerate(WEEKDAYS) if name.startswith(weekday[:3].lower()))
    back = (today.weekday() - target) % 7
    if which == "last" or (which is None and past):
        back = back or (7 if which == "last" else 0)
        return today - timedelta(days=back), rest
    ahead = (target - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead), rest


def _time_on(day: date, rest: str, text: str) -> datetime:
    """A day and the time of day typed after it ("3pm", "15:00"; none: 00:00)."""
    if not rest:
        return datetime.combine(day, time())
    from dateutil import parser as dateparser

    start = datetime.combine(day, time())
    try:
        parsed = dateparser.parse(rest, default=start)
    except (dateparser.ParserError, ValueError, OverflowError):
        raise _unreadable(text) from None
    if parsed.date() != day:
        raise InputError(
            _(
                "the time {text!r} names a day twice; expected a day and a time of "
                "day, such as 'yesterday 15:00'"
            ).format(text=text)
        )
    return parsed


_TIME_PARTS = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|"
    r"(?<=\d)t(?=\d)|[+-]\d{2}:?\d{2}$|\bz\b",
    re.I,
)
_MONTH_NAME = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)


def check_date_written(cleaned: str, parsed: datetime, default: datetime, text: str) -> None:
    """Refuse a date that the parser made up: "32 Nov" has no day 32, and is not the
    1st of November 2032. The day must be one written when a date is written, and the
    year one written, or this one."""
    tokens = re.findall(r"\d+", _TIME_PARTS.sub(" ", cleaned))
    numbers = [int(n) for n in tokens]
    if not numbers and not _MONTH_NAME.search(cleaned):
        return  # a time of day alone: today
    years = {int(n) for n in tokens if len(n) >= 3} | {2000 + int(n) for n in tokens if len(n) <= 2}
    if parsed.day not in numbers or (parsed.year != default.year and parsed.year not in years):
        raise InputError(
            _(
                "cannot read the date in {text!r}: no such day, or a part missing; expected {forms}"
            ).format(text=text, forms=_(WHEN_FORMS))
        )


_CHINESE_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?")
_CHINESE_TIME = re.compile(
    r"(上午|早上|中午|下午|晚上)?\s*(\d{1,2})\s*[点點时時](?:\s*(\d{1,2})\s*分|\s*(半))?"
)
_CHINESE_DAYS = {
    "前天": "ereyesterday",
    "昨天": "yesterday",
    "今天": "today",
    "明天": "tomorrow",
    "后天": "overmorrow",
}
_CHINESE_WEEKDAY = re.compile(r"(上|下|这|本)?个?(?:周|星期|礼拜)([一二三四五六日天])")
_CHINESE_WEEKDAY_NUMBERS = "一二三四五六日"
_CHINESE_WHICH = {"上": "last", "下": "next", "这": "this", "本": "this"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def normalise_time_text(text: str) -> str:
    """A typed time with single spaces, and Chinese forms written as English ones:
    2026年12月19日 → 19 dec 2026, 昨天 → yesterday, 前天 → two days ago, 上周五 →
    last friday, 下午3点 → 15:00."""
    cleaned = text.strip()

    def weekday_of(match: re.Match[str]) -> str:
        which, number = match.groups()
        day = WEEKDAYS[_CHINESE_WEEKDAY_NUMBERS.index("日" if number == "天" else number)]
        return f" {_CHINESE_WHICH[which]} {day} " if which else f" {day} "

    cleaned = _CHINESE_WEEKDAY.sub(weekday_of, cleaned)
    for word, english in _CHINESE_DAYS.items():
        cleaned = cleaned.replace(word, f" {english} ")

    def date_of(match: re.Match[str]) -> str:
        year, month, day = match.groups()
        if not 1 <= int(month) <= 12:
            return match.group()
        return f" {int(day)} {_MONTHS[int(month) - 1]}" + (f" {year} " if year else " ")

    def time_of(match: re.Match[str]) -> str:
        part, hour, minute, half = match.groups()
        hours = int(hour) + (12 if part in ("下午", "晚上") and int(hour) < 12 else 0)
        return f" {hours}:{30 if half else int(minute or 0):02d} "

    cleaned = _CHINESE_TIME.sub(time_of, _CHINESE_DATE.sub(date_of, cleaned))
    return " ".join(cleaned.split())


EARLIEST_YEAR, LATEST_YEAR = 1970, 2100
"""The years a contact or a follow-up may fall in."""


def checked_moment(parsed: datetime, text: str, local: tzinfo) -> datetime:
    """A time read from `text` in UTC; one without an offset is in `local`. Refuses a
    year out of range and a local time that does not exist (the hour skipped when the
    clocks move forward)."""
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise InputError(
            _(
                "the time {text!r} is in the year {year}; expected a year between "
                "{earliest} and {latest}"
            ).format(text=text, year=parsed.year, earliest=EARLIEST_YEAR, latest=LATEST_YEAR)
        )
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        wall = parsed.replace(tzinfo=None)
        parsed = wall.replace(tzinfo=local)
        if parsed.astimezone(UTC).astimezone(local).replace(tzinfo=None) != wall:
            raise InputError(
                _(
                    "{wall:%Y-%m-%d %H:%M} does not exist in {local} (the clocks moved "
                    "forward then); expected a time before or after the change"
                ).format(wall=wall, local=local)
            )
    return parsed.astimezone(UTC)


OLD_YEAR = 2000
"""A contact typed as before this year is taken only when the user confirms it."""
CLOCK_SKEW = timedelta(minutes=1)
"""How far in the future a contact's time may be: the clocks of two devices differ."""


def check_contact_time(moment: datetime, *, now: datetime, old_ok: bool = False) -> None:
    """Refuse a contact's time in the future (beyond CLOCK_SKEW), or before OLD_YEAR
    unless `old_ok` (the user confirmed it): both are typing mistakes, mostly."""
    if moment > now + CLOCK_SKEW:
        raise InputError(
            _(
                "the contact's time {moment:%Y-%m-%d %H:%M} UTC is in the future; a "
                "contact is logged once it has happened (expected a time up to now)"
            ).format(moment=moment)
        )
    if moment.year < OLD_YEAR and not old_ok:
        raise InputError(
            _(
                "the contact's time {moment:%Y-%m-%d} is before {year}; if it is "
                "right, confirm it (--old-date on the command line, ctrl+s again in "
                "the form)"
            ).format(moment=moment, year=OLD_YEAR)
        )
