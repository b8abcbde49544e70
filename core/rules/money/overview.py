"""Overviews of the money: per programme and year, and per funder across its programmes.

Read-only figures for pages, exports and the API — budget, committed (fees + grants), paid and
left — each in a fixed number of queries whatever the data, so a page's query count does not
grow with the programmes it shows. Nothing here writes; the rules that write are in
``commitments`` and ``payments``.
"""
from __future__ import annotations

from peewee import fn

from core.models.money import Grant, SignOnFee
from core.models.payment import PaymentRequest
from core.models.programme import ProgrammeBudget


def money_overview(programme_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Budget, fees, grants, used and left per programme and year, in three queries whatever the data."""
    overview: dict[int, dict[int, dict[str, int]]] = {pid: {} for pid in programme_ids}
    if not programme_ids:
        return overview

    def row(pid: int, year: int) -> dict[str, int]:
        return overview[pid].setdefault(year, {"budget": 0, "fees": 0, "grants": 0})

    for budget in ProgrammeBudget.select().where(ProgrammeBudget.programme.in_(programme_ids)):
        row(budget.programme_id, budget.year)["budget"] = budget.amount_ore
    fee_year = SignOnFee.granted_on.year
    for pid, year, total in (SignOnFee.select(SignOnFee.programme, fee_year, fn.SUM(SignOnFee.amount_ore))
                             .where(SignOnFee.programme.in_(programme_ids), SignOnFee.deleted_at.is_null())
                             .group_by(SignOnFee.programme, fee_year).tuples()):
        row(pid, int(year))["fees"] = int(total)
    for pid, year, total in (Grant.select(Grant.programme, Grant.year, fn.SUM(Grant.amount_ore))
                             .where(Grant.programme.in_(programme_ids), Grant.deleted_at.is_null())
                             .group_by(Grant.programme, Grant.year).tuples()):
        row(pid, int(year))["grants"] = int(total)
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
    for pid, year, total in (PaymentRequest.select(PaymentRequest.programme, PaymentRequest.budget_year,
                                                   fn.SUM(PaymentRequest.amount_ore))
                             .where(PaymentRequest.programme.in_(programme_ids), PaymentRequest.status == "paid")
                             .group_by(PaymentRequest.programme, PaymentRequest.budget_year).tuples()):
        paid[pid][int(year)] = int(total)
    return paid


def budget_overview(programme_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """Per programme and year: budget, committed (fees + grants), paid, left (budget − committed).
    Four queries whatever the data."""
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
