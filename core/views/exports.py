"""Exports: payments and commitments as CSV or Excel (for those with ``export.read``, narrowed
to their tenancy), and the public 360Giving package of awarded grants and sign-on fees.

CSV is written by ``core.csv_writer``: for Danish Excel by default (``;``, decimal commas,
statuses in the reader's language), or for programs with ``?dialect=machine``."""
from __future__ import annotations

import datetime

from starlette.exceptions import HTTPException
from starlette.responses import StreamingResponse

from core import csv_writer, exports, i18n, tenancy
from core.i18n import gettext
from core.models.money import Grant, SignOnFee
from core.models.payment import PaymentRequest
from core.web.pages import render
from core.web.routing import page

PERMISSION = "export.read"
CSV_TYPE = csv_writer.MEDIA_TYPE
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(stream, filename: str, media_type: str, *, private: bool = True) -> StreamingResponse:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if private:
        headers["Cache-Control"] = "no-store"
    return StreamingResponse(stream, media_type=media_type, headers=headers)


def _dated(name: str, extension: str) -> str:
    return f"{name}-{datetime.date.today().isoformat()}.{extension}"


def _extra_datasets() -> list[dict]:
    """Applications and agreements, when their models are installed (issue 4, parts 2–3)."""
    from core import exports_lifecycle
    return exports_lifecycle.datasets()


def _datasets(actor) -> dict[str, dict]:
    """Each dataset: a sheet title, its columns and a function giving value batches, narrowed
    to what the actor may export (conditions are built here, in the request's thread)."""
    payment_condition = tenancy.tenant_condition(PaymentRequest, actor, PERMISSION)
    fee_condition = tenancy.tenant_condition(SignOnFee, actor, PERMISSION)
    grant_condition = tenancy.tenant_condition(Grant, actor, PERMISSION)
    datasets = {
        "payments": {"title": gettext("Payments"), "columns": exports.payment_columns(),
                     "batches": lambda: exports.chained((exports.payment_fetcher(payment_condition),
                                                         exports.payment_values))},
        "commitments": {"title": gettext("Sign-on fees and grants"), "columns": exports.commitment_columns(),
                        "batches": lambda: exports.chained((exports.fee_fetcher(fee_condition), exports.fee_values),
                                                           (exports.grant_fetcher(grant_condition),
                                                            exports.grant_values))},
    }
    for extra in _extra_datasets():
        condition = tenancy.tenant_condition(extra["model"], actor, PERMISSION)
        datasets[extra["name"]] = {"title": extra["title"](), "columns": extra["columns"](),
                                   "batches": (lambda e=extra, c=condition:
                                               exports.chained((e["fetcher"](c), e["values"])))}
    return datasets


def export_index(request):
    names = list(_datasets(request.state.actor))
    return render(request, "exports/index.html", {"datasets": names}, headers={"Cache-Control": "no-store"})


def export_file(request):
    name = request.path_params["dataset"]
    fmt = request.path_params["fmt"]
    datasets = _datasets(request.state.actor)
    if name not in datasets or fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    dataset = datasets[name]
    locale = i18n.current_locale()
    if fmt == "csv":
        dialect = csv_writer.dialect_named(request.query_params.get("dialect"))
        if dialect is None:
            raise HTTPException(400, detail=gettext("Choose the dialect excel or machine"))
        return _download(exports.csv_stream(dataset["columns"], dataset["batches"](), dialect, locale),
                         _dated(name, "csv"), CSV_TYPE)
    return _download(exports.xlsx_stream(dataset["title"], dataset["columns"], dataset["batches"](), locale=locale),
                     _dated(name, "xlsx"), XLSX_TYPE)


def threesixtygiving(request):
    platform = request.app.state.platform
    stream = exports.threesixtygiving_stream(platform.settings, i18n.current_locale())
    return StreamingResponse(stream, media_type="application/json",
                             headers={"Content-Disposition": 'inline; filename="360giving.json"'})


def routes():
    return [
        page("/exports", export_index, name="exports", permission=PERMISSION),
        page("/exports/360giving.json", threesixtygiving, name="export_360giving"),
        page("/exports/{dataset:str}.{fmt:str}", export_file, name="export_file", permission=PERMISSION),
    ]
