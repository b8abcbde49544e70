"""Applications: started for an organisation (prefilled from its profile), answered, submitted
(the programme type's criteria and the call's questions checked, a late one refused),
reviewed by consultants, decided with who, when and why, and the applicant told.

draft → submitted → under_review → accepted / rejected; withdrawn from any open state.
Accepting makes the partnership agreement in the same transaction (``core.rules.agreements``).
"""
from __future__ import annotations

import datetime
import logging
import re
from typing import Any

from core import clock, events, inputs
from core.db import database
from core.i18n import Message, format_date, gettext as _
from core.models import audit
from core.models.account import Account
from core.models.application import OPEN_STATUSES, Application, ApplicationAnswer, Review
from core.models.call import Call, CallQuestion
from core.models.organisation import Organisation
from core.rules import checks
from core.rules.calls import programme_type_of
from core.rules.errors import Collector, Problem, RuleViolation

log = logging.getLogger("partnerskab.applications")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DECISIONS = ("accept", "reject")


def criterion_key(criterion) -> str:
    return f"criterion:{criterion.key}"


def question_key(question: CallQuestion) -> str:
    return f"question:{question.id}"


def answers_of(application: Application) -> dict[str, str]:
    return {row.key: row.value for row in ApplicationAnswer.select().where(ApplicationAnswer.application == application.id)}


def _check_open(call: Call, today: datetime.date, field: str, problems: Collector) -> None:
    state = call.state(today)
    if state == "closed":
        problems.add(field, "The call closed on %(date)s: applications can no longer be submitted",
                     date=call.closes_on)
    elif state == "upcoming":
        problems.add(field, "The call opens on %(date)s", date=call.opens_on)


def start_application(platform, *, call: Call, organisation: Organisation, actor: str, account: Account | None = None,
                      today: datetime.date | None = None) -> Application:
    """A draft for an organisation, prefilled from its profile; one per organisation and call."""
    problems = Collector()
    _check_open(call, today or datetime.date.today(), "call", problems)
    if organisation.deleted_at is not None:
        problems.add("organisation", "The organisation does not exist")
    problems.raise_if_any()
    with database.atomic():
        existing = Application.get_or_none(call=call.id, organisation=organisation.id)
        if existing is not None:
            raise RuleViolation.one("organisation", "%(organisation)s has already applied to this call",
                                    organisation=organisation.name)
        application = Application.create(
            call=call.id, organisation=organisation.id, description=organisation.description[:5000],
            contact_email=organisation.email, contact_phone=organisation.phone, created_by=account)
        audit.record(actor, "application.create", application, scope=f"programme:{call.programme_id}",
                     after={"call": call.id, "organisation": organisation.id})
    return application


def _asked(platform, application: Application):
    """The criteria with a question, and the call's extra questions, in order."""
    programme_type = programme_type_of(platform, application.call.programme)
    criteria = [c for c in programme_type.criteria if c.question is not None]
    questions = list(CallQuestion.select().where(CallQuestion.call == application.call_id).order_by(CallQuestion.position))
    return criteria, questions


def save_answers(platform, application: Application, data: dict[str, Any], *, actor: str) -> Application:
    """Keep what the applicant typed (a draft may be incomplete: nothing is required yet)."""
    if application.status != "draft":
        raise RuleViolation.one("status", "Only a draft can be changed")
    problems = Collector()
    criteria, questions = _asked(platform, application)
    description = str(data.get("description") or "").strip()
    if len(description) > 5000:
        problems.add("description", "At most %(max)s characters", max=5000)
    email = str(data.get("contact_email") or "").strip()
    if email and (len(email) > 200 or not _EMAIL.match(email)):
        problems.add("contact_email", "'%(value)s' is not an email address", value=email[:200])
    phone = str(data.get("contact_phone") or "").strip()
    if len(phone) > 40:
        problems.add("contact_phone", "At most %(max)s characters", max=40)
    answers: dict[str, str] = {}
    for key in [criterion_key(c) for c in criteria] + [question_key(q) for q in questions]:
        value = str(data.get(key) or "").strip()
        if len(value) > 5000:
            problems.add(key, "At most %(max)s characters", max=5000)
        answers[key] = value
    problems.raise_if_any()
    with database.atomic():
        Application.update(description=description, contact_email=email, contact_phone=phone,
                           updated_at=clock.now()).where(Application.id == application.id).execute()
        for key, value in answers.items():
            (ApplicationAnswer.insert(application=application.id, key=key, value=value)
             .on_conflict(conflict_target=[ApplicationAnswer.application, ApplicationAnswer.key],
                          update={ApplicationAnswer.value: value}).execute())
        audit.record(actor, "application.save", application, scope=f"programme:{application.call.programme_id}")
    application.description, application.contact_email, application.contact_phone = description, email, phone
    return application


def eligibility_problems(platform, application: Application) -> list[Problem]:
    """Each failed blocking criterion, each unanswered criterion or required question, with its
    own message: what stops a submission."""
    criteria, questions = _asked(platform, application)
    answers = answers_of(application)
    problems: list[Problem] = []
    for criterion in criteria:
        value = answers.get(criterion_key(criterion))
        message = criterion.check(value)
        if message is not None and (criterion.blocks or not criterion.answered(value)):
            problems.append(Problem(criterion_key(criterion), message))
    for question in questions:
        if question.required and not answers.get(question_key(question), "").strip():
            problems.append(Problem(question_key(question),
                                    Message("Answer the question: %(question)s", question=question.text)))
    if not application.contact_email:
        problems.append(Problem("contact_email", Message("Give an email address we can answer you at")))
    return problems


def flagged_criteria(platform, application: Application, answers: dict[str, str] | None = None) -> list[Problem]:
    """The selection criteria (``Criterion(..., blocks=False)``) an answer misses: they do not
    stop a submission; the reviewers and the decider weigh them, so the page shows them."""
    criteria, _questions = _asked(platform, application)
    answers = answers_of(application) if answers is None else answers
    flagged: list[Problem] = []
    for criterion in criteria:
        value = answers.get(criterion_key(criterion))
        if criterion.blocks or not criterion.answered(value):
            continue
        message = criterion.check(value)
        if message is not None:
            flagged.append(Problem(criterion_key(criterion), message))
    return flagged


def submit(platform, application: Application, *, actor: str, account: Account | None = None,
           now: datetime.datetime | None = None) -> Application:
    """Submit a draft: refused after the closing date, and with a message per failed criterion."""
    now = clock.as_utc(now) if now else clock.now()  # a caller's naive moment is UTC
    problems = Collector()
    if application.status != "draft":
        raise RuleViolation.one("status", "Only a draft can be submitted")
    _check_open(application.call, now.date(), "call", problems)
    problems.problems.extend(eligibility_problems(platform, application))
    with database.atomic():
        checks.run(platform, "application.submit", programme=application.call.programme,
                   organisation_id=application.organisation_id, actor=actor, problems=problems,
                   values={"answers": answers_of(application)}, row=application)
        problems.raise_if_any()
        updated = (Application.update(status="submitted", submitted_at=now, submitted_by=account, updated_at=now)
                   .where(Application.id == application.id, Application.status == "draft").execute())
        if not updated:
            raise RuleViolation.one("status", "Only a draft can be submitted")
        flagged = [problem.field for problem in flagged_criteria(platform, application)]
        audit.record(actor, "application.submit", application, scope=f"programme:{application.call.programme_id}",
                     after={"status": "submitted", **({"flagged": flagged} if flagged else {})})
        events.emit("application.submitted", application, actor, call=application.call_id,
                    programme=application.call.programme_id, organisation=application.organisation_id)
    application.status, application.submitted_at = "submitted", now
    return application


def withdraw(application: Application, *, actor: str) -> Application:
    if application.status not in OPEN_STATUSES:
        raise RuleViolation.one("status", "A decided or withdrawn application cannot be withdrawn")
    with database.atomic():
        before = application.status
        Application.update(status="withdrawn", updated_at=clock.now()).where(Application.id == application.id).execute()
        audit.record(actor, "application.withdraw", application, scope=f"programme:{application.call.programme_id}",
                     before={"status": before}, after={"status": "withdrawn"})
    application.status = "withdrawn"
    return application


def review(application: Application, *, reviewer: Account, score, comment: str, actor: str) -> Review:
    """A consultant's score (1–5) and comment; reviewing moves a submitted application under review."""
    problems = Collector()
    if application.status not in ("submitted", "under_review"):
        raise RuleViolation.one("status", "Only a submitted application can be reviewed")
    value = inputs.parse_int(score, "score", Collector(), minimum=1, maximum=5)
    if value is None:
        problems.add("score", "Give a score from 1 to 5")
    comment = str(comment or "").strip()
    if len(comment) > 5000:
        problems.add("comment", "At most %(max)s characters", max=5000)
    problems.raise_if_any()
    with database.atomic():
        row = Review.get_or_none(application=application.id, reviewer=reviewer.id)
        if row is None:
            row = Review.create(application=application.id, reviewer=reviewer.id, score=value, comment=comment)
        else:
            row.score, row.comment, row.updated_at = value, comment, clock.now()
            row.save()
        if application.status == "submitted":
            Application.update(status="under_review", updated_at=clock.now()).where(Application.id == application.id).execute()
            application.status = "under_review"
        audit.record(actor, "application.review", application, scope=f"programme:{application.call.programme_id}",
                     after={"reviewer": reviewer.id, "score": value})
    return row


def decide(platform, application: Application, *, decision: str, reason: str, actor: str,
           account: Account | None = None, start_date=None, consultant_id=None, confirm_end=None,
           now: datetime.datetime | None = None, notify: bool = True):
    """Accept (making the agreement) or reject, recording who, when and why; then tell the applicant.

    An agreement the programme's end cuts short of the type's term (four years from a start late
    in the programme may leave one month) is never made silently: the decision is refused on the
    field ``confirm_end`` with the resulting end and why, until ``confirm_end`` repeats that end
    date (ISO), which the page asks the decider to confirm.

    Returns the agreement when accepted, else None.
    """
    from core.rules import agreements
    from core.rules.registry import parse_date
    now = clock.as_utc(now) if now else clock.now()  # a caller's naive moment is UTC
    problems = Collector()
    if application.status not in ("submitted", "under_review"):
        raise RuleViolation.one("status", "Only a submitted application can be decided")
    if decision not in DECISIONS:
        problems.add("decision", "Choose to accept or to reject")
    reason = str(reason or "").strip()
    if not reason:
        problems.add("reason", "Give the reason for the decision: the applicant is told")
    elif len(reason) > 5000:
        problems.add("reason", "At most %(max)s characters", max=5000)
    programme = application.call.programme
    start = None
    if decision == "accept":
        programme_type = programme_type_of(platform, programme)
        if start_date in (None, "") and programme_type.fixed_period:
            start = programme_type.fixed_period[0]
        else:
            start = parse_date(start_date, "start_date", problems)
        term = agreements.term_for(platform, programme, start) if start else None
        if (term is not None and term.cut_short and term.end >= start
                and str(confirm_end or "").strip() != term.end.isoformat()):
            if programme_type.agreement_years:
                problems.add("confirm_end", "The agreement would end on %(end)s, when the programme ends, and not "
                                            "after the programme type's %(years)s years (on %(natural)s): confirm "
                                            "the shorter agreement, or choose another start date",
                             end=term.end.isoformat(), years=str(programme_type.agreement_years),
                             natural=term.natural_end.isoformat())
            else:
                problems.add("confirm_end", "The agreement would end on %(end)s, when the programme ends, and not "
                                            "on %(natural)s as the programme type gives: confirm the shorter "
                                            "agreement, or choose another start date",
                             end=term.end.isoformat(), natural=term.natural_end.isoformat())
    if problems.problems or decision != "accept":
        problems.raise_if_any()
    agreement = None
    status = "accepted" if decision == "accept" else "rejected"
    with database.atomic():
        checks.run(platform, "application.decide", programme=programme, organisation_id=application.organisation_id,
                   actor=actor, problems=problems, values={"decision": status, "start_date": start},
                   row=application)
        problems.raise_if_any()
        updated = (Application.update(status=status, decided_by=account, decided_by_label=actor[:200], decided_at=now,
                                      decision_reason=reason, updated_at=now)
                   .where(Application.id == application.id, Application.status.in_(["submitted", "under_review"]))
                   .execute())
        if not updated:
            raise RuleViolation.one("status", "Only a submitted application can be decided")
        if decision == "accept":
            agreement = agreements.create_agreement(
                platform, programme=programme, organisation=application.organisation, start_date=start,
                application=application, consultant_id=consultant_id, actor=actor, problems=problems)
        audit.record(actor, f"application.{status}", application, scope=f"programme:{programme.id}",
                     after={"status": status, "reason": reason, "decided_at": now,
                            "agreement": agreement.id if agreement else None})
        events.emit("application.decided", application, actor, decision=status, programme=programme.id,
                    organisation=application.organisation_id, agreement=agreement.id if agreement else None)
    application.status, application.decided_at, application.decision_reason = status, now, reason
    application.decided_by = account
    if notify:
        _notify(platform, application, status, reason, agreement)
    return agreement


def _notify(platform, application: Application, status: str, reason: str, agreement) -> None:
    """Tell the applicant (the person who submitted, else the application's contact address)."""
    recipients = []
    if application.submitted_by_id:
        submitter = Account.get_or_none(Account.id == application.submitted_by_id)
        if submitter is not None:
            recipients.append(submitter.email)
    if application.contact_email and application.contact_email.lower() not in recipients:
        recipients.append(application.contact_email)
    if not recipients:
        return
    call, organisation = application.call, application.organisation
    if status == "accepted":
        subject = _("Your application has been accepted: %(call)s") % {"call": call.title}
        body = _("The application from %(organisation)s to %(call)s has been accepted.\n\nReason: %(reason)s\n\n"
                 "The partnership agreement runs %(start)s – %(end)s.") % {
            "organisation": organisation.name, "call": call.title, "reason": reason,
            "start": format_date(agreement.start_date), "end": format_date(agreement.end_date)}
    else:
        subject = _("Decision on your application: %(call)s") % {"call": call.title}
        body = _("The application from %(organisation)s to %(call)s has not been accepted.\n\nReason: %(reason)s") % {
            "organisation": organisation.name, "call": call.title, "reason": reason}
    try:
        from core import mail
    except ImportError:  # pragma: no cover - the mail module arrives with the accounts work
        log.warning("no mail module: application %s decided without telling %s", application.id, recipients)
        return
    for to in recipients:
        try:
            mail.send(platform, to=to, subject=subject, body=body)
        except Exception:  # the decision stands; the operator sees the failure in the log
            log.exception("could not tell %s about the decision on application %s", to, application.id)
