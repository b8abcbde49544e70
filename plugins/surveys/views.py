"""The survey pages.

Staff (``survey.manage``, ``survey.results``): ``/surveys`` lists the surveys they follow,
``/surveys/new`` drafts one (optionally copying an earlier year's questions, keys and all),
``/surveys/{id}`` holds its questions (added, changed and removed while it is a draft), the
buttons that open it — inviting every partner and mailing their people — and close it, and who
has answered; ``/results`` shows the response rate and a chart per question while it is open
and after (with a breakdown by another question's answer), ``/compare`` the same questions year
on year, ``/responses.csv`` and ``.xlsx`` one row per response.

An association's people (``survey.answer``): ``/surveys`` lists what their association is asked,
``/surveys/{id}/answer`` is the form. Staff see that page as a preview.

Rows come through ``core.tenancy`` (another tenant's survey is "not found"); writes go through
``plugins.surveys.rules`` and are audited there.
"""
from __future__ import annotations

import datetime

from starlette.exceptions import HTTPException
from starlette.responses import StreamingResponse

from core import authz, csv_writer, exports as core_exports, i18n, inputs, tenancy
from core.i18n import gettext
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules.errors import RuleViolation
from core.views.manage_common import NO_STORE, actor_of, form_values, load_or_404, require, saved, show_form
from core.views.password_reset import link_base
from core.web import svg_charts
from core.web.pages import render
from core.web.routing import page
from plugins.surveys import exports, questions as q, results as survey_results, rules
from plugins.surveys.models import Survey, SurveyInvitation, SurveyQuestion

READ, MANAGE, RESULTS, ANSWER = "survey.read", "survey.manage", "survey.results", "survey.answer"
QUESTION_FIELDS = ("key", "kind", "text", "help", "options", "rows", "scale_min", "scale_max", "scale_low",
                   "scale_high", "focus_area", "required")


def _survey(request, action: str) -> Survey:
    return load_or_404(request, Survey, action, Survey.id == request.path_params["survey_id"])


def _question(request, survey: Survey) -> SurveyQuestion:
    question = SurveyQuestion.get_or_none(SurveyQuestion.id == request.path_params["survey_question_id"],
                                          SurveyQuestion.survey == survey.id)
    if question is None:
        raise HTTPException(404)
    return question


def own_organisation_ids(actor) -> list[int]:
    return [grant.organisation_id for grant in actor.grants
            if grant.role in authz.PEOPLE_ROLES and grant.organisation_id is not None]


def own_invitations(actor, survey_id: int | None = None):
    """The invitations of the organisations the person answers for (one query)."""
    own = own_organisation_ids(actor)
    if not own or not authz.can(actor, ANSWER):
        return []
    query = (tenancy.scoped(SurveyInvitation.select(SurveyInvitation, Survey, Organisation)
                            .join(Survey).switch(SurveyInvitation).join(Organisation),
                            SurveyInvitation, actor, ANSWER)
             .where(SurveyInvitation.organisation.in_(own)))
    if survey_id is not None:
        query = query.where(SurveyInvitation.survey == survey_id)
    return list(query.order_by(Survey.year.desc(), Survey.title, Organisation.name))


# --- the list and a new survey -----------------------------------------------------------------

def index(request):
    actor = actor_of(request)
    surveys, rates = [], {}
    if authz.can(actor, RESULTS):
        surveys = list(tenancy.scoped(Survey.select(Survey, Programme).join(Programme), Survey, actor, RESULTS)
                       .order_by(Survey.year.desc(), Survey.title))
        rates = survey_results.rates([s.id for s in surveys])
    return render(request, "surveys/index.html", {"surveys": surveys, "rates": rates,
                                                  "invitations": own_invitations(actor), "today": datetime.date.today()},
                  headers=NO_STORE)


def _programmes(actor) -> list[Programme]:
    return list(tenancy.scoped(Programme.select(), Programme, actor, MANAGE)
                .where(Programme.deleted_at.is_null()).order_by(Programme.name))


def _earlier(actor) -> list[Survey]:
    return list(tenancy.scoped(Survey.select(Survey, Programme).join(Programme), Survey, actor, MANAGE)
                .order_by(Survey.year.desc(), Survey.title))


def new(request):
    actor = actor_of(request)
    programmes, earlier = _programmes(actor), _earlier(actor)
    context = {"programmes": programmes, "earlier": earlier,
               "values": {"year": str(datetime.date.today().year), "anonymous": "on", "programme": "",
                          "series": "", "title": "", "introduction": "", "closes_on": "", "copy_from": ""}}
    if request.method == "GET":
        source = inputs.parse_id(request.query_params.get("copy_from", ""))
        chosen = next((s for s in earlier if s.id == source), None)
        if chosen is not None:  # next year's survey of a series: its keys, its programme, the next year
            context["values"].update(programme=str(chosen.programme_id), series=chosen.series,
                                     year=str(chosen.year + 1), title=chosen.title, introduction=chosen.introduction,
                                     anonymous="on" if chosen.anonymous else "", copy_from=str(chosen.id))
        return show_form(request, "surveys/new.html", context)
    values = form_values(request, ("programme", "series", "year", "title", "introduction", "closes_on", "anonymous",
                                   "copy_from"))
    context["values"] = values
    programme_id = inputs.parse_id(values["programme"])
    programme = next((p for p in programmes if p.id == programme_id), None)
    if programme is None:
        if programme_id is not None and Programme.select().where(Programme.id == programme_id).exists():
            from core.auth import web
            web.refuse(request, actor, MANAGE)  # a forged form naming another tenant's programme
        return show_form(request, "surveys/new.html", context, {"programme": [gettext("Choose a programme")]})
    copy_from = None
    if values["copy_from"].strip():
        copy_id = inputs.parse_id(values["copy_from"])
        copy_from = next((s for s in earlier if s.id == copy_id), None)
        if copy_from is None:
            return show_form(request, "surveys/new.html", context,
                             {"copy_from": [gettext("Choose an earlier survey from the list")]})
    try:
        survey = rules.create_survey(programme, values, actor.label, copy_from=copy_from)
    except RuleViolation as exc:
        return show_form(request, "surveys/new.html", context, exc.by_field())
    return saved(f"/surveys/{survey.id}", "survey-created")


# --- one survey: its questions and state ----------------------------------------------------------

def _detail_context(request, survey: Survey, values: dict | None = None, editing: SurveyQuestion | None = None) -> dict:
    platform = request.app.state.platform
    actor = actor_of(request)
    asked = list(SurveyQuestion.select().where(SurveyQuestion.survey == survey.id)
                 .order_by(SurveyQuestion.position, SurveyQuestion.id))
    programme_type = platform.programme_types.get(survey.programme.programme_type)
    focus_areas = [(str(area.number), f"{area.number}. {area.title}") for area in getattr(programme_type, "focus_areas", ())]
    invitations = list(SurveyInvitation.select(SurveyInvitation, Organisation).join(Organisation)
                       .where(SurveyInvitation.survey == survey.id).order_by(Organisation.name))
    return {"survey": survey, "questions": asked, "focus_areas": focus_areas,
            "focus_titles": dict(focus_areas), "invitations": invitations,
            "answered": sum(1 for i in invitations if i.answered),
            "kinds": [(kind, q.kind_label(kind)) for kind in q.KINDS], "kind_label": q.kind_label,
            "choices": q.choices, "pairs_text": q.pairs_text, "editing": editing,
            "may_manage": authz.can(actor, MANAGE, survey),
            "values": values or {"key": "", "kind": "single", "text": "", "help": "", "options": "", "rows": "",
                                 "scale_min": "1", "scale_max": "5", "scale_low": "", "scale_high": "",
                                 "focus_area": "", "required": ""}}


def detail(request):
    survey = _survey(request, RESULTS)
    return show_form(request, "surveys/detail.html", _detail_context(request, survey))


def add_question(request):
    survey = _survey(request, MANAGE)
    values = form_values(request, QUESTION_FIELDS)
    try:
        rules.save_question(request.app.state.platform, survey, values, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "surveys/detail.html", _detail_context(request, survey, values), exc.by_field())
    return saved(f"/surveys/{survey.id}", "question-added")


def _question_values(question: SurveyQuestion) -> dict:
    return {"key": question.key, "kind": question.kind, "text": question.text, "help": question.help,
            "options": q.pairs_text(question.option_pairs), "rows": q.pairs_text(question.row_pairs),
            "scale_min": "" if question.scale_min is None else str(question.scale_min),
            "scale_max": "" if question.scale_max is None else str(question.scale_max),
            "scale_low": question.scale_low, "scale_high": question.scale_high,
            "focus_area": "" if question.focus_area is None else str(question.focus_area),
            "required": "on" if question.required else ""}


def edit_question(request):
    survey = _survey(request, RESULTS)
    question = _question(request, survey)
    if request.method == "GET":
        return show_form(request, "surveys/question.html",
                         _detail_context(request, survey, _question_values(question), editing=question))
    require(request, MANAGE, survey)
    values = form_values(request, QUESTION_FIELDS)
    try:
        rules.save_question(request.app.state.platform, survey, values, actor_of(request).label, question)
    except RuleViolation as exc:
        return show_form(request, "surveys/question.html", _detail_context(request, survey, values, editing=question),
                         exc.by_field())
    return saved(f"/surveys/{survey.id}", "question-saved")


def remove_question(request):
    survey = _survey(request, MANAGE)
    question = _question(request, survey)
    try:
        rules.remove_question(survey, question, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "surveys/detail.html", _detail_context(request, survey), exc.by_field())
    return saved(f"/surveys/{survey.id}", "question-removed")


def open_survey(request):
    survey = _survey(request, MANAGE)
    try:
        rules.open_survey(request.app.state.platform, survey, actor_of(request).label, link_base(request))
    except RuleViolation as exc:
        return show_form(request, "surveys/detail.html", _detail_context(request, survey), exc.by_field())
    return saved(f"/surveys/{survey.id}", "survey-opened")


def close_survey(request):
    survey = _survey(request, MANAGE)
    try:
        rules.close_survey(survey, actor_of(request).label)
    except RuleViolation as exc:
        return show_form(request, "surveys/detail.html", _detail_context(request, survey), exc.by_field())
    return saved(f"/surveys/{survey.id}", "survey-closed")


# --- results ---------------------------------------------------------------------------------------

def results(request):
    survey = _survey(request, RESULTS)
    found = survey_results.survey_results(survey)
    by_key = request.query_params.get("by", "")[:40]
    by, groups = survey_results.breakdown(survey, by_key) if by_key and found.visible else (None, [])
    choice_questions = [(question.key, question.text) for question in
                        survey_results.questions_of([survey.id]) if question.kind in q.CHOICE_KINDS]
    return render(request, "surveys/results.html",
                  {"survey": survey, "found": found, "by": by, "groups": groups, "by_key": by_key,
                   "choice_questions": choice_questions, "min_group": survey_results.MIN_GROUP,
                   "kind_label": q.kind_label, "percent": svg_charts.percent}, headers=NO_STORE)


def compare(request):
    survey = _survey(request, RESULTS)
    return render(request, "surveys/compare.html",
                  {"survey": survey, "comparisons": survey_results.compare(survey),
                   "min_group": survey_results.MIN_GROUP, "percent": svg_charts.percent}, headers=NO_STORE)


def responses_file(request):
    survey = _survey(request, RESULTS)
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "xlsx"):
        raise HTTPException(404)
    table = exports.response_table(survey)
    if table is None:  # an anonymous survey with too few answers shows (and exports) nothing yet
        raise HTTPException(404)
    columns, rows = table
    name = f"survey-{survey.id}-{survey.year}-{datetime.date.today().isoformat()}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    locale = i18n.current_locale()
    if fmt == "csv":
        dialect = csv_writer.dialect_named(request.query_params.get("dialect"))
        if dialect is None:
            raise HTTPException(400, detail=gettext("Choose the dialect excel or machine"))
        return StreamingResponse(core_exports.csv_stream(columns, [rows], dialect, locale),
                                 media_type=csv_writer.MEDIA_TYPE, headers=headers)
    return StreamingResponse(core_exports.xlsx_stream(survey.title, columns, [rows], locale=locale),
                             media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             headers=headers)


# --- answering ---------------------------------------------------------------------------------------

def answer(request):
    actor = actor_of(request)
    survey_id = request.path_params["survey_id"]
    invitations = own_invitations(actor, survey_id)
    if not invitations:
        survey = tenancy.get_scoped(Survey, actor, RESULTS, Survey.id == survey_id) \
            if authz.can(actor, RESULTS) else None
        if survey is None:
            raise HTTPException(404)
        if request.method != "GET":  # staff see the form, never answer it
            from core.auth import web
            web.refuse(request, actor, ANSWER)
        return _answer_page(request, survey, None, preview=True)
    chosen = invitations[0]
    if len(invitations) > 1:  # a person in two invited associations says which one answers
        wanted = inputs.parse_id(request.query_params.get("organisation") or
                                 (request.state.form.get("organisation") if request.method != "GET" else ""))
        chosen = next((i for i in invitations if i.organisation_id == wanted), invitations[0])
    survey = chosen.survey
    if request.method == "GET":
        return _answer_page(request, survey, chosen, invitations=invitations)
    require(request, ANSWER, chosen)
    try:
        rules.submit_response(survey, chosen, request.state.form, actor.label)
    except RuleViolation as exc:
        return _answer_page(request, survey, chosen, invitations=invitations, errors=exc.by_field(),
                            form=request.state.form)
    return saved(f"/surveys/{survey.id}/answer", "answered") if len(invitations) == 1 else \
        saved("/surveys", "answered")


def _answer_page(request, survey: Survey, invitation, *, preview: bool = False, invitations=(), errors=None, form=None):
    asked = list(SurveyQuestion.select().where(SurveyQuestion.survey == survey.id)
                 .order_by(SurveyQuestion.position, SurveyQuestion.id))
    platform = request.app.state.platform
    programme_type = platform.programme_types.get(survey.programme.programme_type)
    focus_titles = {area.number: str(area.title) for area in getattr(programme_type, "focus_areas", ())}
    today = datetime.date.today()
    is_open = survey.status == "open" and (survey.closes_on is None or survey.closes_on >= today)
    context = {"survey": survey, "questions": asked, "invitation": invitation, "invitations": invitations,
               "preview": preview, "is_open": is_open, "choices": q.choices, "field_name": q.field_name,
               "focus_titles": focus_titles, "form": form, "errors": errors or {},
               "error_fields": list(errors or {})}
    return render(request, "surveys/answer.html", context, status_code=422 if errors else 200, headers=NO_STORE)


def routes():
    survey = "/surveys/{survey_id:id}"
    return [
        page("/surveys", index, name="surveys", permission=READ),
        page("/surveys/new", new, name="surveys_new", methods=("GET", "POST"), permission=MANAGE),
        page(survey, detail, name="survey", permission=RESULTS),
        page(survey + "/questions", add_question, name="survey_question_add", methods=("POST",), permission=MANAGE),
        page(survey + "/questions/{survey_question_id:id}", edit_question, name="survey_question",
             methods=("GET", "POST"), permission=RESULTS),
        page(survey + "/questions/{survey_question_id:id}/remove", remove_question, name="survey_question_remove",
             methods=("POST",), permission=MANAGE),
        page(survey + "/open", open_survey, name="survey_open", methods=("POST",), permission=MANAGE),
        page(survey + "/close", close_survey, name="survey_close", methods=("POST",), permission=MANAGE),
        page(survey + "/results", results, name="survey_results", permission=RESULTS),
        page(survey + "/compare", compare, name="survey_compare", permission=RESULTS),
        page(survey + "/responses.{fmt}", responses_file, name="survey_responses", permission=RESULTS),
        page(survey + "/answer", answer, name="survey_answer", methods=("GET", "POST"), permission=READ),
    ]
