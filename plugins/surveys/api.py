"""Surveys through the API: the surveys you follow, a survey's results (with the same privacy
rules as the page: an anonymous survey's results from 5 answers on) and answering one for your
association (through the same rule as the form; answers by question key)."""
from __future__ import annotations

from core import authz, tenancy
from core.api.base import (DATE, ID, INT, PAGINATION, STR, ApiProblem, Param, iso, not_found, nullable, obj,
                           operation, page_of)
from core.models.programme import Programme
from core.rules.errors import RuleViolation
from plugins.surveys import questions as q, results
from plugins.surveys.models import STATUSES, Survey, SurveyInvitation
from plugins.surveys.rules import submit_response

READ, MANAGE, RESULTS, ANSWER = "survey.read", "survey.manage", "survey.results", "survey.answer"

SURVEY = obj({"id": INT, "programme_id": INT, "series": STR, "year": INT, "title": STR, "anonymous": {"type": "boolean"},
              "status": {"type": "string", "enum": list(STATUSES)}, "opened_on": nullable(DATE),
              "closes_on": nullable(DATE), "closed_on": nullable(DATE)})
SURVEY_LIST = obj({"items": {"type": "array", "items": SURVEY}, "next": nullable(STR)})
OPTION = obj({"key": STR, "label": STR, "respondents": INT, "share_percent": {"type": "number"}})
QUESTION_RESULT = obj({
    "key": STR, "kind": {"type": "string", "enum": list(q.KINDS)}, "text": STR, "focus_area": nullable(INT),
    "respondents": INT, "options": {"type": "array", "items": OPTION},
    "rows": {"type": "array", "items": obj({"key": STR, "label": STR, "respondents": INT,
                                            "options": {"type": "array", "items": OPTION}})},
    "numbers": {"type": "object"}, "texts": {"type": "array", "items": STR}})
RESULTS_DOC = obj({"survey": SURVEY, "invited": INT, "answered": INT, "respondents": INT,
                   "visible": {"type": "boolean"}, "questions": {"type": "array", "items": QUESTION_RESULT}})
ANSWER_BODY = {
    "type": "object", "additionalProperties": False, "required": ["organisation_id", "answers"],
    "properties": {
        "organisation_id": {"type": "integer", "minimum": 1, "maximum": 2**53 - 1,
                            "description": "The invited association you answer for"},
        "answers": {"type": "object", "maxProperties": 200,
                    "description": "By question key: an option key (single choice, yes_no: yes, no or dont_know), "
                                   "a list of option keys (multiple choice), a whole number (scale, number), a text, "
                                   "or an object {row key: option key} (matrix)"},
    },
}
ANSWERED = obj({"survey_id": INT, "organisation_id": INT, "answered": {"type": "boolean"}})


def survey_json(survey: Survey) -> dict:
    return {"id": survey.id, "programme_id": survey.programme_id, "series": survey.series, "year": survey.year,
            "title": survey.title, "anonymous": survey.anonymous, "status": survey.status,
            "opened_on": iso(survey.opened_on), "closes_on": iso(survey.closes_on), "closed_on": iso(survey.closed_on)}


def _option(option) -> dict:
    return {"key": option.key, "label": option.label, "respondents": option.count, "share_percent": option.share}


def surveys_list(call):
    query = tenancy.scoped(Survey.select(), Survey, call.actor, RESULTS)
    if call.params.get("year") is not None:
        query = query.where(Survey.year == call.params["year"])
    return page_of(call, query, Survey.id, survey_json)


def _survey_or_404(call) -> Survey:
    survey = tenancy.get_scoped(Survey, call.actor, RESULTS, Survey.id == call.params["survey_id"])
    if survey is None:
        raise not_found()
    return survey


def surveys_results(call):
    survey = call.row
    found = results.survey_results(survey)
    return {"survey": survey_json(survey), "invited": found.rate.invited, "answered": found.rate.answered,
            "respondents": found.respondents, "visible": found.visible,
            "questions": [{"key": one.question.key, "kind": one.question.kind, "text": one.question.text,
                           "focus_area": one.question.focus_area, "respondents": one.respondents,
                           "options": [_option(o) for o in one.options],
                           "rows": [{"key": r.key, "label": r.label, "respondents": r.respondents,
                                     "options": [_option(o) for o in r.options]} for r in one.rows],
                           "numbers": dict(one.numbers), "texts": list(one.texts)} for one in found.results]}


def _invitations_or_404(call) -> list[SurveyInvitation]:
    """The survey's invitations of the associations the person answers for, before the body is
    read: a survey nobody of theirs is asked is "not found", whatever the body says."""
    own = [g.organisation_id for g in call.actor.grants if g.role in authz.PEOPLE_ROLES and g.organisation_id]
    found = list(tenancy.scoped(SurveyInvitation.select(), SurveyInvitation, call.actor, ANSWER)
                 .where(SurveyInvitation.survey == call.params["survey_id"],
                        SurveyInvitation.organisation.in_(own or [0])))
    if not found:
        raise not_found()
    return found


def surveys_answer(call):
    invitation = next((i for i in call.row if i.organisation_id == call.body["organisation_id"]), None)
    if invitation is None:
        raise not_found()
    answers = call.body["answers"]
    from plugins.surveys.results import questions_of
    asked = questions_of([invitation.survey_id])
    unknown = q.unknown_keys(asked, answers)
    if unknown:
        raise ApiProblem(400, "Invalid request", slug="validation-error",
                         errors={f"answers.{key}": ["Unknown question key"] for key in unknown[:20]})
    submit_response(invitation.survey, invitation, q.JsonForm(asked, answers), call.actor.label)
    return 201, {"survey_id": invitation.survey_id, "organisation_id": invitation.organisation_id, "answered": True}


def operations():
    return [
        operation("GET", "/api/v1/surveys", surveys_list, permission=RESULTS, tag="surveys",
                  summary="The surveys you follow", params=(*PAGINATION, Param("year", description="Only this year",
                                                                               minimum=1900, maximum=9999)),
                  response=SURVEY_LIST),
        operation("GET", "/api/v1/surveys/{survey_id}/results", surveys_results, permission=RESULTS, tag="surveys",
                  summary="A survey's response rate and results per question (an anonymous survey's from 5 answers)",
                  params=(ID("survey_id", "survey"),), response=RESULTS_DOC, loader=_survey_or_404),
        operation("POST", "/api/v1/surveys/{survey_id}/responses", surveys_answer, permission=ANSWER, tag="surveys",
                  summary="Answer an open survey for your invited association, once",
                  params=(ID("survey_id", "survey"),), body=ANSWER_BODY, response=ANSWERED, status=201,
                  extra_statuses=(422,), loader=_invitations_or_404),
    ]


__all__ = ["operations", "RuleViolation", "Programme"]
