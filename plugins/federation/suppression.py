"""Privacy by aggregation: small counts never leave an instance, and what is published cannot
be added up to reveal them.

Primary suppression hides every count from 1 to 4 (``THRESHOLD`` = 5; a true 0 stays 0).
Secondary suppression protects them from subtraction: in a row whose total is published, a
single hidden cell could be worked out as the total minus the others, and so could two hidden
cells that add up to less than 5. Such a row gets its smallest published cell above 0 hidden
as well (its "complement"), again and again until every row is safe; a row with nothing left
to hide hides its total instead. Column totals and the grand total are published only when
nothing in them is hidden, so they never give a hidden cell away either.

The same function runs on the national instance after adding instances together: a cell that
any instance hid counts as unknown (``None``) and stays hidden, row totals come from the
instances' published totals, and small sums are hidden again. Running it on its own output
changes nothing.
"""
from __future__ import annotations

import dataclasses
from typing import Hashable

THRESHOLD = 5


@dataclasses.dataclass(frozen=True)
class Cell:
    """A published count: ``value`` is None when it is suppressed."""

    value: int | None

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclasses.dataclass(frozen=True)
class SuppressedTable:
    rows: tuple
    columns: tuple
    cells: dict
    row_totals: dict
    column_totals: dict
    grand_total: Cell

    def published_values(self) -> list[int]:
        """Every number this table shows (for checks: none may be from 1 to 4)."""
        found = [c.value for c in self.cells.values()] + [c.value for c in self.row_totals.values()]
        found += [c.value for c in self.column_totals.values()] + [self.grand_total.value]
        return [value for value in found if value is not None]


def is_small(value: int | None, threshold: int = THRESHOLD) -> bool:
    return value is not None and 0 < value < threshold


def suppress_table(values: dict[tuple[Hashable, Hashable], int | None],
                   row_totals: dict[Hashable, int | None] | None = None,
                   threshold: int = THRESHOLD) -> SuppressedTable:
    """Suppress a table of counts ``{(row, column): count or None}``.

    ``row_totals`` are the true totals when they are known otherwise than by adding the cells
    (the national instance adds the instances' published totals); by default each row's total
    is the sum of its cells, unknown when a cell is unknown. A cell missing from ``values`` is 0.
    """
    rows = tuple(dict.fromkeys(row for row, _ in values))
    if row_totals:
        rows += tuple(row for row in row_totals if row not in rows)
    columns = tuple(dict.fromkeys(column for _, column in values))
    cells: dict = {(row, column): values.get((row, column), 0) for row in rows for column in columns}
    hidden = {key for key, value in cells.items() if value is None or is_small(value, threshold)}

    totals: dict = {}
    for row in rows:
        if row_totals is not None and row in row_totals:
            totals[row] = row_totals[row]
        else:
            line = [cells[(row, column)] for column in columns]
            totals[row] = None if any(value is None for value in line) else sum(line)
    hidden_totals = {row for row, total in totals.items() if total is None or is_small(total, threshold)}

    changed = True
    while changed:
        changed = False
        for row in rows:
            if row in hidden_totals:
                continue
            line = [(row, column) for column in columns]
            suppressed = [key for key in line if key in hidden]
            if not suppressed:
                continue
            published_sum = sum(cells[key] for key in line if key not in hidden)
            derivable = totals[row] - published_sum  # what the hidden cells add up to
            if len(suppressed) >= 2 and derivable >= threshold:
                continue
            candidates = sorted((cells[key], str(key)) for key in line
                                if key not in hidden and cells[key] and cells[key] > 0)
            if candidates:
                smallest = next(key for key in line if str(key) == candidates[0][1])
                hidden.add(smallest)
            else:
                hidden_totals.add(row)
            changed = True

    published = {key: Cell(None if key in hidden else value) for key, value in cells.items()}
    published_totals = {row: Cell(None if row in hidden_totals else totals[row]) for row in rows}
    column_totals = {}
    for column in columns:
        line = [published[(row, column)] for row in rows]
        column_totals[column] = Cell(None if any(c.suppressed for c in line) else sum(c.value for c in line))
    grand = Cell(None if any(c.suppressed for c in published_totals.values())
                 else sum(c.value for c in published_totals.values()))
    return SuppressedTable(rows, columns, published, published_totals, column_totals, grand)
