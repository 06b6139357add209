"""The read side of the duplicate guard: flags as shown, from SQL text run by a Reader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from recorder.domain.duplicates import describe
from recorder.domain.vocabulary import DuplicateKind, FlagStatus
from recorder.store.readers import Reader, placeholders
from recorder.store.times import iso, stored_time, stored_time_or_none


@dataclass(slots=True)
class FlagView:
    """One duplicate flag: what was flagged, what it repeats, and the user's decision."""

    id: int
    kind: DuplicateKind
    status: FlagStatus
    case_id: int
    case_title: str
    contact_id: int | None
    earlier_case_id: int
    earlier_title: str
    earlier_contact_id: int | None
    score: float
    matched: str
    due_at: datetime | None
    created_at: datetime
    decided_at: datetime | None

    def message(self, local: tzinfo, now: datetime | None = None) -> str:
        """What the submission repeats and what to do instead, in one line (as of `now`)."""
        return describe(self, local, now)

    def to_json(self, local: tzinfo, now: datetime | None = None) -> dict[str, Any]:
        """The JSON object of `recorder dups --json` and of `duplicate_flags`."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "status": self.status.value,
            "case_id": self.case_id,
            "contact_id": self.contact_id,
            "earlier_case_id": self.earlier_case_id,
            "earlier_contact_id": self.earlier_contact_id,
            "score": self.score,
            "matched": self.matched,
            "due_at": iso(self.due_at),
            "message": self.message(local, now),
            "created_at": iso(self.created_at),
            "decided_at": iso(self.decided_at),
        }


_SELECT = """
SELECT f.id, f.kind, f.status, f.case_id, c.title, f.contact_id, f.earlier_case_id,
       e.title, f.earlier_contact_id, f.score, f.matched, f.due_at, f.created_at, f.decided_at
FROM duplicate_flags AS f
JOIN cases AS c ON c.id = f.case_id
JOIN cases AS e ON e.id = f.earlier_case_id
"""


def _view(row: Sequence[Any]) -> FlagView:
    return FlagView(
        id=row[0],
        kind=DuplicateKind(row[1]),
        status=FlagStatus(row[2]),
        case_id=row[3],
        case_title=row[4],
        contact_id=row[5],
        earlier_case_id=row[6],
        earlier_title=row[7],
        earlier_contact_id=row[8],
        score=float(row[9]),
        matched=row[10],
        due_at=stored_time_or_none(row[11]),
        created_at=stored_time(row[12]),
        decided_at=stored_time_or_none(row[13]),
    )


def list_flags(
    reader: Reader,
    *,
    every: bool = False,
    case_id: int | None = None,
    ids: Sequence[int] | None = None,
) -> list[FlagView]:
    """Flags, newest first: the open ones, or `every` one; of one case (raised on it or
    pointing at it), or with these ids."""
    where: list[str] = []
    params: dict[str, Any] = {}
    if not every:
        where.append("f.status = :open")
        params["open"] = FlagStatus.open.value
    if case_id is not None:
        where.append("(f.case_id = :case OR f.earlier_case_id = :case)")
        params["case"] = case_id
    if ids is not None:
        if not ids:
            return []
        marks, values = placeholders("id", ids)
        where.append(f"f.id IN ({marks})")
        params.update(values)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY f.id DESC"
    return [_view(row) for row in reader.rows(sql, params)]
