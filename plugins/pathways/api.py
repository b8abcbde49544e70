"""The pathway counts in the JSON API (``/api/v1/pathways/...``, in ``/api/openapi.json``): list
and read the reports the caller may read (a partner's people their own, the programme's staff
every partner's), record or correct a partner's counts for a period, and check a report. The
same rules as the pages (``plugins.pathways.rules``): a refusal is a 422 problem with the field
of each count (``participant-moved_on``), a report already checked a 409, another tenant's
report "not found"."""
from __future__ import annotations

from urllib.parse import urlencode

from core import tenancy
from core.api.base import (DEFAULT_LIMIT, ID, INT, PAGINATION, STR, Param, iso, list_of, not_found, nullable,
                           obj, operation)
from core.models.programme import Programme
from plugins.pathways import rules
from plugins.pathways.figures import flows_of
from plugins.pathways.models import PathwayReport
from plugins.pathways.rules import CHECK, READ, REPORT, field_name
from plugins.pathways.steps import MEASURES

FLOW = obj({"entered": INT, "moved_on": INT, "left": INT})
REPORT_SCHEMA = obj({
    "id": INT, "programme_id": INT, "organisation_id": INT, "period": STR, "status": STR, "revision": INT,
    "submitted_at": STR, "checked_at": nullable(STR),
    "counts": {"type": "object", "additionalProperties": FLOW,
               "description": "Per step key: how many young people entered, moved on and left"}})
COUNTS = {"type": "object", "maxProperties": 12, "additionalProperties": {"type": "object"},
          "description": "Per step key an object {entered, moved_on, left} of whole numbers from 0 to 100000 "
                         "(the last step has no moved_on)"}
RECORD_BODY = {"type": "object", "additionalProperties": False,
               "required": ["programme_id", "organisation_id", "period", "counts"],
               "properties": {"programme_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1},
                              "organisation_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1},
                              "period": {"type": "string", "maxLength": 7, "pattern": "^[0-9]{4}(-H[12])?$",
                                         "description": "2025-H1, 2025-H2 (half-years) or 2025 (years), as the "
                                                        "programme's pathway counts"},
                              "counts": COUNTS}}


def report_json(report: PathwayReport, flows: dict) -> dict:
    return {"id": report.id, "programme_id": report.programme_id, "organisation_id": report.organisation_id,
            "period": report.period, "status": report.status, "revision": report.revision,
            "submitted_at": iso(report.submitted_at), "checked_at": iso(report.checked_at),
            "counts": {step: flow.as_dict() for step, flow in sorted(flows.items())}}


def _readable(call):
    return tenancy.scoped(PathwayReport.select(), PathwayReport, call.actor, READ)


def pathways_list_reports(call):
    query = _readable(call)
    if call.params.get("programme_id"):
        query = query.where(PathwayReport.programme == call.params["programme_id"])
    if call.params.get("period"):
        query = query.where(PathwayReport.period == call.params["period"])
    limit = call.params.get("limit") or DEFAULT_LIMIT
    rows = list(query.where(PathwayReport.id > (call.params.get("after") or 0))
                .order_by(PathwayReport.id).limit(limit + 1))
    more, rows = len(rows) > limit, rows[:limit]
    flows = flows_of([row.id for row in rows])
    next_link = None
    if more:
        kept = {key: value for key, value in call.request.query_params.items() if key not in ("after", "limit")}
        next_link = f"{call.request.url.path}?{urlencode({**kept, 'limit': limit, 'after': rows[-1].id})}"
    return {"items": [report_json(row, flows.get(row.id, {})) for row in rows], "next": next_link}


def _report(call) -> PathwayReport:
    row = _readable(call).where(PathwayReport.id == call.params["pathway_report_id"]).first()
    if row is None:
        raise not_found("report")
    return row


def pathways_get_report(call):
    row = _report(call)
    return report_json(row, flows_of([row.id]).get(row.id, {}))


def pathways_record_report(call):
    body = call.body
    programme = Programme.get_or_none(Programme.id == body["programme_id"], Programme.deleted_at.is_null())
    if programme is None:
        raise not_found("programme")
    raw = {}
    for step, counts in body["counts"].items():
        for measure in MEASURES:
            if isinstance(counts, dict) and measure in counts:
                raw[field_name(str(step)[:40], measure)] = counts[measure]
    report = rules.record(call.platform, programme=programme, organisation_id=body["organisation_id"],
                          period_key=body["period"], raw_counts=raw, actor=call.actor)
    return (201 if report.revision == 1 else 200), report_json(report, flows_of([report.id]).get(report.id, {}))


def pathways_check_report(call):
    report = rules.check(call.platform, call.row, call.actor)
    return report_json(report, flows_of([report.id]).get(report.id, {}))


def operations() -> list:
    filters = (Param("programme_id", kind="int", description="Only this programme's reports", minimum=1,
                     maximum=2**53 - 1),
               Param("period", kind="str", description="Only this period (2025-H1, 2025)", max_length=7))
    return [
        operation("GET", "/api/v1/pathways/reports", pathways_list_reports, permission=READ, tag="pathways",
                  summary="Pathway counts you may read: your organisation's, or every partner's of the "
                          "programmes you work for", params=(*PAGINATION, *filters), response=list_of(REPORT_SCHEMA)),
        operation("GET", "/api/v1/pathways/reports/{pathway_report_id}", pathways_get_report, permission=READ,
                  tag="pathways", summary="One report of pathway counts", params=(ID("pathway_report_id", "report"),),
                  response=REPORT_SCHEMA),
        operation("POST", "/api/v1/pathways/reports", pathways_record_report, permission=REPORT, tag="pathways",
                  summary="Record your organisation's pathway counts for a period (201), or correct them (200): "
                          "they replace the earlier counts and wait to be checked again",
                  body=RECORD_BODY, response=REPORT_SCHEMA, status=201, extra_statuses=(200, 404, 422)),
        operation("POST", "/api/v1/pathways/reports/{pathway_report_id}/check", pathways_check_report, permission=CHECK,
                  tag="pathways", summary="Check a partner's pathway counts (the coordinator): only checked "
                                          "counts are shown beyond the partnership",
                  params=(ID("pathway_report_id", "report"),), response=REPORT_SCHEMA, extra_statuses=(403, 404, 409),
                  loader=_report),
    ]
