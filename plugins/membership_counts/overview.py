"""What the pages show: a programme's counts (its partners × years) and one organisation's, with
the three charts — the yearly total, per association, and the change — each beside a table
with the same figures.

Missing counts stay missing: a year nobody reported has no total (a gap, not 0); a year some
reported has the total of those who did, marked incomplete with "reported by n of N"; a
change needs both years. Every query covers the whole page (a fixed number of queries,
whatever the number of associations or years).
"""
from __future__ import annotations

import dataclasses
import datetime

from core import i18n, tenancy
from core.i18n import gettext as _, ngettext
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.web import svg_charts
from plugins.membership_counts import metrics as metric_words
from plugins.membership_counts.models import MemberCount
from plugins.membership_counts.rules import change_percent

YEARS_SHOWN = 6  # the newest years a page shows


@dataclasses.dataclass
class Overview:
    metric: str
    years: list[int]
    organisations: list[Organisation]
    values: dict[tuple[int, int], MemberCount]   # (organisation id, year) -> count
    totals: dict[int, int | None]
    reported: dict[int, int]

    @property
    def latest(self) -> int | None:
        """The newest year anyone reported."""
        years = [year for year in self.years if self.reported.get(year)]
        return years[-1] if years else None

    def value(self, organisation_id: int, year: int) -> int | None:
        row = self.values.get((organisation_id, year))
        return row.value if row is not None else None

    def change(self, organisation_id: int, year: int) -> float | None:
        now, before = self.value(organisation_id, year), self.value(organisation_id, year - 1)
        if now is None or before is None:
            return None
        return change_percent(before, now)

    def unchecked(self) -> int:
        return sum(1 for row in self.values.values() if row.checked_on is None)


def years_for(found: list[int], today: datetime.date) -> list[int]:
    """The years to show: up to last year (a count is of the end of a year) or the newest one
    reported, back to the oldest reported, at most ``YEARS_SHOWN``."""
    last = max([today.year - 1, *found])
    first = min(found) if found else last - 2
    first = max(first, last - YEARS_SHOWN + 1)
    return list(range(first, last + 1))


def partners(programme: Programme) -> list[Organisation]:
    """The programme's partners, by name (one query)."""
    return list(Organisation.select().join(Membership, on=(Membership.organisation == Organisation.id))
                .where(Membership.programme == programme.id, Membership.role == "partner",
                       Membership.deleted_at.is_null(), Organisation.deleted_at.is_null())
                .order_by(Organisation.name, Organisation.id).distinct())


def build(organisations: list[Organisation], metric: str, actor, today: datetime.date) -> Overview:
    """The counts of ``metric`` of these organisations that the actor may read (one query)."""
    ids = [organisation.id for organisation in organisations]
    rows = list(tenancy.scoped(MemberCount.select(), MemberCount, actor, "membership_counts.read")
                .where(MemberCount.organisation.in_(ids or [0]), MemberCount.metric == metric))
    years = years_for(sorted({row.year for row in rows}), today)
    values = {(row.organisation_id, row.year): row for row in rows if row.year in years}
    totals: dict[int, int | None] = {}
    reported: dict[int, int] = {}
    for year in years:
        found = [row.value for (org, y), row in values.items() if y == year]
        reported[year] = len(found)
        totals[year] = sum(found) if found else None
    return Overview(metric, years, organisations, values, totals, reported)


def programme_overview(programme: Programme, metric: str, actor, today: datetime.date) -> Overview:
    return build(partners(programme), metric, actor, today)


# --- charts ------------------------------------------------------------------------------------

def total_chart(overview: Overview):
    label = metric_words.label(overview.metric)
    expected = len(overview.organisations)
    incomplete = {year: ngettext("reported by %(num)s of %(total)s association",
                                 "reported by %(num)s of %(total)s associations", expected)
                  % {"num": overview.reported[year], "total": expected}
                  for year in overview.years if 0 < overview.reported[year] < expected}
    return svg_charts.column_chart([(year, overview.totals[year]) for year in overview.years],
                                   title=_("%(metric)s: the yearly total") % {"metric": label},
                                   axis_title=_("Year"), incomplete=incomplete)


def association_chart(overview: Overview):
    year = overview.latest
    if year is None or not overview.organisations:
        return None
    return svg_charts.bar_chart([(o.name, [overview.value(o.id, year)]) for o in overview.organisations],
                                title=_("%(metric)s per association, %(year)s")
                                % {"metric": metric_words.label(overview.metric), "year": year},
                                axis_title=metric_words.label(overview.metric))


def change_chart(overview: Overview):
    year = overview.latest
    if year is None or not overview.organisations:
        return None
    return svg_charts.bar_chart(
        [(o.name, [_rounded(overview.change(o.id, year))]) for o in overview.organisations],
        title=_("Change from %(before)s to %(year)s per association") % {"before": year - 1, "year": year},
        axis_title=_("Change in per cent"), format_value=svg_charts.signed_percent,
        format_tick=lambda value: svg_charts.signed_percent(value) if value else "0")


def organisation_chart(organisation: Organisation, metric: str, years: list[int], values: dict[int, int]):
    return svg_charts.column_chart([(year, values.get(year)) for year in years],
                                   title=_("%(metric)s in %(organisation)s per year")
                                   % {"metric": metric_words.label(metric), "organisation": organisation.name},
                                   axis_title=_("Year"))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value)


def format_change(value: float | None) -> str:
    return "–" if value is None else svg_charts.signed_percent(round(value))


def number(value: int | None) -> str:
    return "–" if value is None else i18n.format_number(value)
