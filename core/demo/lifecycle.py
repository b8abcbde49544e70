"""Demo data for the programme lifecycle: calls, applications in every state, agreements,
resource persons and handover notes, made through the same rules as the pages, and found
again by their natural keys so a second ``partnerskab demo`` changes nothing.

Plugins describe their municipality's rounds with these helpers (in their ``load_demo_data``);
dates in the past are passed explicitly, so a historic round (e.g. applications submitted in
2020) goes through the same checks as today's.
"""
from __future__ import annotations

import datetime

from core import clock
from core.demo import ACTOR
from core.models.account import Account
from core.models.agreement import Agreement
from core.models.application import Application
from core.models.call import Call
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.models.resource_person import ResourcePerson
from core.rules import agreements, applications, calls, resource_persons


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=clock.UTC)


def _account(email: str | None) -> Account | None:
    return Account.get_or_none(Account.email == email) if email else None


def _label(account: Account | None) -> str:
    return f"account:{account.id}:{account.email}" if account is not None else ACTOR


class LifecycleDemo:
    def __init__(self, platform):
        self.platform = platform

    def call(self, programme: Programme, title: str, opens_on: datetime.date, closes_on: datetime.date,
             description: str = "", questions: tuple[str, ...] = ()) -> Call:
        existing = Call.get_or_none(Call.programme == programme.id, Call.title == title)
        if existing:
            return existing
        return calls.create_call(self.platform, programme=programme, actor=ACTOR, data={
            "title": title, "description": description, "opens_on": opens_on, "closes_on": closes_on,
            "questions": list(questions)})

    def application(self, call: Call, organisation: Organisation, status: str, *, answers: dict[str, str],
                    submitted_on: datetime.date | None = None, applicant: str | None = None,
                    reviews: tuple[tuple[str, int, str], ...] = (), decided_on: datetime.date | None = None,
                    decider: str | None = None, reason: str = "", start_date: datetime.date | None = None,
                    consultant: str | None = None) -> Application:
        """An application taken as far as ``status`` (draft, submitted, under_review, accepted,
        rejected, withdrawn); ``answers`` by criterion key or extra-question position ('1', '2')."""
        existing = Application.get_or_none(Application.call == call.id, Application.organisation == organisation.id)
        if existing:
            return existing
        platform = self.platform
        account = _account(applicant)
        application = applications.start_application(platform, call=call, organisation=organisation,
                                                      actor=_label(account), account=account, today=call.opens_on)
        data = {"description": application.description,
                "contact_email": application.contact_email or f"kontakt@{organisation.slug[:40]}.example",
                "contact_phone": application.contact_phone}
        questions = {str(q.position): q for q in call.questions}
        for key, value in answers.items():
            data[f"question:{questions[key].id}" if key in questions else f"criterion:{key}"] = value
        applications.save_answers(platform, application, data, actor=_label(account))
        if status == "draft":
            return application
        if status == "withdrawn" and submitted_on is None:
            applications.withdraw(application, actor=_label(account))
            return application
        applications.submit(platform, application, actor=_label(account), account=account, now=_at(submitted_on))
        for email, score, comment in reviews:
            reviewer = _account(email)
            if reviewer is not None:
                applications.review(application, reviewer=reviewer, score=score, comment=comment,
                                    actor=_label(reviewer))
        if status == "withdrawn":
            applications.withdraw(application, actor=_label(account))
        elif status in ("accepted", "rejected"):
            deciding = _account(decider)
            consultant_account = _account(consultant)
            # the demo knowingly accepts an agreement the programme's end cuts short (it says so in its data)
            confirm_end = agreements.default_end(platform, call.programme, start_date) if start_date else None
            applications.decide(platform, application, decision="accept" if status == "accepted" else "reject",
                                reason=reason, actor=_label(deciding), account=deciding, start_date=start_date,
                                consultant_id=consultant_account.id if consultant_account else None,
                                confirm_end=confirm_end.isoformat() if confirm_end else None,
                                now=_at(decided_on), notify=False)
        return application

    def agreement(self, programme: Programme, organisation: Organisation, start_date: datetime.date, *,
                  consultant: str | None = None, extend_to: datetime.date | None = None,
                  extension_reason: str = "", renew_until: datetime.date | None = None) -> Agreement:
        """An agreement recorded without an application (a partner from before the platform);
        ``renew_until``: extended term by term until it runs past that day (see ``renew``)."""
        existing = (Agreement.select().where(Agreement.programme == programme.id,
                                             Agreement.organisation == organisation.id)
                    .order_by(Agreement.start_date).first())
        if existing is None:
            consultant_account = _account(consultant)
            existing = agreements.create_agreement(
                self.platform, programme=programme, organisation=organisation, start_date=start_date, actor=ACTOR,
                consultant_id=consultant_account.id if consultant_account else None)
            if renew_until is not None:
                self.renew(existing, renew_until, extension_reason)
            if extend_to is not None and extend_to > existing.end_date:
                agreements.extend_agreement(self.platform, existing, new_end=extend_to, reason=extension_reason,
                                            actor=ACTOR)
        return existing

    def renew(self, agreement: Agreement, until: datetime.date, reason: str) -> None:
        """Extend an agreement by the programme type's term, one extension a term (as a programme
        extends after each round of status meetings), until it runs past ``until``; once only."""
        if agreement.extensions.exists():
            return
        programme_type = self.platform.programme_types[agreement.programme.programme_type]
        while agreement.end_date <= until:
            new_end = programme_type.agreement_end(agreement.end_date + datetime.timedelta(days=1))
            agreements.extend_agreement(self.platform, agreement, new_end=new_end, reason=reason, actor=ACTOR)

    def agreement_of(self, application: Application) -> Agreement | None:
        return Agreement.get_or_none(Agreement.application == application.id)

    def resource_persons(self, agreement: Agreement | None,
                         people: tuple[tuple[str, str, int, datetime.date, str], ...]) -> None:
        """People in order (name, email, hours, started on, handover note for them); each after
        the first takes over from the one before, with the note."""
        if agreement is None or ResourcePerson.select().where(ResourcePerson.agreement == agreement.id).exists():
            return
        for name, email, hours, started_on, note in people:
            resource_persons.appoint(self.platform, agreement, {
                "name": name, "email": email, "hours_per_week": str(hours), "started_on": started_on,
                "adult": "yes", "handover_note": note}, actor=ACTOR)
