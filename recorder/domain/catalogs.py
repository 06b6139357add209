"""What Babel extracts beyond the `_()` calls of the code (`babel.cfg`).

`extract_toml` reads `escalation.toml`: the name of each jurisdiction, and the title and
the next step of each rung, are shown to the user (translated where they are shown,
with `_()`); the sources stay as the rules' own words, which a reader checks against
the rules themselves. `extract_commands` reads the command line's modules: their `_()`
calls, and the docstring of each command, which is its help page
(`recorder.cli.base.speak_command` translates it).
"""

from __future__ import annotations

import ast
import inspect
import tomllib
from collections.abc import Iterator
from typing import IO, Any

SHOWN_KEYS = ("name", "title", "next")
"""The keys whose values are shown to the user."""


def extract_toml(
    fileobj: IO[bytes], keywords: object, comment_tags: object, options: object
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """Babel's extractor interface: (line, function, message, comments) for each text
    a user reads, in the order the file gives them."""
    data = tomllib.loads(fileobj.read().decode("utf-8"))
    for text in _shown(data):
        yield 0, None, text, []


def _shown(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, dict):
        for name, inner in value.items():
            yield from _shown(inner, name)
    elif isinstance(value, list):
        for inner in value:
            yield from _shown(inner, key)
    elif isinstance(value, str) and key in SHOWN_KEYS:
        yield value


def extract_commands(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extraction, and the docstring of every function decorated as a
    click command or group (`@cli.command()`, `@case.command("edit")`, `@click.group`)."""
    from io import BytesIO

    from babel.messages.extract import extract_python

    source = fileobj.read()
    yield from extract_python(BytesIO(source), keywords, comment_tags, options)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and any(map(_is_command, node.decorator_list)):
            docstring = ast.get_docstring(node, clean=False)
            if docstring:
                yield node.lineno, None, inspect.cleandoc(docstring), []


def _is_command(decorator: ast.expr) -> bool:
    called = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(called, ast.Attribute) and called.attr in ("command", "group")
