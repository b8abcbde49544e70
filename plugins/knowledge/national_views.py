"""The national coordinator's pages of harvested knowledge (``knowledge.national``):
``/national/learnings`` searches the learnings and methods harvested from every instance and
shows, beside each learning, the methods of the same kind from other instances; one harvested
item is shown at ``/national/learnings/<id>`` with its texts rendered and sanitised here. A block
on the core's ``/national`` overview counts them by focus area, as a table with a chart."""
from __future__ import annotations

from starlette.exceptions import HTTPException

from core import authz, inputs
from core.i18n import current_locale
from core.web.pages import PageBlock, render
from core.web.routing import page
from plugins.knowledge import charts, national, vocabulary
from plugins.knowledge.models import HarvestedKnowledge
from plugins.knowledge.rendering import to_html

PERMISSION = "knowledge.national"
NO_STORE = {"Cache-Control": "no-store"}


def _focus_title(entry) -> str:
    """A harvested focus area in the reader's language (as the publishing instance named it)."""
    english = current_locale() == "en"
    if isinstance(entry, dict):
        return (entry["en"] if english else entry["da"]) or entry["da"] or entry["key"]
    return (entry.focus_area_en if english else entry.focus_area_da) or entry.focus_area_da or entry.focus_area


def search_page(request):
    platform = request.app.state.platform
    national.sync(platform, limit=national.BATCH)
    params = request.query_params
    q = str(params.get("q", "")).strip()[:200]
    focus_area = str(params.get("focus_area", ""))[:120]
    kind = str(params.get("kind", ""))
    kind = kind if kind in national.KINDS else ""
    page_number = min(inputs.parse_id(params.get("page", "")) or 1, 500)
    items, more = national.search_items(q, focus_area, kind, page_number)
    keys = {item.method_key for item in items if item.kind == "learnings" and item.method_key}
    beside = national.methods_beside(keys)
    areas = national.by_focus_area()
    return render(request, "knowledge/national.html", {
        "q": q, "focus_area": focus_area, "kind": kind, "page": page_number, "more": more, "items": items,
        "beside": beside, "areas": areas, "focus_title": _focus_title, "method_label": vocabulary.method_label,
        "target_group_label": platform.target_group_label, "federation": national.available(platform),
    }, headers=NO_STORE)


def item_page(request):
    row = HarvestedKnowledge.get_or_none(HarvestedKnowledge.id == request.path_params["knowledge_harvested_id"])
    data = national.item_data(row.item) if row is not None and national.available(request.app.state.platform) else None
    if data is None:
        raise HTTPException(404)
    sections = []
    if row.kind == "methods":
        from core.i18n import gettext as _
        for field, heading in (("what", _("What it is")), ("for_whom", _("For whom")), ("steps", _("The steps")),
                               ("what_it_takes", _("What it takes")), ("evidence", _("The evidence"))):
            sections.append((heading, to_html(data.get(field) if isinstance(data.get(field), str) else "")))
    else:
        sections.append((None, to_html(data.get("body") if isinstance(data.get("body"), str) else "")))
    beside = national.methods_beside({row.method_key}) if row.method_key else {}
    return render(request, "knowledge/national_item.html", {
        "row": row, "data": data, "sections": sections, "focus_title": _focus_title,
        "method_label": vocabulary.method_label, "beside": beside.get(row.method_key, []),
        "target_group_label": request.app.state.platform.target_group_label}, headers=NO_STORE)


def blocks(request, context) -> list[PageBlock]:
    """On the national overview: harvested learnings and methods by focus area (three queries)."""
    actor = request.state.actor
    platform = request.app.state.platform
    if not authz.can(actor, PERMISSION) or not national.available(platform):
        return []
    national.sync(platform, limit=national.BATCH)
    areas = national.by_focus_area()
    read, missing = national.publishing_peers(platform)
    labelled = [(_focus_title(entry) if entry["key"] else None, entry) for entry in areas]
    chart = charts.grouped_bars([(label, entry["learnings"], entry["methods"]) for label, entry in labelled])
    return [PageBlock("knowledge/national_block.html", order=30, context={
        "knowledge_areas": labelled, "knowledge_chart": chart, "knowledge_read": read,
        "knowledge_missing": missing})]


def routes() -> list:
    return [
        page("/national/learnings", search_page, name="knowledge_national", permission=PERMISSION),
        page("/national/learnings/{knowledge_harvested_id:id}", item_page, name="knowledge_national_item",
             permission=PERMISSION),
    ]
