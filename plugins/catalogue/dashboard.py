"""The reach dashboard for the volunteer policy, per year: how often the offers were visited
(counters per offer and day, nothing about who), how broad the offers are per age band and per
target group, how much the associations run together (joint offers), and — when the plugin that
keeps yearly membership counts answers ``catalogue_membership_totals`` — membership development.

Every figure is a count of offers, visits or members, never of a person; every chart is drawn on
the server with its table beside it, and what is not known (months before counting began, months
still to come, years without membership counts) is a gap, not a zero. Narrowed to the staff
member's offers by ``core.tenancy`` (``offer.staff``); a fixed number of queries whatever the data.
"""
from __future__ import annotations

import datetime

from peewee import Case, fn

from core import authz, tenancy
from core.i18n import gettext
from core.models.organisation import Organisation
from core.views.manage_common import NO_STORE, actor_of
from core.web.pages import render
from core.web.routing import page
from plugins.catalogue import STAFF
from plugins.catalogue.charts import bar_chart
from plugins.catalogue.models import Offer, OfferPartner, OfferTargetGroup, OfferVisit
from plugins.catalogue.views_public import danish_today

AGE_BANDS = ((0, 5), (6, 12), (13, 17), (18, 24), (25, 64), (65, 79), (80, 120))
TOP_OFFERS = 15
TOP_PAIRS = 15
FIRST_YEAR = 2015  # Roskilde's action plan: nothing older is asked for


def band_label(low: int, high: int) -> str:
    if high >= 120:
        return gettext("%(age)s years and older") % {"age": low}
    return gettext("%(from)s–%(to)s years") % {"from": low, "to": high}


def _scoped(query, actor):
    condition = tenancy.tenant_condition(Offer, actor, STAFF)
    return query if condition is None else query.where(condition)


def _active_in(year: int) -> list:
    """Offers on the platform at some time in ``year``: published, made before its end, not
    ended before its start."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return [Offer.deleted_at.is_null(), Offer.published == True,  # noqa: E712
            Offer.created_at < datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time()),
            Offer.ended_on.is_null() | (Offer.ended_on >= start)]


def visits_by_month(actor, year: int, today: datetime.date) -> list[tuple[int, int | None]]:
    """(month, visits) for the year; None for a month not counted (before the first counted day,
    or still to come). Two queries."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    first = OfferVisit.select(fn.MIN(OfferVisit.day)).scalar()
    days = _scoped(OfferVisit.select(OfferVisit.day, fn.SUM(OfferVisit.visits))
                   .join(Offer, on=(OfferVisit.offer == Offer.id))
                   .where(OfferVisit.day.between(start, end)).group_by(OfferVisit.day), actor).tuples()
    months: dict[int, int] = {}
    for day, visits in days:
        if isinstance(day, str):
            day = datetime.date.fromisoformat(day)
        months[day.month] = months.get(day.month, 0) + int(visits or 0)
    result = []
    for month in range(1, 13):
        month_start = datetime.date(year, month, 1)
        month_end = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1))
        counted = first is not None and month_end >= _as_date(first) and month_start <= today
        result.append((month, months.get(month, 0) if counted else None))
    return result


def _as_date(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def top_offers(actor, year: int) -> list[tuple[int, str, int]]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    total = fn.SUM(OfferVisit.visits)
    query = (OfferVisit.select(Offer.id, Offer.title, total).join(Offer, on=(OfferVisit.offer == Offer.id))
             .where(OfferVisit.day.between(start, end)).group_by(Offer.id, Offer.title)
             .order_by(total.desc(), Offer.title).limit(TOP_OFFERS))
    return [(offer_id, title, int(visits)) for offer_id, title, visits in _scoped(query, actor).tuples()]


def breadth_by_age(actor, year: int) -> tuple[int, list[tuple[str, int]]]:
    """How many offers there were in the year, and per age band how many were open to it: one query."""
    columns = [fn.COUNT(Offer.id)]
    for low, high in AGE_BANDS:
        columns.append(fn.SUM(Case(None, [((Offer.min_age <= high) & (Offer.max_age >= low), 1)], 0)))
    row = _scoped(Offer.select(*columns).where(*_active_in(year)), actor).tuples().first() or (0,) * 8
    total = int(row[0] or 0)
    return total, [(band_label(low, high), int(value or 0)) for (low, high), value in zip(AGE_BANDS, row[1:])]


def breadth_by_group(actor, year: int, platform) -> list[tuple[str, int]]:
    counts = dict(_scoped(OfferTargetGroup.select(OfferTargetGroup.target_group, fn.COUNT(Offer.id))
                          .join(Offer, on=(OfferTargetGroup.offer == Offer.id)).where(*_active_in(year))
                          .group_by(OfferTargetGroup.target_group), actor).tuples())
    return [(str(group.label), int(counts.get(key, 0))) for key, group in platform.target_groups.items()]


def cooperation(actor, year: int) -> dict:
    """Joint offers (run by more than one organisation), the organisations in them, and the pairs
    that run the most together: three queries."""
    joint = _scoped(Offer.select(fn.COUNT(fn.DISTINCT(Offer.id))).join(OfferPartner, on=(OfferPartner.offer == Offer.id))
                    .where(*_active_in(year)), actor).scalar() or 0
    pair_count = fn.COUNT(Offer.id)
    pairs = list(_scoped(Offer.select(Offer.organisation, OfferPartner.organisation, pair_count)
                         .join(OfferPartner, on=(OfferPartner.offer == Offer.id)).where(*_active_in(year))
                         .group_by(Offer.organisation, OfferPartner.organisation)
                         .order_by(pair_count.desc(), Offer.organisation, OfferPartner.organisation), actor).tuples())
    involved = {a for a, _, _ in pairs} | {b for _, b, _ in pairs}
    shown = pairs[:TOP_PAIRS]
    ids = {a for a, _, _ in shown} | {b for _, b, _ in shown}
    names = dict(Organisation.select(Organisation.id, Organisation.name).where(Organisation.id.in_(list(ids) or [0]))
                 .tuples())
    return {"joint": int(joint), "organisations": len(involved),
            "pairs": [(names.get(a, "?"), names.get(b, "?"), int(n)) for a, b, n in shown]}


def membership_totals(platform, actor, years: list[int]) -> dict[int, int | None] | None:
    """The yearly membership totals from the plugin that keeps them, or None when no plugin does."""
    from plugins.catalogue import hookspecs
    caller = getattr(platform.pm.hook, "catalogue_membership_totals", None)
    if caller is None or caller.spec is None:
        platform.pm.add_hookspecs(hookspecs)
    return platform.pm.hook.catalogue_membership_totals(platform=platform, actor=actor, years=years)


def reach(request):
    actor = actor_of(request)
    platform = request.app.state.platform
    today = danish_today()
    raw = request.query_params.get("year", "")
    year = int(raw) if raw.isdecimal() and len(raw) == 4 and FIRST_YEAR <= int(raw) <= today.year else today.year
    years = list(range(max(FIRST_YEAR, today.year - 5), today.year + 1))
    months = visits_by_month(actor, year, today)
    from core.i18n import babel_locale
    from babel import dates as babel_dates
    month_names = babel_dates.get_month_names("wide", locale=babel_locale())
    month_rows = [(str(month_names[month]).capitalize(), value) for month, value in months]
    total, ages = breadth_by_age(actor, year)
    groups = breadth_by_group(actor, year, platform)
    together = cooperation(actor, year)
    members = membership_totals(platform, actor, years)
    member_rows = [(str(y), (members or {}).get(y)) for y in years] if members is not None else []
    visits_total = sum(value for _, value in months if value is not None)
    context = {
        "year": year, "years": years, "offers_total": total, "visits_total": visits_total,
        "month_rows": month_rows, "ages": ages, "groups": groups, "together": together,
        "top": top_offers(actor, year), "member_rows": member_rows,
        "visits_chart": bar_chart(gettext("Visits to the offers' pages per month, %(year)s") % {"year": year},
                                  gettext("Visits"), month_rows, gettext("not counted")),
        "ages_chart": bar_chart(gettext("Offers open to each age band, %(year)s") % {"year": year},
                                gettext("Offers"), ages),
        "groups_chart": bar_chart(gettext("Offers per target group, %(year)s") % {"year": year},
                                  gettext("Offers"), groups),
        "members_chart": bar_chart(gettext("Members of the associations at the end of each year"), gettext("Members"),
                                   member_rows, gettext("no count")) if member_rows else None,
        "may_all": authz.can(actor, STAFF) and tenancy.tenant_condition(Offer, actor, STAFF) is None,
    }
    return render(request, "catalogue/reach.html", context, headers=NO_STORE)


def routes():
    return [page("/manage/offers/reach", reach, name="catalogue_reach", permission=STAFF)]
