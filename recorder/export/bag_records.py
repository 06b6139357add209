"""Reading a bag's data/records.json for `recorder verify`: its header kept, its records
staged on disk (recorder.export.staging) as they are read, each checked against the
export schema on the way, so that verifying a large record needs no more memory than
a small one.

records.json as recorder writes it has one record a line (recorder.export.bag), and is
read line by line. A file laid out otherwise (valid JSON all the same, say rewritten by
another program) is read whole, as any JSON document: what it says is checked the same.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from recorder.domain.i18n import _
from recorder.export.evidence import FORMAT, KINDS
from recorder.export.staging import Staged

MAX_SCHEMA_PROBLEMS = 20


@dataclass
class Loaded:
    """records.json read: its header (every field but the records), the problems found
    reading it (none when it could be read), and what the schema says of it."""

    header: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    schema_problems: list[str] = field(default_factory=list)


class _Layout(Exception):
    """records.json is not laid out a record a line: read it whole instead."""


def load_records(path: Path, staged: Staged) -> Loaded:
    """Read records.json at `path` into `staged`, checking each record's schema."""
    loaded = Loaded()
    try:
        try:
            header = _by_lines(path, staged, loaded)
        except _Layout:
            staged.clear()
            loaded.schema_problems.clear()
            header = _whole(path, staged, loaded)
    except FileNotFoundError:
        loaded.problems.append(_("data/records.json: missing; expected recorder's records"))
        return loaded
    except (ValueError, UnicodeDecodeError) as exc:
        loaded.problems.append(_("data/records.json: not valid JSON ({exc})").format(exc=exc))
        return loaded
    if header is None or header.get("format") != FORMAT:
        loaded.problems.append(
            _("data/records.json: not a {format} document").format(format=FORMAT)
        )
        return loaded
    loaded.header = header
    _check_header(header, loaded)
    return loaded


def _by_lines(path: Path, staged: Staged, loaded: Loaded) -> dict[str, Any] | None:
    try:
        return _lines(path, staged, loaded)
    except ValueError:  # a line that is not JSON alone: the whole file tells
        raise _Layout from None


def _lines(path: Path, staged: Staged, loaded: Loaded) -> dict[str, Any] | None:
    with path.open(encoding="utf-8") as handle:
        if handle.readline() != "{\n":
            raise _Layout
        header: dict[str, Any] = {}
        for line in handle:
            if line == "}\n":
                return header
            if not line.startswith(' "') or ": " not in line:
                raise _Layout
            key_text, _sep, value = line.rstrip("\n").partition(": ")
            key = json.loads(key_text)
            if value != "[":
                header[key] = json.loads(value.removesuffix(","))
                continue
            rows = _rows(handle)
            if key in KINDS:
                _stage(staged, key, rows, loaded)
            else:
                header[key] = [row for row, _ in rows]
        raise _Layout


def _rows(handle: Iterable[str]) -> Iterator[tuple[Any, str]]:
    """The objects of a list, one a line, up to the line that closes it; each with its
    JSON text."""
    for line in handle:
        if line in (" ]\n", " ],\n"):
            return
        if not line.startswith("  "):
            raise _Layout
        text = line[2:].rstrip("\n").removesuffix(",")
        yield json.loads(text), text
    raise _Layout


def _whole(path: Path, staged: Staged, loaded: Loaded) -> dict[str, Any] | None:
    document = json.loads(path.read_text("utf-8"))
    if not isinstance(document, dict):
        return None
    header = {k: v for k, v in document.items() if k not in KINDS}
    for kind in KINDS:
        if kind in document:
            rows = document[kind]
            if isinstance(rows, list):
                _stage(staged, kind, ((row, None) for row in rows), loaded)
            else:
                header[kind] = rows  # the schema names it
    return header


def _stage(
    staged: Staged, kind: str, rows: Iterable[tuple[Any, str | None]], loaded: Loaded
) -> None:
    """Stage the records of a kind that can be (objects with an integer id); explain
    at once why any other is not a record (`check_schema` checks the staged ones)."""

    def records() -> Iterator[tuple[int, dict[str, Any], str | None]]:
        for index, (record, text) in enumerate(rows):
            if isinstance(record, dict) and type(record.get("id")) is int:
                yield index, record, text
            else:
                _explain(kind, index, record, loaded)

    staged.add_numbered(kind, records())


def checked(staged: Staged, kind: str, loaded: Loaded) -> Iterator[dict[str, Any]]:
    """Each staged record of a kind, in the order records.json gives them, checked
    against the export schema on the way (what it says goes to `loaded`, after the
    header's problems and those of whatever could not be staged)."""
    valid = _record_validator(kind)
    for index, record in staged.as_given(kind):
        if not valid(record):
            _explain(kind, index, record, loaded)
        yield record


def _check_header(header: dict[str, Any], loaded: Loaded) -> None:
    document = {**header, **{kind: [] for kind in KINDS if kind not in header}}
    import fastjsonschema

    try:
        _document_validator()(document)
    except fastjsonschema.JsonSchemaException:
        from jsonschema import Draft7Validator

        from recorder.export.schema import load_schema

        validator = Draft7Validator(load_schema(), format_checker=Draft7Validator.FORMAT_CHECKER)
        for error in validator.iter_errors(document):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            _say(
                loaded,
                _("data/records.json: {where}: {message}").format(
                    where=where, message=error.message
                ),
            )


def _explain(kind: str, index: int, record: Any, loaded: Loaded) -> None:
    """Every schema problem of one record, named by its place in the file."""
    from jsonschema import Draft7Validator

    validator = Draft7Validator(_record_schema(kind), format_checker=Draft7Validator.FORMAT_CHECKER)
    for error in validator.iter_errors(record):
        where = "/".join(str(p) for p in (kind, index, *error.absolute_path))
        _say(
            loaded,
            _("data/records.json: {where}: {message}").format(where=where, message=error.message),
        )


def _say(loaded: Loaded, problem: str) -> None:
    if len(loaded.schema_problems) < MAX_SCHEMA_PROBLEMS:
        loaded.schema_problems.append(problem)
    elif len(loaded.schema_problems) == MAX_SCHEMA_PROBLEMS:
        loaded.schema_problems.append(_("data/records.json: more schema problems not shown"))


def _record_schema(kind: str) -> dict[str, Any]:
    from recorder.export.schema import load_schema

    schema = load_schema()
    return {"definitions": schema["definitions"], "$ref": f"#/definitions/{kind}"}


@cache
def _record_validator(kind: str) -> Callable[[Any], bool]:
    """Whether a record of `kind` is valid (fastjsonschema compiles the schema to code:
    20x faster on 100k contacts than jsonschema, which then names every problem)."""
    import fastjsonschema

    validate = fastjsonschema.compile(_record_schema(kind))

    def valid(record: Any) -> bool:
        try:
            validate(record)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    return valid


@lru_cache(maxsize=1)
def _document_validator() -> Callable[[Any], Any]:
    import fastjsonschema

    from recorder.export.schema import load_schema

    validate: Callable[[Any], Any] = fastjsonschema.compile(load_schema())
    return validate
