"""The national coordinator's dashboard (``/national``, ``federation.dashboard``): programmes,
partners and money across municipalities and instances, partner counts suppressed again after
adding instances together, and each peer's freshness — tables with SVG charts beside them
(figures in the table are the charts' text alternative), filters by municipality, programme
type and year, CSV and Excel downloads through the core's export writer, and the national
360Giving package of every harvested grant and sign-on fee.
"""
from __future__ import annotations

import datetime
import json

from starlette.exceptions import HTTPException
from starlette.responses import Response, StreamingResponse

from core import exports
from core.i18n import gettext as _
from core.web.pages import render
from core.web.routing import page
from plugins.federation import national
from plugins.federation.charts import bars
from plugins.federation.national import Filters
from plugins.federation.threesixtygiving import national_package

PERMISSION = "federation.dashboard"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_STORE = {"Cache-Control": "no-store"}


def dashboard(request):
    filters, errors = Filters.from_params(request.query_params)
    programmes = national.programmes(filters)
    programme_table = national.programmes_table(programmes)
    partner_rows = national.partners(filters)
    partners = national.partners_by_municipality(partner_rows)
    money = national.money(filters)
    money_totals = {name: sum(f["sign_on_fee"] + f["grant"] for f in years.values()) for name, years in money.items()}
    context = {
        "filters": filters, "errors": errors, "choices": national.choices(), "freshness": national.freshness(),
        "programme_table": programme_table,
        "programme_types": sorted({t for types in programme_table.values() for t in types}),
        "programme_bars": bars({name: sum(types.values()) for name, types in programme_table.items()}),
        "programme_count": len(programmes),
        "partners": partners, "partner_bars": bars(partners), "partner_total": sum(partners.values()),
        "money": money, "money_bars": bars(money_totals), "money_totals": money_totals,
        "counts": national.partner_counts(filters),
        "query": request.url.query,
    }
    registry = request.app.state.platform.programme_types
    known = set(context["programme_types"]) | set(context["counts"].columns) | set(context["choices"]["programme_types"])
    context["type_labels"] = {key: str(registry.get(key).name) if registry.get(key) is not None else key
                              for key in known}
    return render(request, "federation/national.html", context, status_code=400 if errors else 200,
                  headers=NO_STORE)


# --- downloads --------------------------------------------------------------------------------

def _programme_dataset(filters):
    columns = [_("Instance"), _("Municipality"), _("Programme"), _("Programme type"), _("Start"), _("End"),
               _("Status")]
    rows = [[r["peer"], r["data"]["municipality"]["name"], r["data"]["name"], r["data"]["programme_type"],
             r["data"]["start_date"], r["data"]["end_date"] or "", r["data"]["status"]] for r in national.programmes(filters)]
    return _("Programmes"), columns, rows


def _partner_dataset(filters):
    columns = [_("Instance"), _("Municipality"), _("Programme"), _("Programme type"), _("Organisation"), _("CVR"),
               _("Joined"), _("Left")]
    rows = [[r["peer"], r["data"]["municipality"]["name"], r["data"]["programme"]["name"],
             r["data"]["programme"]["programme_type"], r["data"]["organisation"]["name"],
             r["data"]["organisation"]["cvr"] or "", r["data"]["joined_on"] or "", r["data"]["left_on"] or ""]
            for r in national.partners(filters)]
    return _("Partners"), columns, rows


def _money_dataset(filters):
    columns = [_("Instance"), _("Municipality"), _("Programme"), _("Programme type"), _("Kind"), _("Organisation"),
               _("CVR"), _("Year"), _("Amount (DKK)")]
    rows = [[r["peer"], r["data"]["municipality"]["name"], r["data"]["programme"]["name"],
             r["data"]["programme"]["programme_type"], r["data"]["type"], r["data"]["organisation"]["name"],
             r["data"]["organisation"]["cvr"] or "", r["data"]["year"], exports.kroner(r["data"]["amount_ore"])]
            for r in national.money_items(filters)]
    return _("Sign-on fees and grants"), columns, rows


def _count_dataset(filters):
    table = national.partner_counts(filters)
    columns = [_("Municipality"), _("Programme type"), _("Partners")]
    rows = [[row, column, "" if cell.suppressed else cell.value] for (row, column), cell in table.cells.items()]
    rows += [[row, _("All types"), "" if cell.suppressed else cell.value] for row, cell in table.row_totals.items()]
    return _("Partner counts"), columns, rows


DATASETS = {"programmes": _programme_dataset, "partners": _partner_dataset, "money": _money_dataset,
            "partner-counts": _count_dataset}


def download(request, name: str):
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    filters, errors = Filters.from_params(request.query_params)
    if errors:
        raise HTTPException(400, "; ".join(message for messages in errors.values() for message in messages))
    title, columns, rows = DATASETS[name](filters)
    filename = f"national-{name}-{datetime.date.today().isoformat()}.{fmt}"
    stream = (exports.csv_stream(columns, [rows]) if fmt == "csv" else exports.xlsx_stream(title, columns, [rows]))
    return StreamingResponse(stream, media_type=CSV_TYPE if fmt == "csv" else XLSX_TYPE,
                             headers={"Content-Disposition": f'attachment; filename="{filename}"', **NO_STORE})


def threesixtygiving(request):
    package = national_package(request.app.state.platform.settings, national.money_items(Filters()))
    return Response(json.dumps(package, ensure_ascii=False).encode("utf-8"), media_type="application/json",
                    headers={"Content-Disposition": 'inline; filename="national-360giving.json"', **NO_STORE})


def routes() -> list:
    return [
        page("/national/harvest", dashboard, name="federation_national", permission=PERMISSION),
        page("/national/360giving.json", threesixtygiving, name="federation_national_360giving",
             permission=PERMISSION),
        *(page(f"/national/{name}.{{fmt:str}}", _download_view(name), name=f"federation_national_{name}",
               permission=PERMISSION) for name in DATASETS),
    ]


def _download_view(name: str):
    def view(request):
        return download(request, name)
    view.__name__ = f"download_{name.replace('-', '_')}"
    return view
