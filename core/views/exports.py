"""Exports: the registered datasets (``core.datasets``: payments, commitments, applications,
agreements and the plugins' own) as CSV or Excel, for those with each dataset's permission and
narrowed to their tenancy, and the public 360Giving package of awarded grants and sign-on fees.

CSV is written by ``core.csv_writer``: for Danish Excel by default (``;``, decimal commas,
statuses in the reader's language), or for programs with ``?dialect=machine``."""
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from starlette.exceptions import HTTPException
from starlette.responses import StreamingResponse

from core import authz, csv_writer, exports, i18n
from core.i18n import gettext
from core.web.pages import render
from core.web.routing import page

if TYPE_CHECKING:  # pragma: no cover
    from core.datasets import ExportDataset

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


def _datasets(request) -> dict[str, "ExportDataset"]:
    """The registered datasets (the core's and the plugins', ``core.datasets``) the actor may
    download: those whose permission they hold somewhere. What is in each file is narrowed to
    their tenancy when it is written."""
    actor = request.state.actor
    registered = request.app.state.platform.export_datasets
    return {name: dataset for name, dataset in registered.items() if authz.can(actor, dataset.permission)}


def export_index(request):
    datasets = [(name, dataset.title_text()) for name, dataset in _datasets(request).items()]
    return render(request, "exports/index.html", {"datasets": datasets}, headers={"Cache-Control": "no-store"})


def export_file(request):
    name = request.path_params["dataset"]
    fmt = request.path_params["fmt"]
    dataset = _datasets(request).get(name)
    if dataset is None or fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    batches = dataset.value_batches(request.state.actor)
    locale = i18n.current_locale()
    if fmt == "csv":
        dialect = csv_writer.dialect_named(request.query_params.get("dialect"))
        if dialect is None:
            raise HTTPException(400, detail=gettext("Choose the dialect excel or machine"))
        return _download(exports.csv_stream(dataset.column_titles(), batches(), dialect, locale),
                         _dated(name, "csv"), CSV_TYPE)
    return _download(exports.xlsx_stream(dataset.title_text(), dataset.column_titles(), batches(), locale=locale),
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
