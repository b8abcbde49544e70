"""What the pathway counts show beyond the partnership: only checked counts, added up over the
partners, per year with its periods, 1–4 hidden and whatever would reveal them (secondary
suppression along the year's total); a period without checked counts is named, not a 0. The
same figures go into the national feed, item by item, and a harvester refuses an item with a
small count."""
from __future__ import annotations

import itertools
import json
import random

import pytest

from core import db
from plugins.federation.kinds import Invalid
from plugins.federation.suppression import THRESHOLD
from plugins.pathways import feed, figures
from plugins.pathways.periods import Period
from plugins.pathways.rules import Flow
from plugins.pathways.steps import MEASURES, Pathway, Step

PATHWAY = Pathway("t", (Step("first_contact", "First contact"), Step("participant", "Participant"),
                        Step("volunteer", "Volunteer")), "half_year")


def year_of(sums: dict, partners=None, begun=None):
    partners = partners or {period: 2 for period, _step in sums}
    return figures.published_years(PATHWAY, sums, partners, begun)


def shown(year) -> list[int]:
    return [value for table in year.tables.values() for value in
            [c.value for c in table.cells.values()] + [c.value for c in table.row_totals.values()] if value is not None]


def test_small_counts_are_hidden_and_so_is_what_would_reveal_them():
    sums = {("2025-H1", "first_contact"): Flow(20, 9, 3), ("2025-H2", "first_contact"): Flow(12, 6, 8),
            ("2025-H1", "participant"): Flow(9, 2, 0), ("2025-H2", "participant"): Flow(6, 2, 0),
            ("2025-H1", "volunteer"): Flow(0, 0, 0), ("2025-H2", "volunteer"): Flow(2, 0, 0)}
    year = year_of(sums)[2025]
    left = year.tables["left"]
    # first contact left: 3 (hidden) and 8 — the year's 11 would give the 3 away, so 8 is hidden too
    assert left.cells[("first_contact", "2025-H1")].suppressed and left.cells[("first_contact", "2025-H2")].suppressed
    assert left.row_totals["first_contact"].value == 11
    moved = year.tables["moved_on"]
    # participant moved on: 2 and 2 — hidden; their total 4 is small too, so hidden as well
    assert moved.row_totals["participant"].suppressed
    assert ("volunteer", "2025-H1") not in moved.cells  # nobody moves on from the last step
    entered = year.tables["entered"]
    assert entered.cells[("volunteer", "2025-H1")].value == 0  # a true zero stays
    assert entered.cells[("volunteer", "2025-H2")].suppressed and entered.row_totals["volunteer"].suppressed
    assert not any(0 < value < THRESHOLD for value in shown(year))


def test_a_period_without_checked_counts_is_named_not_shown_as_zero():
    sums = {("2025-H1", "first_contact"): Flow(20, 9, 6), ("2025-H1", "participant"): Flow(9, 0, 0)}
    year = year_of(sums, begun={2025: [Period(2025, 1), Period(2025, 2)]})[2025]
    assert [p.key for p in year.periods] == ["2025-H1"] and [p.key for p in year.missing] == ["2025-H2"]
    assert ("first_contact", "2025-H2") not in year.tables["entered"].cells
    # a half-year still to come is not missing
    assert year_of(sums, begun={2025: [Period(2025, 1)]})[2025].missing == []


@pytest.mark.parametrize("seed", range(40))
def test_no_published_figure_is_small_or_can_be_worked_out(seed):
    """Random sums: nothing 1–4 shows, and in every row whose year total shows, the hidden
    cells are either none or at least two that add up to 5 or more (a single hidden cell, or
    two that add up to less, could be worked out from the total)."""
    rng = random.Random(seed)
    sums = {(period, step.key): Flow(*(rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 14, 30]) for _ in range(3)))
            for period, step in itertools.product(("2025-H1", "2025-H2"), PATHWAY.steps)}
    year = year_of(sums)[2025]
    assert not any(0 < value < THRESHOLD for value in shown(year))
    for measure, table in year.tables.items():
        for row in table.rows:
            total = table.row_totals[row]
            hidden = [sums[(column, row)] for column in table.columns if table.cells[(row, column)].suppressed]
            if total.suppressed or not hidden:
                continue
            values = [getattr(flow, measure) for flow in hidden]
            assert len(values) >= 2 and sum(values) >= THRESHOLD, (measure, row, values)


# --- the national feed -------------------------------------------------------------------------------

def test_the_feed_publishes_the_public_figures_of_the_demo(platform):
    with db.connection():
        items = feed.published_items(platform)
    tuff = {key: data for key, (_m, data) in items.items() if data["programme"]["slug"] == "hillerod-tuff"}
    alliance = {key: data for key, (_m, data) in items.items()
                if data["programme"]["slug"] == "slagelse-faellesskabsalliancen"}
    assert tuff and alliance
    year = min(data["year"] for data in tuff.values())
    entered = next(data for data in tuff.values() if data["year"] == year and data["step"]["key"] == "first_contact"
                   and data["measure"] == "entered")
    # the demo's checked counts: 12 + 8 + 5 in the first half-year, 10 + 6 in the second (the third partner's
    # second half-year is not checked)
    assert entered["periods"] == {f"{year}-H1": {"count": 25, "suppressed": False},
                                  f"{year}-H2": {"count": 16, "suppressed": False}}
    assert (entered["count"], entered["suppressed"]) == (41, False)
    assert entered["partners"] == {f"{year}-H1": 3, f"{year}-H2": 2}
    assert entered["step"] == {"key": "first_contact", "position": 1,
                               "name": {"da": "Første kontakt", "en": "First contact"}}
    for data in [*tuff.values(), *alliance.values()]:
        numbers = [cell["count"] for cell in data["periods"].values()] + [data["count"]]
        assert not any(n is not None and 0 < n < THRESHOLD for n in numbers), data
        assert feed.validate(json.loads(json.dumps(data))) == data
        facets = feed.facets(data)
        assert facets["category"] in MEASURES and facets["year"] == data["year"]
    assert {data["measure"] for data in tuff.values() if data["step"]["key"] == "volunteer"} == {"entered", "left"}


def test_a_harvester_refuses_an_item_with_a_small_count(platform):
    with db.connection():
        data = next(iter(feed.published_items(platform).values()))[1]
    tampered = json.loads(json.dumps(data))
    tampered["count"], tampered["suppressed"] = 3, False
    with pytest.raises(Invalid, match="3 is below 5"):
        feed.validate(tampered)
    tampered = json.loads(json.dumps(data))
    next(iter(tampered["periods"].values())).update(count=2, suppressed=False)
    with pytest.raises(Invalid, match="below 5"):
        feed.validate(tampered)
    tampered = json.loads(json.dumps(data))
    tampered["measure"] = "names"
    with pytest.raises(Invalid):
        feed.validate(tampered)
