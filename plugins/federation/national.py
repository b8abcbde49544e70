"""The national picture from harvested items: programmes, partners and money across
municipalities and instances, partner counts suppressed again after adding instances together,
and each peer's freshness. Every function runs a fixed number of queries, whatever the data.

Filters: municipality (code), programme type and year. A programme counts in a year when the
year lies in its period; a partner when its membership had begun by the end of the year and
had not ended before it began; money by its year.
"""
from __future__ import annotations

import dataclasses
import json
from collections import defaultdict

from peewee import fn

from plugins.federation.harvest import is_stale
from core import clock
from plugins.federation.models import HarvestedItem, Peer
from plugins.federation.suppression import SuppressedTable, suppress_table


@dataclasses.dataclass(frozen=True)
class Filters:
    municipality: str = ""
    programme_type: str = ""
    year: int | None = None

    @classmethod
    def from_params(cls, params) -> tuple["Filters", dict[str, list[str]]]:
        from core.i18n import gettext as _
        errors: dict[str, list[str]] = {}
        municipality = str(params.get("municipality", "")).strip()[:4]
        if municipality and not (municipality.isdecimal() and len(municipality) == 4):
            errors["municipality"] = [_("Choose a municipality from the list")]
            municipality = ""
        programme_type = str(params.get("programme_type", "")).strip()[:80]
        raw_year = str(params.get("year", "")).strip()[:6]
        year = None
        if raw_year:
            if raw_year.isdecimal() and 1900 <= int(raw_year) <= 2200:
                year = int(raw_year)
            else:
                errors["year"] = [_("Give a year such as 2025")]
        return cls(municipality, programme_type, year), errors

    def query(self, kind: str):
        query = HarvestedItem.select().where(HarvestedItem.kind == kind)
        if self.municipality:
            query = query.where(HarvestedItem.municipality_code == self.municipality)
        if self.programme_type:
            query = query.where(HarvestedItem.programme_type == self.programme_type)
        return query


def _in_year(start: str | None, end: str | None, year: int | None) -> bool:
    if year is None:
        return True
    return (start is None or int(start[:4]) <= year) and (end is None or int(end[:4]) >= year)


def choices() -> dict:
    """What the filters offer: municipalities, programme types and years that were harvested."""
    municipalities = (HarvestedItem.select(HarvestedItem.municipality_code, fn.MAX(HarvestedItem.municipality_name))
                      .where(HarvestedItem.municipality_code != "")
                      .group_by(HarvestedItem.municipality_code).order_by(HarvestedItem.municipality_code).tuples())
    types = (HarvestedItem.select(HarvestedItem.programme_type).where(HarvestedItem.programme_type != "")
             .distinct().order_by(HarvestedItem.programme_type).tuples())
    years = (HarvestedItem.select(HarvestedItem.year).where(HarvestedItem.kind == "money", HarvestedItem.year.is_null(False))
             .distinct().order_by(HarvestedItem.year).tuples())
    return {"municipalities": sorted(((code, name) for code, name in municipalities), key=lambda pair: pair[1]),
            "programme_types": [row[0] for row in types], "years": [row[0] for row in years]}


def freshness() -> list[dict]:
    now = clock.now()
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for peer_id, kind, count in (HarvestedItem.select(HarvestedItem.peer, HarvestedItem.kind, fn.COUNT(HarvestedItem.id))
                                 .group_by(HarvestedItem.peer, HarvestedItem.kind).tuples()):
        counts[peer_id][kind] = int(count)
    return [{"peer": peer, "stale": is_stale(peer, now), "items": counts.get(peer.id, {}),
             "total": sum(counts.get(peer.id, {}).values())}
            for peer in Peer.select().order_by(Peer.name)]


def _peer_and_data(query):
    """(peer name, item JSON) of the query's items, by municipality: plain tuples, since a national
    dashboard reads every partner membership of the country and making a model object of each
    cost more than reading it (issue 12)."""
    return (query.select(Peer.name, HarvestedItem.data).join(Peer)
            .order_by(HarvestedItem.municipality_name, HarvestedItem.id).tuples())


def programmes(filters: Filters) -> list[dict]:
    found = []
    for peer_name, text in _peer_and_data(filters.query("programmes")):
        data = json.loads(text)
        if _in_year(data["start_date"], data["end_date"], filters.year):
            found.append({"peer": peer_name, "data": data})
    return found


def programmes_table(rows: list[dict]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        table[row["data"]["municipality"]["name"]][row["data"]["programme_type"]] += 1
    return {name: dict(types) for name, types in sorted(table.items())}


def partners(filters: Filters) -> list[dict]:
    """Partner memberships in force in the filter's year (all current ones without a year)."""
    found = []
    for peer_name, text in _peer_and_data(filters.query("memberships").where(HarvestedItem.category == "partner")):
        data = json.loads(text)
        if filters.year is None and data["left_on"]:
            continue
        if _in_year(data["joined_on"], data["left_on"], filters.year):
            found.append({"peer": peer_name, "data": data})
    return found


def partners_by_municipality(rows: list[dict]) -> dict[str, int]:
    """Distinct partner organisations per municipality (an organisation in two programmes counts once)."""
    seen: dict[str, set] = defaultdict(set)
    for row in rows:
        organisation = row["data"]["organisation"]
        seen[row["data"]["municipality"]["name"]].add((row["peer"], organisation["cvr"] or organisation["id"]))
    return {name: len(orgs) for name, orgs in sorted(seen.items())}


def money(filters: Filters) -> dict[str, dict[int, dict[str, int]]]:
    """Sums in øre per municipality and year, split into sign-on fees and grants."""
    query = filters.query("money")
    if filters.year is not None:
        query = query.where(HarvestedItem.year == filters.year)
    table: dict[str, dict[int, dict[str, int]]] = defaultdict(dict)
    for name, year, category, total in (query.select(HarvestedItem.municipality_name, HarvestedItem.year,
                                                     HarvestedItem.category, fn.SUM(HarvestedItem.value))
                                        .group_by(HarvestedItem.municipality_name, HarvestedItem.year,
                                                  HarvestedItem.category).tuples()):
        figures = table[name].setdefault(int(year), {"sign_on_fee": 0, "grant": 0})
        figures[category] = int(total or 0)
    return {name: dict(sorted(years.items())) for name, years in sorted(table.items())}


def money_items(filters: Filters) -> list[dict]:
    query = filters.query("money")
    if filters.year is not None:
        query = query.where(HarvestedItem.year == filters.year)
    return [{"peer": item.peer.name, "instance": item.peer.instance_id, "item_id": item.item_id,
             "data": json.loads(item.data)}
            for item in query.select(HarvestedItem, Peer).join(Peer).order_by(HarvestedItem.peer, HarvestedItem.id)]


def partner_counts(filters: Filters) -> SuppressedTable:
    """Partners per programme type per municipality, added up across instances and suppressed
    again: a cell any instance suppressed stays unknown, row totals are the instances' totals."""
    cells: dict[tuple[str, str], int | None] = {}
    totals: dict[str, int | None] = {}
    for item in filters.query("partner_counts"):
        row = item.municipality_name or item.municipality_code
        if item.category == "total":
            if filters.programme_type:
                continue
            previous = totals.get(row, 0)
            totals[row] = None if previous is None or item.value is None else previous + item.value
        else:
            key = (row, item.programme_type)
            previous = cells.get(key, 0)
            cells[key] = None if previous is None or item.value is None else previous + item.value
    if filters.programme_type:
        totals = {}
        for (row, _type), value in cells.items():
            totals[row] = None if totals.get(row, 0) is None or value is None else totals.get(row, 0) + value
    return suppress_table(cells, totals or None)
