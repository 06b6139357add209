"""Table columns that fit the terminal: some only on wide ones, one takes what is left."""

from __future__ import annotations

from dataclasses import dataclass

from textual.widgets import DataTable

from recorder.domain.i18n import _

WIDE = 100
"""From this many columns of terminal on, the wide-only table columns show too."""


@dataclass(frozen=True)
class Column:
    """A column of a table: its key, heading, and width (None: what the others leave)."""

    key: str
    label: str
    width: int | None
    wide_only: bool = False
    """Shown only on a terminal at least WIDE columns wide."""
    from_width: int = 0
    """Shown only on a terminal at least this wide: a column that makes way first when
    the terminal is narrow (60 columns), so that no other is cut."""


def columns_for(width: int, columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """The columns that fit a terminal this wide."""
    return tuple(c for c in columns if width >= (WIDE if c.wide_only else c.from_width))


def rest_width(columns: tuple[Column, ...], width: int) -> int:
    """What the columns with widths, their padding and a scrollbar leave for the other."""
    fixed = sum(c.width or 0 for c in columns) + 2 * len(columns) + 2
    return max(12, width - fixed)


def fit_columns(
    table: DataTable[str], columns: tuple[Column, ...], width: int
) -> tuple[Column, ...]:
    """Give the table the columns that fit `width` if it has others (its rows go with
    them), and the width that is left to the column without one. Returns the columns."""
    wanted = columns_for(width, columns)
    shown = tuple(str(key.value) for key in table.columns)
    if shown != tuple(c.key for c in wanted):
        table.clear(columns=True)
        for column in wanted:
            table.add_column(_(column.label), key=column.key, width=column.width or 20)
    for column in wanted:
        if column.width is None:
            table.columns[column.key].width = rest_width(wanted, width)  # type: ignore[index]
    table.refresh()
    return wanted
