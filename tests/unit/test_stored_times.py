"""Stored times: SQLite's UTC text read back as aware datetimes and as ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from recorder.store.times import db_time, stored_iso, stored_time

moments = st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
)


@given(moments)
def test_the_iso_text_of_a_stored_time_is_what_isoformat_writes(moment: datetime) -> None:
    stored = db_time(moment)  # the form SQLAlchemy's SQLite dialect stores
    assert stored_iso(stored) == moment.isoformat()


@given(moments)
def test_a_stored_time_reads_back_as_the_same_instant(moment: datetime) -> None:
    assert stored_time(db_time(moment)) == moment


def test_other_forms_go_through_datetime() -> None:
    assert stored_iso("2026-01-05 10:00:00") == "2026-01-05T10:00:00+00:00"
    assert stored_iso(datetime(2026, 1, 5, 10, 0)) == "2026-01-05T10:00:00+00:00"
    assert stored_iso(None) is None


@given(moments, st.sampled_from(["db", "naive", "export", "offset"]))
def test_contact_times_read_every_form_a_time_comes_in(moment: datetime, form: str) -> None:
    from zoneinfo import ZoneInfo

    from recorder.store.times import contact_times

    value: object = {
        "db": db_time(moment),  # SQLite's text
        "naive": moment.replace(tzinfo=None),  # another database's naive UTC
        "export": moment.isoformat(),  # an exported record
        "offset": moment.astimezone(ZoneInfo("America/New_York")).isoformat(),
    }[form]
    times = contact_times(
        {
            "id": 7,
            "direction": "outbound",
            "occurred_at": value,
            "auto_ack": 0,
            "expected_by": None,
            "follow_up_at": value,
        }
    )
    assert times.occurred_at == moment and times.occurred_at.tzinfo is UTC
    assert times.follow_up_at == moment and times.expected_by is None
    assert times.outbound and not times.auto_ack and times.id == 7
