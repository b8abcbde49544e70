"""The counts as a federation feed kind (``plugins.federation``): per municipality, metric and
year, the total of the organisations that reported and how many reported. A total from 1 to 4
is suppressed (``plugins.federation.suppression``); nothing per organisation, nothing about a
person leaves the instance. Only the primary rule applies: no total over years or metrics is
published, so nothing can be subtracted to reveal a hidden one."""
from __future__ import annotations

from peewee import fn

from core.i18n import lazy_gettext as _
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from plugins.membership_counts.metrics import METRICS
from plugins.membership_counts.models import MemberCount

KIND = "membership_counts"


def compute() -> dict:
    from plugins.federation.suppression import is_small
    municipalities = {m.id: m for m in Municipality.select()}
    query = (MemberCount.select(Organisation.municipality, MemberCount.metric, MemberCount.year,
                                fn.SUM(MemberCount.value), fn.COUNT(MemberCount.id))
             .join(Organisation)
             .where(Organisation.municipality.is_null(False), Organisation.deleted_at.is_null())
             .group_by(Organisation.municipality, MemberCount.metric, MemberCount.year).tuples())
    published = {}
    for municipality_id, metric, year, total, organisations in query:
        municipality = municipalities[municipality_id]
        total = int(total or 0)
        hidden = is_small(total)
        published[f"{municipality.code}:{metric}:{year}"] = (municipality_id, {
            "municipality": {"code": municipality.code, "name": municipality.name}, "metric": metric,
            "year": int(year), "count": None if hidden else total, "suppressed": hidden,
            "organisations": int(organisations)})
    return published


def fingerprint() -> str:
    """What ``compute`` reads, cheaply: how many counts there are and the newest change among them
    (indexed), the organisations' newest change (a move or a deletion changes the totals) and the
    municipalities' names."""
    from plugins.federation.aggregates import max_change, municipalities_fingerprint
    counts, newest = MemberCount.select(fn.COUNT(MemberCount.id), fn.MAX(MemberCount.updated_at)).tuples().get()
    return f"{counts}:{newest}:{max_change(Organisation)}:{municipalities_fingerprint()}"


def validate(data: dict) -> dict:
    from plugins.federation import kinds as k
    from plugins.federation.aggregates import validate_count
    checked = validate_count({"municipality": data.get("municipality"), "programme_type": None,
                              "count": data.get("count"), "suppressed": data.get("suppressed")})
    metric = k.text(data, "metric", 40)
    if metric not in METRICS:
        raise k.Invalid(f"metric: unknown '{metric[:40]}'")
    return {"municipality": checked["municipality"], "metric": metric,
            "year": k.integer(data, "year", minimum=1900, maximum=9999), "count": checked["count"],
            "suppressed": checked["suppressed"], "organisations": k.integer(data, "organisations")}


def facets(data: dict) -> dict:
    return {"municipality_code": data["municipality"]["code"], "municipality_name": data["municipality"]["name"],
            "category": data["metric"], "year": data["year"], "value": data["count"], "suppressed": data["suppressed"]}


def kind():
    from plugins.federation.aggregates import aggregate_kind
    return aggregate_kind(KIND, _("Yearly membership counts"),
                          _("Per municipality, what is counted and year: the total of the associations' yearly "
                            "counts and how many reported. Totals from 1 to 4 are suppressed."),
                          compute, validate, facets, fingerprint)
