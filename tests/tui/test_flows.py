"""The terminal UI driven as a user drives it: by keyboard, at 80x24, on a real store."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual import events
from textual.widgets import DataTable, Select, Static, TextArea

from recorder.access import StoreAccess
from recorder.domain.clock import FixedClock
from recorder.store.readers import Reader
from recorder.tui.screens import case as case_screen
from recorder.tui.screens import tickets
from recorder.tui.screens.case import CaseScreen
from recorder.tui.screens.contact import ContactScreen
from recorder.tui.screens.log_contact import LogContactScreen
from recorder.tui.screens.tickets import TicketsScreen
from recorder.write.cases import open_case
from recorder.write.contacts import log_contact
from tests.helpers.tui import NOW, SIZE, make_app, rows, settle, tab_to, type_text

TRANSCRIPT = (
    "You: My BTC withdrawal has been pending since Friday.\n"
    "Agent Sam: I have opened ticket 4815162 for the wallet team.\n"
    "客服：请耐心等待，我们会尽快处理。\n"
)


def one_case(path: Path) -> int:
    """A store holding one Gemini case with one outbound chat."""
    access = StoreAccess(str(path), clock=FixedClock(NOW - timedelta(days=1)))
    with access.store().write() as tx:
        case = open_case(tx, platform="Gemini", title="BTC withdrawal pending", txid="0xabc")
        assert case.id is not None
        log_contact(
            tx,
            case_id=case.id,
            channel="chat",
            direction="outbound",
            occurred_at=NOW - timedelta(days=1),
            reference="4815162",
            text=TRANSCRIPT,
        )
    access.close()
    return case.id


def visible(widget: Static) -> bool:
    return "hidden" not in widget.classes


async def test_log_a_first_contact_in_an_empty_store(empty_store: Path) -> None:
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        welcome = app.screen.query_one("#welcome", Static)
        assert visible(welcome)
        assert "Press n" in str(welcome.render())

        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, LogContactScreen)
        assert app.screen.query_one("#case", Select).value == "__new__"

        await tab_to(pilot, "title")
        await type_text(pilot, "BTC withdrawal pending")
        await tab_to(pilot, "channel")
        await pilot.press("enter", "t", "i", "enter")  # open the list, type to find "ticket"
        assert app.screen.query_one("#channel", Select).value == "ticket"
        await tab_to(pilot, "reference")
        await type_text(pilot, "4815162")
        await tab_to(pilot, "text")
        app.post_message(events.Paste(TRANSCRIPT))  # as a terminal delivers a paste
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, TicketsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        assert [str(cell) for cell in table.get_row_at(0)[:2]] == [
            "Gemini",
            "BTC withdrawal pending",
        ]
        assert not visible(app.screen.query_one("#welcome", Static))

    assert rows(empty_store, "SELECT title, status FROM cases") == [
        ("BTC withdrawal pending", "waiting_on_support")
    ]
    assert rows(empty_store, "SELECT channel, direction, reference, text FROM contacts") == [
        ("ticket", "outbound", "4815162", TRANSCRIPT)
    ]


async def test_log_a_second_contact_in_the_same_case(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = one_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogContactScreen)
        assert form.query_one("#case", Select).value == str(case_id)
        assert form.focused is form.query_one("#text", TextArea)
        await type_text(pilot, "Any news on my ticket?")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.screen.query_one(DataTable).row_count == 2

    assert rows(path, "SELECT case_id, text FROM contacts ORDER BY id") == [
        (case_id, TRANSCRIPT),
        (case_id, "Any news on my ticket?"),
    ]
    assert rows(path, "SELECT count(*) FROM cases") == [(1,)]


async def test_open_a_case_and_read_the_transcript(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    one_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "BTC withdrawal pending" in summary and "TxID 0xabc" in summary
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        # The pasted chat reads as a conversation: each turn says who spoke.
        head = str(app.screen.query_one("#head", Static).render())
        assert "A conversation of 3 turns; support answered in it." in head
        assert app.screen.query_one(TextArea).text == (
            "You (you): My BTC withdrawal has been pending since Friday.\n"
            "Agent Sam (support): I have opened ticket 4815162 for the wallet team.\n"
            "客服 (support): 请耐心等待，我们会尽快处理。"
        )
        await pilot.press("escape")
        assert isinstance(app.screen, CaseScreen)


async def test_resolving_a_case_takes_it_off_the_open_list(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        before = table.row_count
        await pilot.press("enter")
        await settle(pilot)
        case_id = app.screen.case_id  # type: ignore[attr-defined]
        await pilot.press("x")
        await settle(pilot)
        assert "resolved" in str(app.screen.query_one("#summary", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == before - 1
        assert str(case_id) not in [str(k.value) for k in table.rows]
    assert rows(demo_store, f"SELECT status FROM cases WHERE id = {case_id}") == [("resolved",)]


async def test_an_unreadable_date_and_an_empty_title_are_refused(empty_store: Path) -> None:
    app = make_app(empty_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = rows(empty_store, "SELECT count(*) FROM audit_events")
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        await tab_to(pilot, "when")
        await pilot.press("ctrl+a", "ctrl+k")  # clear "now"
        await type_text(pilot, "someday soon")
        when_error = form.query_one("#when-error", Static)
        assert visible(when_error)
        assert "expected '2026-11-20 14:05'" in str(when_error.render())

        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        title_error = form.query_one("#title-error", Static)
        assert visible(title_error) and "needs a title" in str(title_error.render())
        assert "Nothing was saved" in str(form.query_one("#form-error", Static).render())

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TicketsScreen)
    assert rows(empty_store, "SELECT count(*) FROM cases") == [(0,)]
    assert rows(empty_store, "SELECT count(*) FROM contacts") == [(0,)]
    assert rows(empty_store, "SELECT count(*) FROM audit_events") == before


async def test_a_contact_is_deleted_only_once_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    one_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)  # the question is on screen before it is answered
        await pilot.press("n")
        await settle(pilot)
        assert rows(path, "SELECT count(*) FROM contacts") == [(1,)]
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 0
    assert rows(path, "SELECT count(*) FROM contacts") == [(0,)]


async def test_filters_narrow_the_list(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        everything = table.row_count
        await pilot.press("slash")
        await type_text(pilot, "binance")
        await settle(pilot)
        platforms = {str(table.get_row_at(i)[0]) for i in range(table.row_count)}
        assert platforms == {"Binance"}
        await pilot.press("escape", "slash", *["backspace"] * len("binance"), "enter")
        await settle(pilot)
        assert table.row_count == everything
        await pilot.press("a")
        await settle(pilot)
        assert table.row_count > everything  # resolved cases too


async def test_every_action_is_in_the_palette_and_the_help(demo_store: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        titles = {command.title for command in app.get_system_commands(screen)}
        for action in screen.ACTIONS:  # type: ignore[attr-defined]
            assert action.palette in titles
            binding = action.binding()
            assert binding.id and binding.tooltip
        await pilot.press("question_mark")
        await settle(pilot)
        console = Console(width=300, record=True, file=io.StringIO())
        console.print(app.screen.table())  # type: ignore[attr-defined]
        described = " ".join(console.export_text().split())
        for action in screen.ACTIONS:  # type: ignore[attr-defined]
            assert " ".join(action.tooltip.split()) in described
        await pilot.press("escape")
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"


async def test_find_an_overdue_case_read_its_transcript_and_follow_up(demo_store: Path) -> None:
    """What a newcomer does in `recorder demo`: the due list, a case, its chat, a reply."""
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tickets = app.screen.query_one(DataTable)
        late = [i for i in range(tickets.row_count) if "late" in str(tickets.get_row_at(i)[4])]
        assert late, "the demo has overdue follow-ups"

        await pilot.press("u")
        await settle(pilot)
        due = app.screen
        assert type(due).__name__ == "DueScreen"
        first = due.items[0]  # type: ignore[attr-defined]
        assert first.overdue
        assert first.next_step in str(due.query_one("#step", Static).render())

        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == first.case_id
        assert "Overdue since" in str(app.screen.query_one("#summary", Static).render())
        await pilot.press("enter")  # the first contact: the chat transcript
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert "Agent" in app.screen.query_one(TextArea).text
        await pilot.press("escape")
        await settle(pilot)

        before = rows(demo_store, f"SELECT count(*) FROM contacts WHERE case_id = {first.case_id}")
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Following up on my ticket")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    after = rows(demo_store, f"SELECT count(*) FROM contacts WHERE case_id = {first.case_id}")
    assert after[0][0] == before[0][0] + 1


async def test_a_follow_up_set_by_hand_in_the_form(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    case_id = one_case(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Any news?")
        await tab_to(pilot, "follow-up")
        await type_text(pilot, "whenever")
        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogContactScreen)
        assert "cannot read the follow-up 'whenever'" in str(
            form.query_one("#form-error", Static).render()
        )
        assert rows(path, "SELECT count(*) FROM contacts") == [(1,)]
        form.query_one("#follow-up").focus()
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "in 3 business days")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
    # Tuesday 24 Nov 10:00 New York + 3 business days (Thanksgiving skipped): Monday 30.
    assert rows(
        path, f"SELECT follow_up_at FROM contacts WHERE case_id = {case_id} AND id = 2"
    ) == [("2026-11-30 15:00:00.000000",)]


async def test_the_help_is_not_hidden_under_a_notice(demo_store: Path) -> None:
    """A notice in the corner lay over the help's lines at 80x24: opening the help
    takes it away."""
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify("Case #3 is now resolved", timeout=30)
        await settle(pilot)
        assert list(app._notifications)
        await pilot.press("question_mark")
        await settle(pilot)
        assert not list(app._notifications)
        assert type(app.screen).__name__ == "HelpScreen"


async def test_the_filter_reads_once_a_word_is_typed_and_refills_only_what_changed(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each key read the store and refilled the table (70-90 ms a key on 10k cases):
    the filter now waits for a pause in the typing, and a read that finds the cases
    already shown leaves the table as it is."""
    reads: list[str] = []
    fills: list[int] = []
    real_list, real_fill = tickets.list_cases, TicketsScreen._fill

    def list_cases(reader: Reader, **kwargs: Any) -> Any:
        reads.append(str(kwargs.get("text", "")))
        return real_list(reader, **kwargs)

    def fill(screen: TicketsScreen) -> None:
        fills.append(1)
        real_fill(screen)

    monkeypatch.setattr(tickets, "list_cases", list_cases)
    monkeypatch.setattr(TicketsScreen, "_fill", fill)
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        reads.clear()
        await pilot.press("slash")
        await type_text(pilot, "binance")
        await settle(pilot)
        assert [r for r in reads if r] == ["binance"]  # one read for the word
        assert {str(table.get_row_at(i)[0]) for i in range(table.row_count)} == {"Binance"}
        fills.clear()
        await pilot.press("space")  # "binance ": the same cases
        await settle(pilot)
        assert reads[-1] == "binance " and fills == []
        await pilot.press("backspace", "backspace", "enter")
        assert not app.screen.check_pending  # enter reads at once
        await settle(pilot)
        assert reads[-1] == "binanc" and fills == []
        await pilot.press("slash", "z", "z", "enter")  # no case: the table empties
        await settle(pilot)
        assert [r for r in reads if r][-1] == "zz"  # the filter, focused, is selected
        assert len(fills) == 1 and table.row_count == 0


def twelve_contacts(path: Path) -> int:
    """one_case, and 11 emails after its chat: "Message 2" to "Message 12"."""
    case_id = one_case(path)
    access = StoreAccess(str(path), clock=FixedClock(NOW))
    with access.store().write() as tx:
        for n in range(11):
            at = NOW - timedelta(hours=20 - n)
            log_contact(tx, case_id=case_id, channel="email", direction="outbound",
                        occurred_at=at, text=f"Message {n + 2}")  # fmt: skip
    access.close()
    return case_id


async def test_a_long_case_opens_on_its_newest_contacts_and_shows_earlier_ones_going_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case of 2,000 contacts took 0.8 s to open: the timeline shows the newest PAGE
    (here 5 of 12) and a row for the others, which moving onto shows."""
    monkeypatch.setattr(case_screen, "PAGE", 5)
    path = tmp_path / "s.sqlite3"
    twelve_contacts(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        shown = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert shown[0] == "↑ 7 earlier contacts: move here to show 5 more"
        assert shown[1:] == [f"Message {n}" for n in range(8, 13)]
        assert table.cursor_row == 5  # on the newest
        assert "12 contacts" in str(app.screen.query_one("#summary", Static).render())
        await pilot.press(*["up"] * 5)
        await settle(pilot)
        shown = [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]
        assert shown[0] == "↑ 2 earlier contacts: move here to show 2 more"
        assert shown[1:] == [f"Message {n}" for n in range(3, 13)]
        assert table.cursor_row == 5  # the latest of the five shown now: Message 7
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact.text == "Message 7"
        await pilot.press("escape", *["up"] * 5)
        await settle(pilot)
        assert table.row_count == 12  # all shown: no row for earlier ones
        assert "My BTC withdrawal" in str(table.get_row_at(0)[-1])


async def test_a_search_result_early_in_a_long_case_is_shown_and_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(case_screen, "PAGE", 5)
    path = tmp_path / "s.sqlite3"
    case_id = twelve_contacts(path)
    (early,) = rows(path, "SELECT id FROM contacts WHERE text = 'Message 3'")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(CaseScreen(case_id, at_contact=int(str(early[0]))))
        await settle(pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact.text == "Message 3"
        await pilot.press("escape")
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[-1]) == "Message 3"
        assert str(table.get_row_at(0)[-1]).startswith("↑ 2 earlier contacts: ")


async def test_each_case_opened_shows_itself_alone(demo_store: Path) -> None:
    """The app keeps one case view and shows each case opened in it: nothing of the case
    shown before may stay (its rows, its cursor, its summary)."""
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        seen = []
        for key in ("home", "down"):
            await pilot.press(key)
            await settle(pilot)
            listed = app.screen.query_one(DataTable)
            title = str(listed.get_row_at(listed.cursor_row)[1])
            await pilot.press("enter")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, CaseScreen) and screen.detail is not None
            assert title.rstrip("…") in screen.detail.title
            summary = str(screen.query_one("#summary", Static).render())
            assert screen.detail.title in summary
            table = screen.query_one(DataTable)
            assert [str(k.value) for k in table.rows] == [str(c.id) for c in screen.detail.contacts]
            assert table.cursor_row == 0  # not where it was in the case before
            await pilot.press("down")
            assert table.row_count < 2 or table.cursor_row == 1
            seen.append((screen, screen.case_id))
            await pilot.press("escape")
            await settle(pilot)
        (first, one), (second, other) = seen
        assert first is second and one != other  # one view, two cases
