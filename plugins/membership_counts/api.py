"""Yearly counts through the API: read the counts you may see, enter or correct one (through the
same rule as the form: ±30 % needs a note, a correction is audited), and mark one as checked."""
from __future__ import annotations

from core import authz, tenancy
from core.api.base import (DATE, ID, INT, PAGINATION, STR, ApiProblem, Param, iso, not_found, nullable, obj,
                           operation, page_of)
from core.models.organisation import Organisation
from core.rules.errors import RuleViolation
from plugins.membership_counts import rules
from plugins.membership_counts.metrics import MAX_VALUE, METRICS
from plugins.membership_counts.models import MemberCount

READ, ENTER, CHECK = "membership_counts.read", "membership_counts.enter", "membership_counts.check"

COUNT = obj({"id": INT, "organisation_id": INT, "metric": {"type": "string", "enum": list(METRICS)},
             "year": INT, "value": INT, "note": STR, "checked_on": nullable(DATE)})
COUNT_LIST = obj({"items": {"type": "array", "items": COUNT}, "next": nullable(STR)})
ENTER_BODY = {
    "type": "object", "additionalProperties": False,
    "required": ["organisation_id", "metric", "year", "value"],
    "properties": {
        "organisation_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1},
        "metric": {"type": "string", "enum": list(METRICS)},
        "year": {"type": "integer", "minimum": rules.FIRST_YEAR, "maximum": 9999,
                 "description": "The year whose end the count is of (not after this year)"},
        "value": {"type": "integer", "minimum": 0, "maximum": MAX_VALUE},
        "note": {"type": "string", "maxLength": rules.NOTE_LIMIT,
                 "description": "Why the count changed: needed when it is more than 30 % above or below the year "
                                "before"},
    },
}
ENTERED = obj({"count": COUNT, "outcome": {"type": "string", "enum": ["created", "corrected", "unchanged"]}})


def count_json(row: MemberCount) -> dict:
    return {"id": row.id, "organisation_id": row.organisation_id, "metric": row.metric, "year": row.year,
            "value": row.value, "note": row.note, "checked_on": iso(row.checked_on)}


def membership_counts_list(call):
    query = tenancy.scoped(MemberCount.select(), MemberCount, call.actor, READ)
    for name, field in (("metric", MemberCount.metric), ("year", MemberCount.year),
                        ("organisation_id", MemberCount.organisation)):
        if call.params.get(name) is not None:
            query = query.where(field == call.params[name])
    return page_of(call, query, MemberCount.id, count_json)


def membership_counts_enter(call):
    body = call.body
    organisation = tenancy.get_scoped(Organisation, call.actor, ENTER, Organisation.id == body["organisation_id"],
                                      Organisation.deleted_at.is_null())
    if organisation is None:
        raise not_found()
    if not authz.can(call.actor, ENTER, organisation):
        raise ApiProblem(403, "Forbidden", slug="forbidden")
    row, outcome = rules.record_count(organisation, {key: body.get(key) for key in ("metric", "year", "value", "note")},
                                      call.actor.label)
    return (201 if outcome == "created" else 200), {"count": count_json(row), "outcome": outcome}


def _count_or_404(call) -> MemberCount:
    row = tenancy.get_scoped(MemberCount, call.actor, CHECK, MemberCount.id == call.params["membership_count_id"])
    if row is None or not authz.can(call.actor, CHECK, row):
        raise not_found()
    return row


def membership_counts_check(call):
    row = call.row
    rules.check_counts([row], call.actor.label)
    return count_json(MemberCount.get_by_id(row.id))


def operations():
    filters = (Param("metric", kind="str", max_length=40,
                     description=f"Only this metric: {', '.join(METRICS)} (another matches nothing)"),
               Param("year", description="Only this year", minimum=rules.FIRST_YEAR, maximum=9999),
               Param("organisation_id", description="Only this organisation", minimum=1, maximum=2**53 - 1))
    return [
        operation("GET", "/api/v1/membership-counts", membership_counts_list, permission=READ, tag="membership counts",
                  summary="The yearly counts you may read (aggregates: never a person)",
                  params=(*PAGINATION, *filters), response=COUNT_LIST),
        operation("POST", "/api/v1/membership-counts", membership_counts_enter, permission=ENTER,
                  tag="membership counts",
                  summary="Enter or correct one yearly count (201 when new, 200 when corrected or unchanged)",
                  body=ENTER_BODY, response=ENTERED, status=201, extra_statuses=(200, 422)),
        operation("POST", "/api/v1/membership-counts/{membership_count_id}/check", membership_counts_check,
                  permission=CHECK, tag="membership counts", summary="Mark a count as checked",
                  params=(ID("membership_count_id", "count"),), response=COUNT, loader=_count_or_404),
    ]


__all__ = ["operations", "RuleViolation"]
