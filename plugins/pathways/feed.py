"""The pathway counts in the national feeds (the federation plugin's ``aggregate_kind``): what
the public page shows, item by item — per programme, year, step and count (entered, moved on,
left) the year's periods and the year's total, checked counts only, summed over the
programme's partners and suppressed the same way (1–4 hidden, and whatever would reveal them).
The step's name travels in Danish and English, so a national instance that does not know the
programme type can still show it.

Only this module imports the federation's feed machinery, and only when the federation plugin
asks for the kinds (``register_feed_kinds``), so the plugin works without it.
"""
from __future__ import annotations

import datetime
import re

from core import i18n
from core.i18n import lazy_gettext as _
from core.models.municipality import Municipality
from core.models.programme import Programme
from plugins.pathways import figures, periods
from plugins.pathways.steps import MEASURES, STEP_KEY, pathways

KIND = "pathway_counts"
_PERIOD_KEY = re.compile(r"^[0-9]{4}(-H[12])?$")


def _names(text) -> dict[str, str]:
    found = {}
    for language in ("da", "en"):
        with i18n.locale_context(language):
            found[language] = str(text)[:80]
    return found


def _cell(cell) -> dict:
    return {"count": cell.value, "suppressed": cell.suppressed}


def published_items(platform, today: datetime.date | None = None) -> dict[str, tuple[int | None, dict]]:
    """Every item this instance publishes, by key: ``{key: (municipality id, data)}`` (three queries)."""
    today = today or datetime.date.today()
    known = pathways(platform)
    programmes = list(Programme.select(Programme, Municipality).join(Municipality)
                      .where(Programme.deleted_at.is_null(), Programme.programme_type.in_(list(known) or [""])))
    sums, partners = figures.checked_sums([p.id for p in programmes])
    items: dict[str, tuple[int | None, dict]] = {}
    for programme in programmes:
        pathway = known[programme.programme_type]
        begun: dict[int, list] = {}
        for period in periods.reportable(programme, pathway.period_kind, today):
            begun.setdefault(period.year, []).append(period)
        years = figures.published_years(pathway, sums[programme.id], partners[programme.id],
                                        {year: sorted(found) for year, found in begun.items()})
        for year, published in years.items():
            for position, step in enumerate(pathway.steps, start=1):
                for measure in MEASURES:
                    total = published.total(measure, step.key)
                    if total is None:  # nobody moves on from the last step
                        continue
                    items[f"{programme.id}:{year}:{step.key}:{measure}"] = (programme.municipality_id, {
                        "municipality": {"code": programme.municipality.code, "name": programme.municipality.name},
                        "programme": {"slug": programme.slug, "name": programme.name},
                        "programme_type": programme.programme_type, "year": year,
                        "step": {"key": step.key, "position": position, "name": _names(step.name)},
                        "measure": measure,
                        "periods": {p.key: _cell(published.cell(measure, step.key, p.key)) for p in published.periods},
                        "partners": published.partners,
                        **_cell(total)})
    return items


def _count(data: dict, where: str) -> int | None:
    from plugins.federation import kinds as k
    from plugins.federation.suppression import THRESHOLD, is_small
    suppressed = data.get("suppressed")
    if not isinstance(suppressed, bool):
        raise k.Invalid(f"{where}suppressed: expected true or false")
    count = k.integer(data, "count", required=not suppressed)
    if suppressed and count is not None:
        raise k.Invalid(f"{where}count: a suppressed count has no value")
    if is_small(count):
        raise k.Invalid(f"{where}count: {count} is below {THRESHOLD} and must be suppressed")
    return count


def validate(data: dict) -> dict:
    """A harvested item: its shape, and never a count from 1 to 4 (the whole page is refused)."""
    from plugins.federation import kinds as k
    step = k.mapping(data, "step")
    key = k.text(step, "key", 40)
    if not STEP_KEY.match(key):
        raise k.Invalid("step.key: lower-case letters, digits and _")
    names = k.mapping(step, "name")
    periods_data = k.mapping(data, "periods")
    if len(periods_data) > 2 or not all(isinstance(p, str) and _PERIOD_KEY.match(p) for p in periods_data):
        raise k.Invalid("periods: a year's half-years or the year")
    partners = k.mapping(data, "partners")
    return {
        "municipality": k.municipality(data),
        "programme": {"slug": k.text(k.mapping(data, "programme"), "slug", 180),
                      "name": k.text(k.mapping(data, "programme"), "name", 200)},
        "programme_type": k.text(data, "programme_type", 80), "year": k.integer(data, "year", minimum=1900, maximum=2200),
        "step": {"key": key, "position": k.integer(step, "position", minimum=1, maximum=12),
                 "name": {"da": k.text(names, "da", 80), "en": k.text(names, "en", 80)}},
        "measure": k.choice(data, "measure", MEASURES),
        "periods": {p: {"count": _count(cell, f"periods.{p}."), "suppressed": cell["suppressed"]}
                    for p, cell in ((p, k.mapping(periods_data, p)) for p in sorted(periods_data))},
        "partners": {p: k.integer(partners, p, maximum=100_000) for p in sorted(partners)
                     if isinstance(p, str) and _PERIOD_KEY.match(p)},
        "count": _count(data, ""), "suppressed": data["suppressed"],
    }


def facets(data: dict) -> dict:
    return {"municipality_code": data["municipality"]["code"], "municipality_name": data["municipality"]["name"],
            "programme_type": data["programme_type"], "category": data["measure"], "year": data["year"],
            "value": data["count"], "suppressed": data["suppressed"]}


def kinds(platform) -> list:
    from plugins.federation.aggregates import aggregate_kind
    return [aggregate_kind(KIND, _("Pathway counts"),
                           _("How many young people entered, moved on and left at each step of the programmes' "
                             "pathways, per year and period, checked by the coordinator; counts from 1 to 4 are "
                             "suppressed, and so is what would reveal them."),
                           lambda: published_items(platform), validate, facets)]
