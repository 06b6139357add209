"""The language recorder speaks: which one a run chooses, and how a string is found."""

from __future__ import annotations

import threading

import pytest

from recorder.domain.i18n import (
    CHINESE,
    ENGLISH,
    _,
    chosen_language,
    current,
    language_of,
    ngettext,
    speaking,
    system_language,
    use,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("zh_CN.UTF-8", CHINESE),
        ("zh-CN", CHINESE),
        ("zh_Hans", CHINESE),
        ("zh_SG.utf8", CHINESE),
        ("zh", CHINESE),
        ("en_GB.UTF-8", ENGLISH),
        ("C", ENGLISH),
        ("POSIX", ENGLISH),
        ("C.UTF-8", ENGLISH),
        ("zh_TW.UTF-8", None),
        ("fr_FR", None),
    ],
)
def test_a_locale_name_gives_the_language_recorder_speaks_for_it(
    name: str, expected: str | None
) -> None:
    assert language_of(name) == expected


def test_the_system_language_is_read_in_gettexts_order() -> None:
    assert system_language({"LANG": "zh_CN.UTF-8"}) == CHINESE
    assert system_language({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}) == ENGLISH
    assert system_language({"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}) == CHINESE
    # LANGUAGE is a list of choices: the first recorder speaks wins.
    assert system_language({"LANGUAGE": "fr:zh_CN:en", "LANG": "en_US.UTF-8"}) == CHINESE
    # A locale recorder does not speak falls back to English, as gettext would.
    assert system_language({"LANG": "de_DE.UTF-8"}) == ENGLISH
    assert system_language({}) == ENGLISH


def test_recorder_lang_beats_the_saved_choice_which_beats_the_system(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("RECORDER_LANG")
    assert chosen_language(None) == ENGLISH
    assert chosen_language("zh_CN") == CHINESE
    monkeypatch.setenv("RECORDER_LANG", "en")
    assert chosen_language("zh_CN") == ENGLISH
    monkeypatch.setenv("RECORDER_LANG", "klingon")
    with pytest.raises(ValueError, match=r"RECORDER_LANG='klingon'.*expected one of: en, zh_CN"):
        chosen_language(None)


def test_a_string_is_found_in_the_language_in_use() -> None:
    use(CHINESE)
    assert _("Log") == "记录"
    assert ngettext("{count} contact", "{count} contacts", 3).format(count=3) == "3 条联系记录"
    assert _("a string nobody marked") == "a string nobody marked"
    assert _("") == ""  # gettext would give the catalog's header
    use(ENGLISH)
    assert _("Log") == "Log"
    assert ngettext("{count} contact", "{count} contacts", 1) == "{count} contact"


def test_speaking_another_language_stays_in_its_thread() -> None:
    use(ENGLISH)
    seen: list[str] = []
    inside = threading.Event()
    leave = threading.Event()

    def export_in_chinese() -> None:
        with speaking(CHINESE):
            seen.append(_("Log"))
            inside.set()
            leave.wait(5)

    worker = threading.Thread(target=export_in_chinese)
    worker.start()
    inside.wait(5)
    seen.append(_("Log"))  # the UI's thread, while the worker speaks Chinese
    leave.set()
    worker.join()
    assert seen == ["记录", "Log"]
    assert current() == ENGLISH


def test_times_are_written_the_way_of_the_language_in_use() -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from recorder.domain.dates import shown

    moment = datetime(2026, 11, 24, 14, 5, tzinfo=ZoneInfo("America/New_York"))
    use(ENGLISH)
    english = {form: shown(moment, form) for form in ("day", "weekday_time", "full")}
    assert english == {
        "day": "24 Nov",
        "weekday_time": "Tue 24 Nov 14:05",
        "full": "Tue 24 Nov 2026 14:05 EST",
    }
    use(CHINESE)
    assert shown(moment, "day") == "11/24"
    assert shown(moment, "weekday_time") == "11/24周二 14:05"
    assert shown(moment, "weekday_date_time") == "2026年11月24日周二 14:05"
    assert shown(moment, "full") == "2026年11月24日周二 14:05 EST"
    use(ENGLISH)
