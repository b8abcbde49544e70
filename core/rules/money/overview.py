"""Overviews of the money: per programme and year, and per funder across its programmes.

Read-only figures for pages, exports and the API — budget, committed (fees + grants), paid and
left — each in a fixed number of queries whatever the data, so a page's query count does not
grow with the programmes it shows, and none of them sums the payments: the committed and paid
figures come from ``budget_total``, which the database keeps per programme and year (migration
0015). Nothing here writes; the rules that write are in ``commitments`` and ``payments``.
"""
from __future__ import annotations

from core.models.programme import BudgetTotal, ProgrammeBudget


def _totals(programme_ids: list[int]):
    """The kept per programme × year totals (``BudgetTotal``, migration 0015): one query, a few rows."""
    return (BudgetTotal.select(BudgetTotal.programme, BudgetTotal.year, BudgetTotal.fees_ore, BudgetTotal.grants_ore,
                               BudgetTotal.paid_ore)
            .where(BudgetTotal.programme.in_(programme_ids)).tuples())


def money_overview(programme_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Budget, fees, grants, used and left per programme and year, in two queries whatever the data."""
    overview: dict[int, dict[int, dict[str, int]]] = {pid: {} for pid in programme_ids}
    if not programme_ids:
        return overview

    def row(pid: int, year: int) -> dict[str, int]:
        return overview[pid].setdefault(year, {"budget": 0, "fees": 0, "grants": 0})

    for budget in ProgrammeBudget.select().where(ProgrammeBudget.programme.in_(programme_ids)):
        row(budget.programme_id, budget.year)["budget"] = budget.amount_ore
    for pid, year, fees, grants, _paid in _totals(programme_ids):
        if fees or grants:  # a year whose commitments were all withdrawn shows as it did before any
            figures = row(pid, int(year))
            figures["fees"], figures["grants"] = int(fees), int(grants)
    for years in overview.values():
        for figures in years.values():
            figures["used"] = figures["fees"] + figures["grants"]
            figures["left"] = figures["budget"] - figures["used"]
    return {pid: dict(sorted(years.items())) for pid, years in overview.items()}


def paid_by_programme_year(programme_ids: list[int]) -> dict[int, dict[int, int]]:
    """Øre paid per programme and budget year, in one query."""
    paid: dict[int, dict[int, int]] = {pid: {} for pid in programme_ids}
    if not programme_ids:
        return paid
    for pid, year, _fees, _grants, total in _totals(programme_ids):
        if total:
            paid[pid][int(year)] = int(total)
    return paid


def budget_overview(programme_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Per programme and year: budget, committed (fees + grants), paid, left (budget − committed).
    Three queries whatever the data."""
    overview = money_overview(programme_ids)
    paid = paid_by_programme_year(programme_ids)
    result: dict[int, dict[int, dict[str, int]]] = {}
    for pid, years in overview.items():
        rows = {}
        for year in sorted(set(years) | set(paid.get(pid, {}))):
            figures = years.get(year, {"budget": 0, "fees": 0, "grants": 0, "used": 0, "left": 0})
            rows[year] = {"budget": figures["budget"], "fees": figures["fees"], "grants": figures["grants"],
                          "committed": figures["used"], "paid": paid.get(pid, {}).get(year, 0),
                          "left": figures["budget"] - figures["used"]}
        result[pid] = rows
    return result


def funder_overview(programmes) -> list[dict]:
    """Per funder across its programmes (e.g. a national funder of two volunteer centres' partnerships):
    the programmes, and per year the summed budget, committed, paid and left, plus totals.
    ``programmes`` are rows with ``funder`` loaded; those without a funder are left out."""
    by_funder: dict[int, dict] = {}
    with_funder = [p for p in programmes if p.funder_id]
    overview = budget_overview([p.id for p in with_funder])
    for programme in with_funder:
        entry = by_funder.setdefault(programme.funder_id, {"funder": programme.funder, "programmes": [],
                                                           "years": {}})
        entry["programmes"].append(programme)
        for year, figures in overview[programme.id].items():
            row = entry["years"].setdefault(year, {"budget": 0, "committed": 0, "paid": 0, "left": 0})
            for key in row:
                row[key] += figures[key]
    result = []
    for entry in by_funder.values():
        entry["years"] = dict(sorted(entry["years"].items()))
        entry["total"] = {key: sum(row[key] for row in entry["years"].values())
                          for key in ("budget", "committed", "paid", "left")}
        result.append(entry)
    return sorted(result, key=lambda e: e["funder"].name)
