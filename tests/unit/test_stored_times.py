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
