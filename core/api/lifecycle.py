"""Calls, applications and agreements through the API, and the two application writes
(submit, decide) — through ``core.rules.applications``, like the application page's forms,
narrowed by ``core.tenancy.scoped`` like the pages."""
from __future__ import annotations

from core import authz
from core.api.base import (BOOL, DATE, DATETIME, ID, INT, PAGINATION, STR, Param, iso, list_of, not_found, nullable,
                           obj, operation, page_of)
from core.models.agreement import Agreement
from core.models.application import APPLICATION_STATUSES, Application
from core.models.call import Call
from core.models.programme import Programme
from core.rules import applications as rules
from core.tenancy import scoped

CALL = obj({"id": INT, "programme_id": INT, "title": STR, "description": STR, "opens_on": DATE,
            "closes_on": DATE, "state": {"type": "string", "enum": ["upcoming", "open", "closed"]}})
APPLICATION = obj({
    "id": INT, "call_id": INT, "programme_id": INT, "organisation_id": INT,
    "status": {"type": "string", "enum": list(APPLICATION_STATUSES)}, "description": STR,
    "contact_email": STR, "contact_phone": STR, "created_at": nullable(DATETIME),
    "submitted_at": nullable(DATETIME), "decided_at": nullable(DATETIME), "decided_by": STR,
    "decision_reason": STR,
})
AGREEMENT = obj({"id": INT, "programme_id": INT, "organisation_id": INT, "application_id": nullable(INT),
                 "start_date": DATE, "end_date": DATE, "cohort": INT, "consultant_id": nullable(INT),
                 "yearly_grant_ore": nullable(INT), "state": STR})
SUBMIT_BODY = {
    "type": "object", "additionalProperties": False, "required": [],
    "properties": {"description": {"type": "string", "maxLength": 5000},
                   "contact_email": {"type": "string", "maxLength": 200},
                   "contact_phone": {"type": "string", "maxLength": 40},
                   "answers": {"type": "object", "maxProperties": 100,
                               "description": "Answers to save before submitting, by key ('criterion:<key>' "
                                              "or 'question:<id>')",
                               "additionalProperties": {"type": "string", "maxLength": 5000}}},
}
DECIDE_BODY = {
    "type": "object", "additionalProperties": False, "required": ["decision", "reason"],
    "properties": {
        "decision": {"type": "string", "enum": ["accept", "reject"]},
        "reason": {"type": "string", "minLength": 1, "maxLength": 5000},
        "start_date": {"type": ["string", "null"], "format": "date", "maxLength": 10,
                       "description": "The agreement's start (YYYY-MM-DD) when accepting"},
        "consultant_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**53 - 1},
        "confirm_end": {"type": ["string", "null"], "format": "date", "maxLength": 10,
                        "description": "When the programme's end cuts the agreement short of the type's term: "
                                       "that end (YYYY-MM-DD), which a first attempt names in a 422 on this field"},
    },
}
DECISION = obj({"application": APPLICATION, "agreement": {"anyOf": [AGREEMENT, {"type": "null"}]}})


def call_json(row: Call) -> dict:
    return {"id": row.id, "programme_id": row.programme_id, "title": row.title, "description": row.description,
            "opens_on": iso(row.opens_on), "closes_on": iso(row.closes_on), "state": row.state()}


def _calls():
    return Call.select(Call).join(Programme).where(Programme.deleted_at.is_null())


def list_calls(call):
    query = _calls()
    if call.params.get("programme"):
        query = query.where(Call.programme == call.params["programme"])
    return page_of(call, query, Call.id, call_json)


def get_call(call):
    row = _calls().where(Call.id == call.params["call_id"]).first()
    if row is None:
        raise not_found("call")
    return call_json(row)


def _applications():
    return Application.select(Application, Call).join(Call)


def application_json(row: Application) -> dict:
    return {"id": row.id, "call_id": row.call_id, "programme_id": row.call.programme_id,
            "organisation_id": row.organisation_id, "status": row.status, "description": row.description,
            "contact_email": row.contact_email, "contact_phone": row.contact_phone,
            "created_at": iso(row.created_at), "submitted_at": iso(row.submitted_at),
            "decided_at": iso(row.decided_at), "decided_by": row.decided_by_label,
            "decision_reason": row.decision_reason}


def list_applications(call):
    query = scoped(_applications(), Application, call.actor, "application.read")
    if call.params.get("status"):
        query = query.where(Application.status == call.params["status"])
    if call.params.get("call"):
        query = query.where(Application.call == call.params["call"])
    return page_of(call, query, Application.id, application_json)


def _application(call, action: str) -> Application:
    row = scoped(_applications(), Application, call.actor, action).where(
        Application.id == call.params["application_id"]).first()
    if row is None:
        raise not_found("application")
    return row


def get_application(call):
    return application_json(_application(call, "application.read"))


def submit_application(call):
    """As the application page's "submit" button: save the answers given, then submit."""
    application = call.row
    body = call.body or {}
    if any(key in body for key in ("description", "contact_email", "contact_phone", "answers")):
        # what is not sent stays as it is (the form always sends every field)
        data = {"description": application.description, "contact_email": application.contact_email,
                "contact_phone": application.contact_phone, **rules.answers_of(application)}
        data.update({key: body[key] for key in ("description", "contact_email", "contact_phone") if key in body})
        data.update(body.get("answers") or {})
        rules.save_answers(call.platform, application, data, actor=call.actor.label)
        application = _application(call, "application.submit")
    rules.submit(call.platform, application, actor=call.actor.label, account=call.actor.account)
    return application_json(_application(call, "application.read"))


def decide_application(call):
    """As the application page's decision form: accept (making the agreement) or reject."""
    application = call.row
    body = call.body
    agreement = rules.decide(call.platform, application, decision=body["decision"], reason=body["reason"],
                             actor=call.actor.label, account=call.actor.account,
                             start_date=body.get("start_date") or None, consultant_id=body.get("consultant_id"),
                             confirm_end=body.get("confirm_end") or None)
    return {"application": application_json(_application(call, "application.read")),
            "agreement": agreement_json(Agreement.get_by_id(agreement.id)) if agreement is not None else None}


def _deciding(call) -> Application:
    application = _application(call, "application.decide")
    if not authz.can(call.actor, "application.decide", application.call.programme):
        raise not_found("application")  # the applicant's own organisation may not decide on itself
    return application


def agreement_json(row: Agreement) -> dict:
    return {"id": row.id, "programme_id": row.programme_id, "organisation_id": row.organisation_id,
            "application_id": row.application_id, "start_date": iso(row.start_date), "end_date": iso(row.end_date),
            "cohort": row.cohort, "consultant_id": row.consultant_id, "yearly_grant_ore": row.yearly_grant_ore,
            "state": row.state()}


def list_agreements(call):
    query = scoped(Agreement.select(), Agreement, call.actor, "agreement.read")
    if call.params.get("programme"):
        query = query.where(Agreement.programme == call.params["programme"])
    return page_of(call, query, Agreement.id, agreement_json)


def get_agreement(call):
    row = scoped(Agreement.select(), Agreement, call.actor, "agreement.read").where(
        Agreement.id == call.params["agreement_id"]).first()
    if row is None:
        raise not_found("agreement")
    return agreement_json(row)


def routes():
    programme_filter = Param("programme", description="Only those of this programme (its id)", minimum=1)
    return [
        operation("GET", "/api/v1/calls", list_calls, permission=authz.PUBLIC, tag="calls",
                  summary="List calls", params=(*PAGINATION, programme_filter), response=list_of(CALL)),
        operation("GET", "/api/v1/calls/{call_id}", get_call, permission=authz.PUBLIC, tag="calls",
                  summary="One call", params=(ID("call_id", "call"),), response=CALL),
        operation("GET", "/api/v1/applications", list_applications, permission="application.read",
                  tag="applications", summary="List the applications you may read",
                  params=(*PAGINATION, Param("status", kind="enum", choices=APPLICATION_STATUSES),
                          Param("call", description="Only those to this call (its id)", minimum=1)),
                  response=list_of(APPLICATION)),
        operation("GET", "/api/v1/applications/{application_id}", get_application, permission="application.read",
                  tag="applications", summary="One application",
                  params=(ID("application_id", "application"),), response=APPLICATION),
        operation("POST", "/api/v1/applications/{application_id}/submit", submit_application,
                  permission="application.submit", tag="applications",
                  summary="Submit a draft application (criteria and closing date checked)",
                  params=(ID("application_id", "application"),), body=SUBMIT_BODY, response=APPLICATION,
                  extra_statuses=(409, 422), loader=lambda call: _application(call, "application.submit")),
        operation("POST", "/api/v1/applications/{application_id}/decide", decide_application,
                  permission="application.decide", tag="applications",
                  summary="Accept (making the agreement) or reject a submitted application",
                  params=(ID("application_id", "application"),), body=DECIDE_BODY, response=DECISION,
                  extra_statuses=(409, 422), loader=_deciding),
        operation("GET", "/api/v1/agreements", list_agreements, permission="agreement.read", tag="agreements",
                  summary="List the agreements you may read", params=(*PAGINATION, programme_filter),
                  response=list_of(AGREEMENT)),
        operation("GET", "/api/v1/agreements/{agreement_id}", get_agreement, permission="agreement.read",
                  tag="agreements", summary="One agreement", params=(ID("agreement_id", "agreement"),),
                  response=AGREEMENT),
    ]


__all__ = ["routes", "BOOL"]
