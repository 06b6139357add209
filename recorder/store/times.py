"""Times as the store keeps them: UTC without an offset, as text on SQLite and as naive
datetimes elsewhere; and the conversions the readers and the write path share."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # Only the follow-up rules need it; the lists, which must start fast, do not.
    from recorder.domain.windows import ContactTimes


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, in UTC; None stays None."""
    if value is None:
        return None
    return (value if value.tzinfo is UTC else value.astimezone(UTC)).isoformat()


def stored_time_or_none(value: Any) -> datetime | None:
    """A stored time (text on SQLite, a naive datetime elsewhere) as aware UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        # SQLite keeps UTC without an offset; parsing it with one is faster than
        # parsing, then attaching the zone (the case list does this 20,000 times).
        return datetime.fromisoformat(value + "+00:00")
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def stored_iso(value: Any) -> str | None:
    """ISO 8601 in UTC with its offset, exactly as `datetime.isoformat()` writes it, of a
    stored time; from SQLite's text without making a datetime."""
    if value is None:
        return None
    if isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == ".":
        fraction = "" if value[20:] == "000000" else value[19:]
        return f"{value[:10]}T{value[11:19]}{fraction}+00:00"
    return iso(stored_time(value))


def stored_time(value: Any) -> datetime:
    """A stored time that is never empty."""
    moment = stored_time_or_none(value)
    assert moment is not None
    return moment


def stored_json(value: Any) -> Any:
    """A stored JSON value (text on SQLite, decoded already elsewhere)."""
    return json.loads(value) if isinstance(value, str) else value


def stored_json_column(values: Sequence[Any]) -> list[Any]:
    """A column of stored JSON values, decoded in one call of the decoder, not one a row."""
    if values and all(isinstance(v, str) for v in values):
        decoded: list[Any] = json.loads("[" + ",".join(values) + "]")
        return decoded
    return [stored_json(v) for v in values]


def db_time(value: datetime) -> str:
    """A time as the store keeps it (naive UTC text), for comparisons in SQL."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def any_time(value: Any) -> datetime | None:
    """A time from the store or from an export's records (ISO 8601 with its offset), as
    aware UTC; None stays None."""
    if isinstance(value, str):
        moment = datetime.fromisoformat(value)
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return stored_time_or_none(value)


TIMES_COLUMNS = (
    "id",
    "direction",
    "occurred_at",
    "auto_ack",
    "expected_by",
    "follow_up_at",
    "sender_findings",
    "sender_trusted",
    "turns",
)
"""The contact columns the follow-up rules read (`contact_times`): select them all, so
that whoever reads a case's clock sees who may answer and who spoke last."""


def contact_times(row: Mapping[Any, Any]) -> ContactTimes:
    """What the follow-up rules need of a contact, from its TIMES_COLUMNS as a row
    mapping, an exported record or a view's values: `sender_findings` and
    `sender_trusted` say whether an inbound contact may answer, and `turns` whether
    support answered in a conversation."""
    from recorder.domain.transcripts import answered_in_session
    from recorder.domain.windows import ContactTimes

    occurred = any_time(row["occurred_at"])
    assert occurred is not None
    turns = stored_json(row.get("turns") or [])
    return ContactTimes(
        id=row["id"],
        outbound=row["direction"] == "outbound",
        occurred_at=occurred,
        auto_ack=bool(row["auto_ack"]),
        expected_by=any_time(row["expected_by"]),
        follow_up_at=any_time(row["follow_up_at"]),
        trusted=not stored_json(row.get("sender_findings") or [])
        or bool(row.get("sender_trusted")),
        conversation=bool(turns),
        answered_in_session=bool(turns) and answered_in_session(turns),
    )
