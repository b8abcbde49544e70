"""The decisions about surveys, for the pages, the API and the demo data.

A survey is drafted (its questions added, changed, removed), opened — which invites every
partner of its programme and mails their people — and closed. Questions are fixed once it is
open. An invited organisation answers once; in an anonymous survey the answer is written
without anything that leads back to the invitation (``models``): the invitation only learns
that it was answered. Everything is checked before anything is written, and written in one
transaction with its audit row.
"""
from __future__ import annotations

import datetime
import logging
from typing import Any

from core import i18n, inputs, mail
from core.db import database, is_postgres
from core.i18n import gettext as _
from core.models import audit
from core.models.account import Account, RoleAssignment
from core.models.membership import Membership
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import Collector, RuleViolation
from plugins.surveys import questions as q
from plugins.surveys.models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion, SurveyResponse

log = logging.getLogger("partnerskab.surveys")
SERIES = q.KEY
PEOPLE = ("resource_person", "board_member")


def _scope(survey: Survey) -> str:
    return f"programme:{survey.programme_id}"


# --- the survey --------------------------------------------------------------------------------

def create_survey(programme: Programme, data: dict[str, Any], actor: str, copy_from: Survey | None = None,
                  today: datetime.date | None = None) -> Survey:
    """A draft survey of ``programme``; with ``copy_from``, its questions (same keys) copied."""
    today = today or datetime.date.today()
    problems = Collector()
    series = str(data.get("series") or "").strip().lower()
    if not SERIES.match(series):
        problems.add("series", "A series key is 2 to 40 lower-case letters, digits and _: the same every year")
    year = inputs.parse_year(data.get("year"), "year", problems)
    title = str(data.get("title") or "").strip()
    if not title:
        problems.add("title", "Give the survey a title")
    elif len(title) > 200:
        problems.add("title", "Can be at most %(max)s characters", max="200")
    introduction = str(data.get("introduction") or "").strip()[:4000]
    closes_on = inputs.parse_date(data.get("closes_on"), "closes_on", problems, required=False)
    if closes_on is not None and closes_on < today:
        problems.add("closes_on", "The closing date has passed")
    anonymous = str(data.get("anonymous") or "") in ("1", "on", "true", "yes")
    if copy_from is not None and copy_from.programme_id != programme.id:
        problems.add("copy_from", "Choose an earlier survey of the same programme")
    if series and year and not problems.problems and Survey.select().where(
            Survey.programme == programme.id, Survey.series == series, Survey.year == year).exists():
        problems.add("year", "The programme already has this series' survey for %(year)s", year=str(year))
    problems.raise_if_any()
    with database.atomic():
        survey = Survey.create(programme=programme.id, series=series, year=year, title=title,
                               introduction=introduction, anonymous=anonymous, closes_on=closes_on)
        copied = 0
        if copy_from is not None:
            for question in SurveyQuestion.select().where(SurveyQuestion.survey == copy_from.id).order_by(
                    SurveyQuestion.position, SurveyQuestion.id):
                data = question.__data__.copy()
                data.pop("id", None)
                data["survey"] = survey.id
                SurveyQuestion.create(**data)
                copied += 1
        audit.record(actor, "survey.create", survey, scope=_scope(survey),
                     after={"title": title, "year": year, "series": series, "anonymous": anonymous,
                            "questions": copied})
    return survey


def _draft_only(survey: Survey) -> None:
    if survey.status != "draft":
        raise RuleViolation.one("status", "The survey is open or closed: its questions can no longer change")


def focus_area_numbers(platform, survey: Survey) -> set[int]:
    programme_type = platform.programme_types.get(survey.programme.programme_type)
    return {area.number for area in getattr(programme_type, "focus_areas", ())}


def save_question(platform, survey: Survey, data: dict[str, Any], actor: str,
                  question: SurveyQuestion | None = None) -> SurveyQuestion:
    """Add a question to a draft survey, or change one."""
    _draft_only(survey)
    problems = Collector()
    fields = q.parse_question(data, focus_area_numbers(platform, survey), problems)
    if fields["key"] and SurveyQuestion.select().where(
            SurveyQuestion.survey == survey.id, SurveyQuestion.key == fields["key"],
            SurveyQuestion.id != (question.id if question else 0)).exists():
        problems.add("key", "The survey already has a question with this key")
    problems.raise_if_any()
    with database.atomic():
        if question is None:
            last = (SurveyQuestion.select(SurveyQuestion.position).where(SurveyQuestion.survey == survey.id)
                    .order_by(SurveyQuestion.position.desc()).first())
            question = SurveyQuestion.create(survey=survey.id, position=(last.position + 1) if last else 1, **fields)
            audit.record(actor, "survey.question.add", question, scope=_scope(survey),
                         after={"key": fields["key"], "kind": fields["kind"], "text": fields["text"]})
        else:
            before = {"key": question.key, "kind": question.kind, "text": question.text}
            SurveyQuestion.update(**fields).where(SurveyQuestion.id == question.id).execute()
            audit.record(actor, "survey.question.change", question, scope=_scope(survey), before=before,
                         after={"key": fields["key"], "kind": fields["kind"], "text": fields["text"]})
            question = SurveyQuestion.get_by_id(question.id)
    return question


def remove_question(survey: Survey, question: SurveyQuestion, actor: str) -> None:
    _draft_only(survey)
    with database.atomic():
        audit.record(actor, "survey.question.remove", question, scope=_scope(survey),
                     before={"key": question.key, "text": question.text})
        question.delete_instance()


def partners(programme_id: int) -> list[Organisation]:
    """The programme's partners: who a survey of it asks (one query)."""
    return list(Organisation.select().join(Membership, on=(Membership.organisation == Organisation.id))
                .where(Membership.programme == programme_id, Membership.role == "partner",
                       Membership.deleted_at.is_null(), Organisation.deleted_at.is_null())
                .order_by(Organisation.name).distinct())


def open_survey(platform, survey: Survey, actor: str, base_url: str, today: datetime.date | None = None) -> int:
    """Open a draft survey: invite every partner of its programme and mail their people (the
    mails are kept or sent after the invitations are written). Returns the invitations made."""
    today = today or datetime.date.today()
    if survey.status != "draft":
        raise RuleViolation.one("status", "Only a draft survey can be opened")
    if not SurveyQuestion.select().where(SurveyQuestion.survey == survey.id).exists():
        raise RuleViolation.one("status", "Add at least one question before the survey is opened")
    if survey.closes_on is not None and survey.closes_on < today:
        raise RuleViolation.one("closes_on", "The closing date has passed")
    organisations = partners(survey.programme_id)
    if not organisations:
        raise RuleViolation.one("status", "The programme has no partners to ask")
    with database.atomic():
        updated = Survey.update(status="open", opened_on=today).where(Survey.id == survey.id,
                                                                      Survey.status == "draft").execute()
        if not updated:
            raise RuleViolation.one("status", "Only a draft survey can be opened")
        SurveyInvitation.insert_many([{"survey": survey.id, "organisation": o.id, "invited_on": today, "answered": False}
                                      for o in organisations]).execute()
        audit.record(actor, "survey.open", survey, scope=_scope(survey),
                     after={"title": survey.title, "invited": len(organisations)})
    _mail_invitations(platform, survey, organisations, base_url)
    return len(organisations)


def _mail_invitations(platform, survey: Survey, organisations: list[Organisation], base_url: str) -> None:
    """One mail to each resource person and board member of the invited organisations (one
    query for all of them). A mail server's refusal is logged: the invitation stands, and the
    survey waits on the association's to-do list."""
    ids = [o.id for o in organisations]
    people = (Account.select(Account.email, RoleAssignment.organisation).join(RoleAssignment)
              .where(RoleAssignment.organisation.in_(ids or [0]), RoleAssignment.role.in_(PEOPLE),
                     Account.active == True).distinct().tuples())  # noqa: E712
    names = {o.id: o.name for o in organisations}
    link = f"{base_url.rstrip('/')}/surveys/{survey.id}/answer"
    with i18n.locale_context(platform.settings.default_locale):
        subject = _("Survey: %(title)s") % {"title": survey.title}
        for email, organisation_id in people:
            body = _("Hello,\n\n%(organisation)s is asked to answer the survey \"%(title)s\".\n\n"
                     "Answer it here (log in first):\n%(link)s\n\n%(anonymity)s\n") % {
                "organisation": names.get(organisation_id, ""), "title": survey.title, "link": link,
                "anonymity": (_("The survey is anonymous: it records that your association answered, not what.")
                              if survey.anonymous else _("The survey is not anonymous: your answers are shown "
                                                         "with your association's name."))}
            try:
                mail.send(platform, to=email, subject=subject, body=body)
            except mail.MailError:
                log.warning("survey %s: the invitation mail to %s was not accepted", survey.id, email)


def close_survey(survey: Survey, actor: str, today: datetime.date | None = None) -> None:
    today = today or datetime.date.today()
    with database.atomic():
        updated = Survey.update(status="closed", closed_on=today).where(Survey.id == survey.id,
                                                                        Survey.status == "open").execute()
        if not updated:
            raise RuleViolation.one("status", "Only an open survey can be closed")
        audit.record(actor, "survey.close", survey, scope=_scope(survey), after={"title": survey.title})


# --- answering -----------------------------------------------------------------------------------

def _lock(invitation: SurveyInvitation) -> SurveyInvitation:
    query = SurveyInvitation.select().where(SurveyInvitation.id == invitation.id)
    if is_postgres():
        query = query.for_update()
    return query.get()


def _restamp(survey_id: int) -> None:
    """PostgreSQL stamps each row with the transaction that wrote it (``xmin``) — the same as
    the invitation's and the audit row's of that answer — and keeps rows in the order they came
    (``ctid``). So an anonymous survey's responses and answers are written again, all of them,
    in the order of their random keys, in the transaction of the newest answer: every row then
    carries the same stamp and the storage order is the keys'. (SQLite has neither: its tables
    here are WITHOUT ROWID and sorted by the random key.) A survey has at most a few hundred
    responses, so rewriting them on each answer is cheap."""
    if not is_postgres():
        return
    responses = list(SurveyResponse.select().where(SurveyResponse.survey == survey_id).order_by(SurveyResponse.id)
                     .dicts())
    answers = list(SurveyAnswer.select().join(SurveyResponse).where(SurveyResponse.survey == survey_id)
                   .order_by(SurveyAnswer.response, SurveyAnswer.question, SurveyAnswer.item).dicts())
    SurveyAnswer.delete().where(SurveyAnswer.response.in_([row["id"] for row in responses])).execute()
    SurveyResponse.delete().where(SurveyResponse.survey == survey_id).execute()
    for chunk in range(0, len(responses), 500):
        SurveyResponse.insert_many(responses[chunk:chunk + 500]).execute()
    for chunk in range(0, len(answers), 500):
        SurveyAnswer.insert_many(answers[chunk:chunk + 500]).execute()


def submit_response(survey: Survey, invitation: SurveyInvitation, form, actor: str,
                    today: datetime.date | None = None) -> SurveyResponse:
    """Answer an open survey for the invited organisation, once. ``form`` has ``get`` and
    ``getlist`` (a posted form, or ``questions.JsonForm``). In an anonymous survey the response
    gets no organisation, the invitation only ``answered``, and the audit row names the
    invitation, never the response."""
    today = today or datetime.date.today()
    if survey.status != "open" or (survey.closes_on is not None and survey.closes_on < today):
        raise RuleViolation.one("status", "The survey is not open for answers")
    asked = list(SurveyQuestion.select().where(SurveyQuestion.survey == survey.id)
                 .order_by(SurveyQuestion.position, SurveyQuestion.id))
    problems = Collector()
    answers = [(question, row) for question in asked for row in q.parse_answers(question, form, problems)]
    if not problems.problems and not answers:
        problems.add("answers", "Answer at least one question")
    problems.raise_if_any()
    with database.atomic():
        current = _lock(invitation)
        if current.answered:
            raise RuleViolation.one("status", "%(organisation)s has already answered this survey",
                                    organisation=invitation.organisation.name)
        response = SurveyResponse.create(survey=survey.id,
                                         organisation=None if survey.anonymous else invitation.organisation_id)
        SurveyAnswer.insert_many([{"response": response.id, "question": question.id, "item": row.get("item", ""),
                                   "choice": row.get("choice", ""), "number": row.get("number"),
                                   "text": row.get("text", "")} for question, row in answers]).execute()
        SurveyInvitation.update(answered=True).where(SurveyInvitation.id == invitation.id).execute()
        if survey.anonymous:
            _restamp(survey.id)
        audit.record(actor, "survey.answer", invitation, scope=f"organisation:{invitation.organisation_id}",
                     after={"survey": survey.title, "organisation": invitation.organisation.name,
                            "anonymous": survey.anonymous})
    return response


__all__ = ["RuleViolation", "close_survey", "create_survey", "open_survey", "partners", "remove_question",
           "save_question", "submit_response"]
