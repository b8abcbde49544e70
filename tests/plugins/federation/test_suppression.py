"""Privacy by aggregation: the suppression rules, on their own."""
from __future__ import annotations

import itertools
import random

import pytest

from plugins.federation.suppression import THRESHOLD, is_small, suppress_table


def _safe(table) -> None:
    """No small number is published, and no row total lets a hidden cell (or a small group of
    them) be worked out."""
    assert not any(is_small(value) for value in table.published_values())
    for row in table.rows:
        total = table.row_totals[row]
        hidden = [c for c in table.columns if table.cells[(row, c)].suppressed]
        if total.suppressed or not hidden:
            continue
        published = sum(table.cells[(row, c)].value for c in table.columns if not table.cells[(row, c)].suppressed)
        assert len(hidden) >= 2 and total.value - published >= THRESHOLD, (row, hidden)
    for column in table.columns:  # a column total is published only when nothing in it is hidden
        if not table.column_totals[column].suppressed:
            assert not any(table.cells[(r, column)].suppressed for r in table.rows)


def test_small_counts_are_suppressed_and_a_single_one_gets_a_complement():
    table = suppress_table({("A", "x"): 3, ("A", "y"): 12, ("A", "z"): 20, ("B", "x"): 7, ("B", "y"): 0})
    assert table.cells[("A", "x")].suppressed
    assert table.cells[("A", "y")].suppressed, "the smallest other cell hides with it"
    assert table.cells[("A", "z")].value == 20 and table.row_totals["A"].value == 35
    assert table.cells[("B", "y")].value == 0, "a true zero stays"
    assert table.column_totals["x"].suppressed and table.column_totals["z"].value == 20
    _safe(table)


def test_a_small_total_is_suppressed_with_everything_in_its_row():
    table = suppress_table({("A", "x"): 2, ("A", "y"): 1})
    assert table.row_totals["A"].suppressed and table.grand_total.suppressed
    assert all(cell.suppressed for cell in table.cells.values())


def test_two_hidden_cells_that_add_up_to_less_than_five_get_a_third():
    table = suppress_table({("A", "x"): 1, ("A", "y"): 2, ("A", "z"): 9, ("A", "w"): 30})
    assert table.cells[("A", "z")].suppressed
    _safe(table)


def test_a_row_with_nothing_left_to_hide_hides_its_total():
    table = suppress_table({("A", "x"): 3, ("A", "y"): 0})
    assert table.row_totals["A"].suppressed


def test_running_it_again_on_its_output_changes_nothing():
    values = {("A", "x"): 3, ("A", "y"): 12, ("A", "z"): 20, ("B", "x"): 7, ("B", "y"): 4, ("B", "z"): 0}
    first = suppress_table(values)
    again = suppress_table({key: cell.value for key, cell in first.cells.items()},
                           {row: cell.value for row, cell in first.row_totals.items()})
    assert again == first


def test_the_national_sum_of_instances_suppresses_again():
    """Two instances each publish a safe table; added together, what either hid stays hidden,
    and a sum of published cells that is small is hidden too."""
    one = suppress_table({("A", "x"): 3, ("A", "y"): 10, ("A", "z"): 25})
    two = suppress_table({("A", "x"): 9, ("A", "y"): 6, ("A", "z"): 0})
    cells, totals = {}, {}
    for table in (one, two):
        for key, cell in table.cells.items():
            previous = cells.get(key, 0)
            cells[key] = None if previous is None or cell.suppressed else previous + cell.value
        for row, cell in table.row_totals.items():
            previous = totals.get(row, 0)
            totals[row] = None if previous is None or cell.suppressed else previous + cell.value
    national = suppress_table(cells, totals)
    assert national.cells[("A", "x")].suppressed and national.cells[("A", "y")].suppressed
    assert national.row_totals["A"].value == 53
    _safe(national)


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_are_always_safe(seed):
    rng = random.Random(seed)
    rows, columns = [f"r{i}" for i in range(rng.randint(1, 5))], [f"c{i}" for i in range(rng.randint(1, 5))]
    values = {(r, c): rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for r, c in itertools.product(rows, columns)}
    table = suppress_table(values)
    _safe(table)
    # published cells are the true ones
    assert all(cell.value == values[key] for key, cell in table.cells.items() if not cell.suppressed)
