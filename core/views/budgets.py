"""Budgets: per programme and year (budget, committed, paid, left) and per funder across its
programmes, each as a table and a chart. Public: the figures are totals of public grants and fees.

A national instance runs hundreds of programmes, and a chart with its table is a few kilobytes, so
the page lists a page of funders and a page of programmes at a time (``funder_page``, ``page``),
optionally of one municipality (``municipality``, its code): what one request costs stays the same
however many programmes there are. The address is read leniently, as the directory's is."""
from __future__ import annotations

import dataclasses
import math
from urllib.parse import urlencode

from core import db, directory
from core.models.municipality import Municipality
from core.models.programme import Programme
from core.rules.money import budget_overview, funder_overview
from core.views.programmes import programmes_with_parties
from core.web.charts import money_chart
from core.web.pages import render
from core.web.routing import page


@dataclasses.dataclass(frozen=True)
class PageLink:
    label: int
    href: str
    current: bool


@dataclasses.dataclass(frozen=True)
class Paged:
    """One page of a list, with the links to its neighbours (``None`` where there is none)."""
    items: list
    page: int
    pages: int
    links: list[PageLink]
    previous: str | None
    next: str | None


def _page_of(items: list, name: str, page_number: int, size: int, params: dict[str, str], anchor: str) -> Paged:
    pages = max(1, math.ceil(len(items) / size))
    current = min(page_number, pages)

    def href(n: int) -> str:
        query = {**params, name: str(n)} if n > 1 else {k: v for k, v in params.items() if k != name}
        return "/budgets" + (f"?{urlencode(query)}" if query else "") + f"#{anchor}"

    shown = range(max(1, current - 3), min(pages, current + 3) + 1)
    return Paged(items[(current - 1) * size:current * size], current, pages,
                 [PageLink(n, href(n), n == current) for n in shown],
                 href(current - 1) if current > 1 else None, href(current + 1) if current < pages else None)


def budgets(request):
    params = request.query_params
    size = request.app.state.platform.settings.page_size
    code = params.get("municipality", "").strip()
    code = code if code.isdecimal() and len(code) == 4 else ""
    query = programmes_with_parties().order_by(Municipality.name, Programme.name)
    if code:
        query = query.where(Municipality.code == code)
    programmes = list(query)
    wanted = {"page": directory.int_param(params, "page", 1), "funder_page": directory.int_param(params, "funder_page", 1)}
    kept = {"municipality": code} if code else {}
    kept.update({name: str(number) for name, number in wanted.items() if number > 1})
    programme_page = _page_of(programmes, "page", wanted["page"], size, kept, "programmes")
    funders = funder_overview(programmes)  # from the kept totals: one query, whatever the count
    funder_page = _page_of(funders, "funder_page", wanted["funder_page"], size, kept, "funders")
    overview = budget_overview([p.id for p in programme_page.items])
    per_programme = [{"programme": p, "years": overview[p.id], "chart": money_chart(overview[p.id])}
                     for p in programme_page.items]
    for entry in funder_page.items:
        entry["chart"] = money_chart(entry["years"])
    return render(request, "budgets/index.html", {
        "per_programme": per_programme, "funders": funder_page.items, "programme_page": programme_page,
        "funder_page": funder_page, "municipality": code,
        "municipality_options": directory.municipality_options(id(db.database.obj), code)})


def routes():
    return [page("/budgets", budgets, name="budgets")]
