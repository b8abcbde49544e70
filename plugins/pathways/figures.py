"""Reading pathway counts for a page in a fixed number of queries, whatever the number of
partners and periods, and shaping them two ways:

* **exact** (``exact_figures``): for the partnership — the coordinator, the consultant, the
  municipality see every partner's counts; a partner's own people see their own. With what each
  step carries over from earlier periods, and each report's status.
* **published** (``published_years``): for everyone beyond the partnership — the public pages
  and the national feed. Only counts the coordinator has checked, summed over the programme's
  partners, per year: a table per count (entered, moved on, left) with the steps as rows, the
  year's periods as columns and the year as the rows' total, suppressed by
  ``plugins.federation.suppression`` (1–4 hidden, and whatever would reveal them). A period
  without checked counts is left out and named, never shown as 0.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict

from peewee import fn

from core import tenancy
from core.models.organisation import Organisation
from plugins.federation.suppression import SuppressedTable, suppress_table
from plugins.pathways import periods
from plugins.pathways.models import CHECKED, PathwayCount, PathwayReport
from plugins.pathways.rules import READ, Flow, Stock, stocks
from plugins.pathways.steps import MEASURES, Pathway


# --- exact, for the partnership ----------------------------------------------------------------------

@dataclasses.dataclass
class PartnerPeriod:
    report: PathwayReport | None   # None: no report for this period (what was there carries over)
    organisation: Organisation
    steps: dict[str, Stock]


@dataclasses.dataclass
class ExactPeriod:
    period: periods.Period
    steps: dict[str, dict[str, int]]      # step -> before, entered, moved_on, left, at_step, after
    partners: list[PartnerPeriod]

    @property
    def reported(self) -> list[PartnerPeriod]:
        return [p for p in self.partners if p.report is not None]


def visible_reports(programme_id: int, actor, action: str = READ):
    """The programme's reports the actor may read (tenancy), with their organisations: one query."""
    query = (PathwayReport.select(PathwayReport, Organisation).join(Organisation)
             .where(PathwayReport.programme == programme_id))
    return list(tenancy.scoped(query, PathwayReport, actor, action).order_by(Organisation.name, PathwayReport.period))


def flows_of(report_ids: list[int]) -> dict[int, dict[str, Flow]]:
    """The counts of these reports as flows, by report and step: one query."""
    found: dict[int, dict[str, Flow]] = defaultdict(dict)
    if report_ids:
        for count in PathwayCount.select().where(PathwayCount.report.in_(report_ids)):
            found[count.report_id][count.step] = Flow(count.entered, count.moved_on, count.left)
    return found


def exact_figures(pathway: Pathway, reports: list[PathwayReport]) -> dict[periods.Period, ExactPeriod]:
    """Per period (oldest first): the steps summed over the partners whose reports are given, and
    each partner's own; a partner carries its people over periods it did not report."""
    flows = flows_of([report.id for report in reports])
    by_partner: dict[int, dict[periods.Period, PathwayReport]] = defaultdict(dict)
    organisations = {}
    for report in reports:
        period = periods.parse(report.period, pathway.period_kind)
        if period is not None:
            by_partner[report.organisation_id][period] = report
            organisations[report.organisation_id] = report.organisation
    if not by_partner:
        return {}
    every = sorted({period for chain in by_partner.values() for period in chain})
    timeline, period = [], every[0]
    while period <= every[-1]:
        timeline.append(period)
        period = period.next()
    result = {period: ExactPeriod(period, {key: dict.fromkeys(("before", *MEASURES, "at_step", "after"), 0)
                                           for key in pathway.keys}, [])
              for period in timeline}
    for organisation_id, chain in sorted(by_partner.items(), key=lambda item: organisations[item[0]].name):
        first = min(chain)
        span = {period: flows.get(chain[period].id, {}) if period in chain else {}
                for period in timeline if period >= first}
        for period, row in stocks(pathway, span).items():
            result[period].partners.append(PartnerPeriod(chain.get(period), organisations[organisation_id], row))
            for key, stock in row.items():
                figures = result[period].steps[key]
                figures["before"] += stock.before
                figures["entered"] += stock.flow.entered
                figures["moved_on"] += stock.flow.moved_on
                figures["left"] += stock.flow.left
                figures["at_step"] += stock.at_step
                figures["after"] += stock.after
    return result


# --- published, beyond the partnership ----------------------------------------------------------------

@dataclasses.dataclass
class PublishedYear:
    year: int
    periods: list[periods.Period]            # with checked counts, in order
    missing: list[periods.Period]            # of the year (so far) without any
    tables: dict[str, SuppressedTable]       # measure -> rows: steps, columns: period keys, total: the year
    partners: dict[str, int]                 # period key -> partners whose counts are in it

    def cell(self, measure: str, step: str, period_key: str):
        return self.tables[measure].cells.get((step, period_key))

    def total(self, measure: str, step: str):
        return self.tables[measure].row_totals.get(step)


def checked_sums(programme_ids: list[int]) -> tuple[dict, dict]:
    """Checked counts summed over partners, by programme: {(period, step): Flow}, and how many
    partners' counts each period has (every report has a row per step, so the most rows of one
    step). One query for any number of programmes."""
    sums: dict[int, dict[tuple[str, str], Flow]] = defaultdict(dict)
    partners: dict[int, dict[str, int]] = defaultdict(dict)
    if not programme_ids:
        return sums, partners
    query = (PathwayCount.select(PathwayReport.programme, PathwayReport.period, PathwayCount.step,
                                 fn.SUM(PathwayCount.entered), fn.SUM(PathwayCount.moved_on), fn.SUM(PathwayCount.left),
                                 fn.COUNT(PathwayCount.id))
             .join(PathwayReport)
             .where(PathwayReport.programme.in_(programme_ids), PathwayReport.status == CHECKED)
             .group_by(PathwayReport.programme, PathwayReport.period, PathwayCount.step).tuples())
    for programme_id, period, step, entered, moved_on, left, reports in query:
        sums[programme_id][(period, step)] = Flow(int(entered or 0), int(moved_on or 0), int(left or 0))
        partners[programme_id][period] = max(partners[programme_id].get(period, 0), int(reports))
    return sums, partners


def published_years(pathway: Pathway, sums: dict[tuple[str, str], Flow], partners: dict[str, int],
                    years_so_far: dict[int, list[periods.Period]] | None = None) -> dict[int, PublishedYear]:
    """The suppressed tables of each year with checked counts, newest first. ``years_so_far``
    names the periods of each year that have begun (so a half-year not yet reported is named
    as missing, and one still to come is not)."""
    with_data: dict[int, list[periods.Period]] = defaultdict(list)
    for period_key in partners:
        period = periods.parse(period_key, pathway.period_kind)
        if period is not None:
            with_data[period.year].append(period)
    found = {}
    for year in sorted(with_data, reverse=True):
        shown = sorted(with_data[year])
        begun = (years_so_far or {}).get(year, periods.in_year(year, pathway.period_kind))
        tables = {}
        for measure in MEASURES:
            values = {}
            for step in pathway.steps:
                if measure == "moved_on" and pathway.is_last(step.key):
                    continue
                for period in shown:
                    flow = sums.get((period.key, step.key), Flow())
                    values[(step.key, period.key)] = getattr(flow, measure)
            tables[measure] = suppress_table(values)
        found[year] = PublishedYear(year, shown, [p for p in begun if p not in shown], tables,
                                    {p.key: partners[p.key] for p in shown})
    return found


def year_chart_values(pathway: Pathway, year: PublishedYear) -> dict[tuple[str, str], int | None]:
    """The chart's figures for a published year: each step's year totals (None when hidden)."""
    values = {}
    for step in pathway.steps:
        for measure in MEASURES:
            cell = year.total(measure, step.key)
            if cell is not None:
                values[(step.key, measure)] = cell.value
    return values
