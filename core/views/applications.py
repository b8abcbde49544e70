"""Applications: the list a person may see, and an application's page, where the applicant
answers and submits, consultants score and comment, and the deciders accept or reject."""
from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz
from core.models.account import Account
from core.models.application import APPLICATION_STATUSES, Application, Review
from core.models.call import Call, CallQuestion
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.rules import agreements as agreement_rules, applications as rules
from core.rules.errors import RuleViolation
from core.tenancy import scoped
from core.web.pages import page_blocks, render
from core.web.routing import page


def _query():
    return (Application.select(Application, Call, Programme, Municipality, Organisation)
            .join(Call).join(Programme).join(Municipality)
            .switch(Application).join(Organisation))


def application_list(request):
    actor = request.state.actor
    status = request.query_params.get("status", "")
    query = scoped(_query(), Application, actor, "application.read")
    if status in APPLICATION_STATUSES:
        query = query.where(Application.status == status)
    else:
        status = ""
    rows = list(query.order_by(Application.updated_at.desc(), Application.id.desc()).limit(500))
    return render(request, "applications/list.html", {"applications": rows, "status": status,
                                                      "statuses": APPLICATION_STATUSES})


def _load(request, action: str = "application.read") -> Application:
    try:
        application_id = int(request.path_params["application_id"])
    except (KeyError, ValueError):
        raise HTTPException(404) from None
    application = scoped(_query(), Application, request.state.actor, action).where(
        Application.id == application_id).first()
    if application is None:
        raise HTTPException(404)
    return application


def application_page(request, application: Application, errors=None, form=None, status_code=200):
    platform = request.app.state.platform
    actor = request.state.actor
    programme = application.call.programme
    programme_type = platform.programme_types.get(programme.programme_type)
    criteria = [c for c in programme_type.criteria if c.question is not None] if programme_type else []
    assessed = [c for c in programme_type.criteria if c.question is None] if programme_type else []
    questions = list(CallQuestion.select().where(CallQuestion.call == application.call_id).order_by(CallQuestion.position))
    answers = rules.answers_of(application)
    if form:
        answers.update({k: v for k, v in form.items() if k.startswith(("criterion:", "question:"))})
    may_review = authz.can(actor, "application.review", programme)
    may_decide = authz.can(actor, "application.decide", programme)
    reviews = []
    if may_review or may_decide:
        reviews = list(Review.select(Review, Account).join(Account).where(Review.application == application.id)
                       .order_by(Review.created_at))
    agreement = None
    if application.status == "accepted":
        from core.models.agreement import Agreement
        agreement = Agreement.get_or_none(Agreement.application == application.id)
    decided_by = Account.get_or_none(Account.id == application.decided_by_id) if application.decided_by_id else None
    consultants = agreement_rules.consultants_for(programme) if may_decide else []
    context = {
        "application": application, "call": application.call, "programme": programme,
        "programme_type": programme_type, "criteria": criteria, "assessed": assessed, "questions": questions,
        "answers": answers, "form": form or {}, "errors": errors or {},
        "may_edit": application.status == "draft" and authz.can(actor, "application.submit", application),
        "may_withdraw": application.status in ("draft", "submitted", "under_review")
                        and authz.can(actor, "application.submit", application),
        "may_review": may_review and application.status in ("submitted", "under_review"),
        "may_decide": may_decide and application.status in ("submitted", "under_review"),
        "reviews": reviews, "my_review": next((r for r in reviews if actor.account and r.reviewer_id == actor.account.id), None),
        "consultants": consultants, "chosen_consultant": _chosen_consultant(form, consultants, reviews),
        "flagged": rules.flagged_criteria(platform, application, answers) if programme_type else [],
        "pending_end": _pending_end(platform, programme, form, errors),
        "agreement": agreement, "decided_by": decided_by, "state": application.call.state(),
        "organisation": application.organisation,
    }
    context["blocks"] = page_blocks(request, "application", context)
    return render(request, "applications/detail.html", context, status_code=status_code)


def _chosen_consultant(form, consultants, reviews) -> str:
    """The consultant the decide form shows chosen: the one the decider picked, else the
    programme's consultant who reviewed the application (who knows it best), else none."""
    if form and "consultant" in form:
        return str(form["consultant"])
    ids = {c.id for c in consultants}
    return next((str(r.reviewer_id) for r in reviews if r.reviewer_id in ids), "")


def _pending_end(platform, programme, form, errors):
    """The shortened end a decider is asked to confirm (after a refusal on ``confirm_end``)."""
    if not errors or "confirm_end" not in errors:
        return None
    from core.rules.errors import Collector
    from core.rules.registry import parse_date
    programme_type = platform.programme_types.get(programme.programme_type)
    raw = (form or {}).get("start_date") or (programme_type.fixed_period[0] if programme_type and
                                              programme_type.fixed_period else None)
    start = parse_date(raw, "start_date", Collector()) if raw else None
    return agreement_rules.term_for(platform, programme, start).end if start else None


def application_detail(request):
    return application_page(request, _load(request))


def _form(request) -> dict[str, str]:
    return {key: str(value) for key, value in request.state.form.items()}


def application_save(request):
    platform = request.app.state.platform
    actor = request.state.actor
    application = _load(request, "application.submit")
    data = _form(request)
    try:
        rules.save_answers(platform, application, data, actor=actor.label)
        if data.get("action") == "submit":
            rules.submit(platform, application, actor=actor.label, account=actor.account)
    except RuleViolation as exc:
        return application_page(request, _load(request), exc.by_field(), data, 400)
    return RedirectResponse(f"/applications/{application.id}", status_code=303)


def application_withdraw(request):
    actor = request.state.actor
    application = _load(request, "application.submit")
    try:
        rules.withdraw(application, actor=actor.label)
    except RuleViolation as exc:
        return application_page(request, application, exc.by_field(), status_code=400)
    return RedirectResponse(f"/applications/{application.id}", status_code=303)


def application_review(request):
    actor = request.state.actor
    application = _load(request, "application.review")
    if not authz.can(actor, "application.review", application.call.programme):
        raise HTTPException(404)
    data = _form(request)
    try:
        rules.review(application, reviewer=actor.account, score=data.get("score"), comment=data.get("comment", ""),
                     actor=actor.label)
    except RuleViolation as exc:
        return application_page(request, application, exc.by_field(), data, 400)
    return RedirectResponse(f"/applications/{application.id}#reviews", status_code=303)


def application_decide(request):
    platform = request.app.state.platform
    actor = request.state.actor
    application = _load(request, "application.decide")
    if not authz.can(actor, "application.decide", application.call.programme):
        raise HTTPException(404)
    data = _form(request)
    try:
        agreement = rules.decide(platform, application, decision=data.get("decision", ""),
                                 reason=data.get("reason", ""), actor=actor.label, account=actor.account,
                                 start_date=data.get("start_date") or None, consultant_id=data.get("consultant") or None,
                                 confirm_end=data.get("confirm_end") or None)
    except RuleViolation as exc:
        return application_page(request, _load(request), exc.by_field(), data, 400)
    if agreement is not None:
        return RedirectResponse(f"/agreements/{agreement.id}", status_code=303)
    return RedirectResponse(f"/applications/{application.id}", status_code=303)


def routes():
    return [
        page("/applications", application_list, name="applications", permission="application.read"),
        page("/applications/{application_id:id}", application_detail, name="application",
             permission="application.read"),
        page("/applications/{application_id:id}", application_save, name="application_save", methods=("POST",),
             permission="application.submit"),
        page("/applications/{application_id:id}/withdraw", application_withdraw, name="application_withdraw",
             methods=("POST",), permission="application.submit"),
        page("/applications/{application_id:id}/review", application_review, name="application_review",
             methods=("POST",), permission="application.review"),
        page("/applications/{application_id:id}/decide", application_decide, name="application_decide",
             methods=("POST",), permission="application.decide"),
    ]
