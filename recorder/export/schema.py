"""The JSON Schema of records.json, made from the models.

`schema/export-v1.schema.json` is this function's output, kept in the repository so
that people and other programs can read it; a test fails when the two drift apart.
Regenerate it after a change to the models with:

    python -m recorder.export.schema > schema/export-v1.schema.json
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlmodel.sql.sqltypes import AutoString

from recorder.domain.i18n import LANGUAGES
from recorder.export.evidence import FORMAT, KINDS, VERSION, audited_columns
from recorder.store.models import UTCDateTime

SCHEMA_ID = "https://recorder.invalid/schema/export-v1.schema.json"
SCHEMA_NAME = "export-v1.schema.json"

HASH = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
TIME = {"type": "string", "format": "date-time"}


def _column(column: sa.Column[Any]) -> dict[str, Any]:
    kind = column.type
    schema: dict[str, Any]
    if isinstance(kind, UTCDateTime):
        schema = dict(TIME)
    elif isinstance(kind, sa.Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, sa.Integer):
        schema = {"type": "integer"}
    elif isinstance(kind, sa.Float):
        schema = {"type": "number"}
    elif isinstance(kind, sa.JSON):
        schema = {"type": ["array", "object"]}
    elif isinstance(kind, sa.Enum):
        schema = {"type": "string", "enum": list(kind.enums)}
    elif isinstance(kind, sa.String | AutoString):
        schema = {"type": "string"}
        if getattr(kind, "length", None):
            schema["maxLength"] = kind.length
    else:  # pragma: no cover - a new column type needs a rule here
        raise TypeError(f"no JSON Schema rule for {column.table.name}.{column.key} ({kind!r})")
    if column.nullable and not column.primary_key:
        # A list of types, not anyOf: validators check it several times faster.
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        schema["type"] = [*types, "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    return schema


def export_schema() -> dict[str, Any]:
    """The schema of records.json, version 1."""
    definitions: dict[str, Any] = {}
    for kind, model in KINDS.items():
        columns = audited_columns(model)
        definitions[kind] = {
            "type": "object",
            "properties": {c.key: _column(c) for c in columns},
            "required": [c.key for c in columns],
            "additionalProperties": False,
        }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "recorder evidence export: records.json",
        "description": "Every exported record, as recorder's audit log keeps it.",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "generated_at": TIME,
            "recorder_version": {"type": "string"},
            "time_zone": {
                "type": "string",
                "description": "The IANA time zone the readable files show times in.",
            },
            "language": {
                "type": "string",
                "enum": list(LANGUAGES),
                "description": "The language of the readable files (absent: en).",
            },
            "filters": {"type": "object"},
            "redacted": {"type": "array", "items": {"type": "string"}},
            "redactions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "kind": {"type": "string", "enum": list(KINDS)},
                        "id": {"type": "integer"},
                        "field": {"type": "string"},
                    },
                    "required": ["kind", "id", "field"],
                    "additionalProperties": False,
                },
            },
            "withheld": {"type": "array", "items": {"type": "integer"}},
            "audit_head": HASH,
            **{
                kind: {"type": "array", "items": {"$ref": f"#/definitions/{kind}"}}
                for kind in KINDS
            },
        },
        "required": [
            "format",
            "version",
            "generated_at",
            "recorder_version",
            "filters",
            "redacted",
            "audit_head",
            *KINDS,
        ],
        "additionalProperties": False,
        "definitions": definitions,
    }


def schema_text() -> str:
    """The schema as kept in schema/."""
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"


def load_schema() -> dict[str, Any]:
    """The schema file shipped with recorder (inside the wheel, or in the checkout)."""
    from recorder.store.db import migrations_dir

    loaded: dict[str, Any] = json.loads((migrations_dir() / SCHEMA_NAME).read_text("utf-8"))
    return loaded


if __name__ == "__main__":
    print(schema_text(), end="")
