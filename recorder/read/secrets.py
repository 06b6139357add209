"""Secrets already in the record: what `recorder scan` lists (recorder.domain.secrets)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from recorder.domain.secrets import SecretFinding, scan
from recorder.store.readers import Reader
from recorder.store.times import stored_time

BATCH = 500
"""Contacts read at a time: memory stays flat whatever the size of the record."""


@dataclass(frozen=True)
class StoredSecret:
    """One secret in a stored contact's subject or text."""

    contact_id: int
    case_id: int
    occurred_at: datetime
    channel: str
    field: str
    finding: SecretFinding

    def to_json(self) -> dict[str, object]:
        """Where it is and what it means, never the secret itself."""
        return {
            "contact_id": self.contact_id,
            "case_id": self.case_id,
            "occurred_at": self.occurred_at.isoformat(),
            "channel": self.channel,
            "field": self.field,
            **self.finding.to_json(),
            "warning": self.finding.warning,
        }


def stored_secrets(
    reader: Reader, *, case_id: int | None = None, every: bool = False
) -> Iterator[StoredSecret]:
    """The secrets in the stored contacts (of one case), in the order they were logged.

    The contacts the write path noted as holding one are scanned again, to say where;
    with `every`, every text is, as a scanner newer than the store may find more.
    """
    where = "AND case_id = :case" if case_id is not None else ""
    if not every:
        # As SQLite's partial index ix_contacts_secrets says it, so that it serves the
        # query; PostgreSQL compares a json value as text.
        kinds = "secret_kinds" if reader.dialect == "sqlite" else "CAST(secret_kinds AS TEXT)"
        where += f" AND {kinds} != '[]'"
    last = 0
    while True:
        rows = reader.rows(
            "SELECT id, case_id, occurred_at, channel, subject, text FROM contacts"
            f" WHERE id > :last {where} ORDER BY id LIMIT {BATCH}",
            {"last": last, "case": case_id},
        )
        for contact_id, case, occurred, channel, subject, text in rows:
            for name, value in (("subject", subject), ("text", text)):
                for finding in scan(value or ""):
                    yield StoredSecret(
                        contact_id, case, stored_time(occurred), channel, name, finding
                    )
        if len(rows) < BATCH:
            return
        last = rows[-1][0]
