"""The network life in the JSON API (``/api/v1/network-life/…``, in the OpenAPI document):
action plans with their versions and latest statuses, recording a status; meetings, scheduling
one, answering an invitation. The same tenancy and permissions as the pages: another tenant's
plan or meeting is "not found"."""
from __future__ import annotations

from core import tenancy
from core.api.base import (BOOL, DATE, DATETIME, ID, INT, PAGINATION, STR, iso, list_of, not_found, nullable, obj,
                           operation, page_of)
from plugins.network_life import access, meetings, plans
from plugins.network_life.config import MEETING_KINDS, MODES, PROGRESS, RESPONSES, STATUS_KINDS
from plugins.network_life.models import ActionPlan, Meeting, PlanVersion

TAG = "network-life"
VERSION = obj({"id": INT, "number": INT, "state": STR, "first_year": INT, "last_year": INT,
               "submitted_at": nullable(DATETIME), "approved_at": nullable(DATETIME)})
STATUS = obj({"id": INT, "focus_area": INT, "goal_key": STR, "year": INT, "progress": STR, "note": STR,
              "meeting_id": nullable(INT), "recorded_at": DATETIME})
PLAN = obj({"id": INT, "agreement_id": INT, "organisation_id": INT, "organisation": STR, "programme_id": INT,
            "versions": {"type": "array", "items": VERSION}})
TARGETS = {"type": "object", "additionalProperties": INT}
INDICATOR = obj({"id": INT, "key": STR, "what": STR, "unit": STR, "direction": STR, "baseline": nullable(INT),
                 "targets": TARGETS})
GOAL = obj({"id": INT, "key": STR, "focus_area": INT, "title": STR, "description": STR,
            "indicators": {"type": "array", "items": INDICATOR}})
PLAN_DETAIL = obj({**PLAN["properties"], "approved_version": nullable(INT),
                   "goals": {"type": "array", "items": GOAL},
                   "latest_statuses": {"type": "array", "items": STATUS}})
MEETING = obj({"id": INT, "programme_id": INT, "organisation_id": nullable(INT), "kind": STR, "title": STR,
               "starts_at": DATETIME, "ends_at": DATETIME, "mode": STR, "place": STR, "online_url": STR,
               "capacity": nullable(INT), "agenda": STR, "status": STR, "uid": STR, "sequence": INT,
               "invited": INT, "coming": INT, "attended": INT})
STATUS_BODY = {"type": "object", "additionalProperties": False, "required": ["focus_area", "year", "progress"],
               "properties": {"focus_area": {"type": "integer", "minimum": 1, "maximum": 99},
                              "year": {"type": "integer", "minimum": plans.MIN_YEAR, "maximum": plans.MAX_YEAR},
                              "progress": {"type": "string", "enum": list(PROGRESS)},
                              "goal_key": {"type": "string", "maxLength": 16},
                              "note": {"type": "string", "maxLength": 2000}}}
MEETING_BODY = {"type": "object", "additionalProperties": False,
                "required": ["programme_id", "kind", "title", "date", "start_time", "end_time", "mode"],
                "properties": {
                    "programme_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1},
                    "kind": {"type": "string", "enum": list(MEETING_KINDS)},
                    "organisation_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**53 - 1},
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                    # the years a form accepts (core.inputs.parse_date), so a schema-valid date is a valid one
                    "date": {"type": "string", "format": "date", "maxLength": 10,
                             "pattern": "^(19|20|21)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"},
                    "start_time": {"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$", "maxLength": 5},
                    "end_time": {"type": "string", "pattern": "^([01]?[0-9]|2[0-3]):[0-5][0-9]$", "maxLength": 5},
                    "mode": {"type": "string", "enum": list(MODES)},
                    "place": {"type": "string", "maxLength": 300},
                    "online_url": {"type": "string", "maxLength": 500},
                    "capacity": {"type": ["integer", "null"], "minimum": 1, "maximum": meetings.MAX_CAPACITY},
                    "agenda": {"type": "string", "maxLength": 6000},
                    "invite_network": BOOL, "invite_association": BOOL}}
ANSWER_BODY = {"type": "object", "additionalProperties": False, "required": ["response"],
               "properties": {"response": {"type": "string", "enum": list(RESPONSES)}}}


def _plans(call):
    return tenancy.scoped(ActionPlan.select(), ActionPlan, call.actor, access.PLAN_READ)


def _versions_of(plan_ids: list[int]) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {plan_id: [] for plan_id in plan_ids}
    for version in PlanVersion.select().where(PlanVersion.plan.in_(plan_ids or [0])).order_by(PlanVersion.number):
        found[version.plan_id].append({"id": version.id, "number": version.number, "state": version.state,
                                       "first_year": version.first_year, "last_year": version.last_year,
                                       "submitted_at": iso(version.submitted_at), "approved_at": iso(version.approved_at)})
    return found


def _plan_json(plan: ActionPlan, versions: list[dict]) -> dict:
    agreement = plan.agreement
    return {"id": plan.id, "agreement_id": agreement.id, "organisation_id": agreement.organisation_id,
            "organisation": agreement.organisation.name, "programme_id": agreement.programme_id, "versions": versions}


def network_life_list_action_plans(call):
    from core.models.agreement import Agreement
    from core.models.organisation import Organisation
    query = _plans(call).select(ActionPlan, Agreement, Organisation).join(Agreement).join(Organisation)
    result = page_of(call, query, ActionPlan.id, lambda plan: plan)
    rows = result["items"]
    versions = _versions_of([plan.id for plan in rows])
    result["items"] = [_plan_json(plan, versions[plan.id]) for plan in rows]
    return result


def _load_plan(call):
    plan = _plans(call).where(ActionPlan.id == call.params["actionplan_id"]).first()
    if plan is None:
        raise not_found("action plan")
    return plan


def _status_json(row) -> dict:
    return {"id": row.id, "focus_area": row.focus_area, "goal_key": row.goal_key, "year": row.year,
            "progress": row.progress, "note": row.note, "meeting_id": row.meeting_id, "recorded_at": iso(row.recorded_at)}


def network_life_get_action_plan(call):
    plan = call.row
    versions = _versions_of([plan.id])[plan.id]
    approved = plans.approved_version(plan.id)
    shown = approved or PlanVersion.select().where(PlanVersion.plan == plan.id).order_by(PlanVersion.number.desc()).first()
    goals = plans.tree([shown.id])[shown.id] if shown else []
    latest = sorted(plans.latest_statuses([plan.id]).values(), key=lambda row: row.focus_area)
    return {**_plan_json(plan, versions), "approved_version": approved.number if approved else None,
            "goals": [{"id": goal.row.id, "key": goal.row.key, "focus_area": goal.row.focus_area, "title": goal.row.title,
                       "description": goal.row.description,
                       "indicators": [{"id": ind.row.id, "key": ind.row.key, "what": ind.row.what, "unit": ind.row.unit,
                                       "direction": ind.row.direction, "baseline": ind.row.baseline,
                                       "targets": {str(year): value for year, value in sorted(ind.targets.items())}}
                                      for ind in goal.indicators]} for goal in goals],
            "latest_statuses": [_status_json(row) for row in latest]}


def network_life_record_status(call):
    body = call.body
    values = {"progress": body["progress"], "focus_area": body["focus_area"], "year": body["year"],
              "note": body.get("note", ""), "goal_key": body.get("goal_key", "")}
    row = plans.record_status(call.platform, call.actor, call.row, values)
    return 201, _status_json(row)


def _meeting_json(meeting: Meeting, counts: dict) -> dict:
    return {"id": meeting.id, "programme_id": meeting.programme_id, "organisation_id": meeting.organisation_id,
            "kind": meeting.kind, "title": meeting.title, "starts_at": iso(meeting.starts_at),
            "ends_at": iso(meeting.ends_at), "mode": meeting.mode, "place": meeting.place,
            "online_url": meeting.online_url, "capacity": meeting.capacity, "agenda": meeting.agenda,
            "status": meeting.status, "uid": meeting.uid, "sequence": meeting.sequence,
            "invited": counts["invited"], "coming": counts["yes"], "attended": counts["attended"]}


def network_life_list_meetings(call):
    result = page_of(call, meetings.readable(call.actor, Meeting.select()), Meeting.id, lambda meeting: meeting)
    rows = result["items"]
    counts = meetings.counts([meeting.id for meeting in rows])
    result["items"] = [_meeting_json(meeting, counts[meeting.id]) for meeting in rows]
    return result


def _load_meeting(call):
    meeting = meetings.readable(call.actor, Meeting.select()).where(Meeting.id == call.params["meeting_id"]).first()
    if meeting is None:
        raise not_found("meeting")
    return meeting


def network_life_get_meeting(call):
    return _meeting_json(call.row, meetings.counts([call.row.id])[call.row.id])


def network_life_schedule_meeting(call):
    body = call.body
    values = {"programme": body["programme_id"], "kind": body["kind"], "organisation": body.get("organisation_id"),
              "title": body["title"], "date": body["date"], "start_time": body["start_time"],
              "end_time": body["end_time"], "mode": body["mode"], "place": body.get("place", ""),
              "online_url": body.get("online_url", ""), "capacity": body.get("capacity"),
              "agenda": body.get("agenda", ""), "invite_network": body.get("invite_network", False),
              "invite_association": body.get("invite_association", body["kind"] in STATUS_KINDS)}
    meeting = meetings.schedule(call.platform, call.actor, values)
    return 201, _meeting_json(meeting, meetings.counts([meeting.id])[meeting.id])


def network_life_answer_meeting(call):
    meetings.respond(call.actor, call.row, call.body["response"])
    return _meeting_json(call.row, meetings.counts([call.row.id])[call.row.id])


def operations():
    plan_id, meeting_id = ID("actionplan_id", "action plan"), ID("meeting_id", "meeting")
    base = "/api/v1/network-life"
    return [
        operation("GET", f"{base}/action-plans", network_life_list_action_plans, permission=access.PLAN_READ, tag=TAG,
                  summary="Action plans you may read, with their versions", params=PAGINATION, response=list_of(PLAN)),
        operation("GET", f"{base}/action-plans/{{actionplan_id}}", network_life_get_action_plan,
                  permission=access.PLAN_READ, tag=TAG, params=(plan_id,), loader=_load_plan,
                  summary="One action plan: versions, the approved version's goals, indicators and targets, and "
                          "the latest status per focus area", response=PLAN_DETAIL),
        operation("POST", f"{base}/action-plans/{{actionplan_id}}/statuses", network_life_record_status,
                  permission=access.PLAN_STATUS, tag=TAG, params=(plan_id,), loader=_load_plan, body=STATUS_BODY,
                  summary="Record the status of a focus area (or one goal) of the approved plan", response=STATUS,
                  status=201, extra_statuses=(409, 422)),
        operation("GET", f"{base}/meetings", network_life_list_meetings, permission=access.MEETING_RSVP, tag=TAG,
                  summary="Meetings you may read or are invited to", params=PAGINATION, response=list_of(MEETING)),
        operation("GET", f"{base}/meetings/{{meeting_id}}", network_life_get_meeting, permission=access.MEETING_RSVP,
                  tag=TAG, params=(meeting_id,), loader=_load_meeting, summary="One meeting", response=MEETING),
        operation("POST", f"{base}/meetings", network_life_schedule_meeting, permission=access.MEETING_MANAGE, tag=TAG,
                  summary="Schedule a meeting; the people invited get a calendar invitation by mail", body=MEETING_BODY,
                  response=MEETING, status=201, extra_statuses=(422,)),
        operation("POST", f"{base}/meetings/{{meeting_id}}/answer", network_life_answer_meeting,
                  permission=access.MEETING_RSVP, tag=TAG, params=(meeting_id,), loader=_load_meeting,
                  body=ANSWER_BODY, summary="Answer your own invitation: coming, not coming or maybe", response=MEETING,
                  extra_statuses=(403, 409, 422)),
    ]


__all__ = ["operations", "DATE"]
