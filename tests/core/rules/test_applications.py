"""The application rules: criteria checked per criterion at submission, late and early
submissions refused, reviews, decisions with who/when/why, and nothing half-written."""
from __future__ import annotations

import datetime

import pytest

from core.models.agreement import Agreement
from core.models.application import Application, Review
from core.models.membership import Membership
from core.programme_types import Criterion
from core.rules import applications, calls
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import COPENHAGEN_TYPE, ROSKILDE_TYPE, SLAGELSE_TYPE


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the rules' messages in English (the platform's default is Danish)."""
    from core.i18n import locale_context
    with locale_context("en"):
        yield


TODAY = datetime.date.today()
GOOD = {"contact_email": "a@b.example", "criterion:min_members_under_25": "150",
        "criterion:vulnerable_urban_areas": "yes", "criterion:experience": "3"}


def make_call(platform, programme, **dates):
    data = {"title": "Round", "opens_on": TODAY - datetime.timedelta(days=1),
            "closes_on": TODAY + datetime.timedelta(days=10), **dates}
    return calls.create_call(platform, programme=programme, data=data, actor="test")


def draft(platform, build, programme_type=COPENHAGEN_TYPE, **call_dates):
    programme = build.programme(programme_type, start=datetime.date(2020, 1, 1), end=None)
    call = make_call(platform, programme, **call_dates)
    organisation = build.organisation(email="club@example.org", description="We play football")
    return applications.start_application(platform, call=call, organisation=organisation, actor="test",
                                          today=call.opens_on)


def test_criterion_checks_use_their_parameters():
    members = Criterion("m", "Members", {"min_members_under_25": 100}, question="How many?")
    assert members.check("100") is None and members.check(" 250 ") is None
    assert "at least 100" in str(members.check("99"))
    assert "is not a whole number" in str(members.check("many"))
    assert "Answer the question: How many?" == str(members.check(""))
    yes = Criterion("y", "In the areas", question="Are you?", answer="yes_no")
    assert yes.check("yes") is None and "requires this" in str(yes.check("no"))
    text = Criterion("t", "Goals", question="Your goals?", answer="text")
    assert text.check("Many") is None and text.check("  ") is not None
    assert Criterion("p", "Assessed by people").check(None) is None  # nothing asked, nothing checked
    with pytest.raises(ValueError):
        Criterion("x", "x", answer="colour")


def test_the_draft_is_prefilled_from_the_profile(platform, build):
    application = draft(platform, build)
    assert (application.status, application.contact_email, application.description) == (
        "draft", "club@example.org", "We play football")


def test_each_failed_criterion_has_its_own_message(platform, build):
    application = draft(platform, build, SLAGELSE_TYPE)  # the local partnerships' criteria are gates
    applications.save_answers(platform, application, {"contact_email": "a@b.example",
                                                      "criterion:voluntary_organisation": "no",
                                                      "criterion:include_young_people": ""}, actor="test")
    with pytest.raises(RuleViolation) as refused:
        applications.submit(platform, application, actor="test")
    fields = refused.value.by_field()
    assert set(fields) == {"criterion:voluntary_organisation", "criterion:include_young_people"}
    assert "requires this" in fields["criterion:voluntary_organisation"][0]
    assert "Answer the question" in fields["criterion:include_young_people"][0]
    assert Application.get_by_id(application.id).status == "draft"


def test_a_criterion_says_whether_it_blocks_or_flags(platform):
    members = Criterion("m", "Members", {"min_members_under_25": 100}, question="How many?")
    assert members.blocks
    weighed = Criterion("m", "Members", {"min_members_under_25": 100}, question="How many?", blocks=False)
    assert not weighed.blocks and weighed.answered(" 50 ") and not weighed.answered("  ")
    social = platform.programme_types[COPENHAGEN_TYPE]
    assert [c.blocks for c in social.criteria] == [False, False, False]  # the report's selection criteria
    assert all(c.blocks for c in platform.programme_types[SLAGELSE_TYPE].criteria)


def test_selection_criteria_flag_instead_of_blocking(platform, build):
    """An association with 50 members can apply to Copenhagen: the missed criteria are flagged for
    the reviewers (and recorded with the submission), an unanswered question still stops it."""
    application = draft(platform, build)
    applications.save_answers(platform, application, {**GOOD, "criterion:min_members_under_25": "50",
                                                      "criterion:experience": "1",
                                                      "criterion:vulnerable_urban_areas": ""}, actor="test")
    with pytest.raises(RuleViolation) as refused:
        applications.submit(platform, application, actor="test")
    assert set(refused.value.by_field()) == {"criterion:vulnerable_urban_areas"}  # unanswered
    assert Application.get_by_id(application.id).status == "draft"
    applications.save_answers(platform, application, {**GOOD, "criterion:min_members_under_25": "50",
                                                      "criterion:experience": "1",
                                                      "criterion:vulnerable_urban_areas": "no"}, actor="test")
    applications.submit(platform, application, actor="test")
    assert Application.get_by_id(application.id).status == "submitted"
    flagged = {problem.field: str(problem.message) for problem in applications.flagged_criteria(platform, application)}
    assert set(flagged) == {"criterion:min_members_under_25", "criterion:experience",
                            "criterion:vulnerable_urban_areas"}
    assert "you answered 50" in flagged["criterion:min_members_under_25"]
    from core.models import AuditEntry
    entry = (AuditEntry.select().where(AuditEntry.action == "application.submit",
                                       AuditEntry.object_id == str(application.id)).get())
    assert "criterion:min_members_under_25" in entry.after
    with pytest.raises(RuleViolation, match="Only a draft"):
        applications.save_answers(platform, application, GOOD, actor="test")


def test_late_and_early_submissions_are_refused(platform, build):
    application = draft(platform, build)
    applications.save_answers(platform, application, GOOD, actor="test")
    call = application.call
    late = datetime.datetime.combine(call.closes_on + datetime.timedelta(days=1), datetime.time(9))
    with pytest.raises(RuleViolation, match="The call closed on"):
        applications.submit(platform, application, actor="test", now=late)
    early = datetime.datetime.combine(call.opens_on - datetime.timedelta(days=1), datetime.time(9))
    with pytest.raises(RuleViolation, match="The call opens on"):
        applications.submit(platform, application, actor="test", now=early)
    # the last day counts
    applications.submit(platform, application, actor="test",
                        now=datetime.datetime.combine(call.closes_on, datetime.time(23, 59)))
    assert application.status == "submitted"


def test_one_application_per_organisation_and_call(platform, build):
    application = draft(platform, build)
    with pytest.raises(RuleViolation, match="has already applied"):
        applications.start_application(platform, call=application.call, organisation=application.organisation,
                                       actor="test")


def test_review_then_reject_records_who_when_why(platform, build, dbconn):
    from core.models.account import Account
    application = draft(platform, build)
    applications.save_answers(platform, application, GOOD, actor="test")
    applications.submit(platform, application, actor="test")
    reviewer = Account.get(Account.email == "kbh-konsulent@partnerskab.test")
    with pytest.raises(RuleViolation, match="score from 1 to 5"):
        applications.review(application, reviewer=reviewer, score="9", comment="", actor="test")
    applications.review(application, reviewer=reviewer, score="3", comment="ok", actor="test")
    applications.review(application, reviewer=reviewer, score="4", comment="better", actor="test")
    assert [(r.score, r.comment) for r in Review.select().where(Review.application == application.id)] == [(4, "better")]
    assert application.status == "under_review"
    decider = Account.get(Account.email == "kbh-admin@partnerskab.test")
    assert applications.decide(platform, application, decision="reject", reason="Too small", actor="test",
                               account=decider, notify=False) is None
    stored = Application.get_by_id(application.id)
    assert (stored.status, stored.decision_reason, stored.decided_by_id) == ("rejected", "Too small", decider.id)
    assert stored.decided_at is not None
    with pytest.raises(RuleViolation, match="Only a submitted application"):
        applications.decide(platform, stored, decision="accept", reason="changed my mind", actor="test")


def test_accepting_makes_the_agreement_or_nothing(platform, build):
    application = draft(platform, build, ROSKILDE_TYPE)
    applications.save_answers(platform, application, {"contact_email": "a@b.example",
                                                      "criterion:adult_education_association": "yes",
                                                      "criterion:new_to_association_life": "Open doors"}, actor="test")
    applications.submit(platform, application, actor="test")
    # a start outside the fixed period: refused, and the application is not accepted either
    with pytest.raises(RuleViolation, match="Agreements of this programme run"):
        applications.decide(platform, application, decision="accept", reason="Fine", actor="test",
                            start_date="2025-01-01", notify=False)
    assert Application.get_by_id(application.id).status == "submitted"
    assert not Agreement.select().where(Agreement.application == application.id).exists()
    agreement = applications.decide(platform, application, decision="accept", reason="Fine", actor="test", notify=False)
    assert (agreement.start_date, agreement.end_date, agreement.cohort) == (
        datetime.date(2021, 1, 1), datetime.date(2023, 12, 31), 2021)
    assert Membership.get(Membership.programme == agreement.programme_id,
                          Membership.organisation == application.organisation_id).role == "partner"


def test_withdrawn_applications_stay_withdrawn(platform, build):
    application = draft(platform, build, SLAGELSE_TYPE)
    applications.withdraw(application, actor="test")
    with pytest.raises(RuleViolation):
        applications.withdraw(application, actor="test")
    with pytest.raises(RuleViolation, match="Only a draft can be changed"):
        applications.save_answers(platform, application, {}, actor="test")


def test_calls_check_their_dates(platform, build):
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2020, 1, 1), end=None)
    with pytest.raises(RuleViolation) as refused:
        calls.create_call(platform, programme=programme, actor="test",
                          data={"title": "", "opens_on": "2026-05-01", "closes_on": "2026-04-01"})
    assert set(refused.value.by_field()) == {"title", "closes_on"}
    with pytest.raises(RuleViolation, match="is not a date"):
        calls.create_call(platform, programme=programme, actor="test",
                          data={"title": "x", "opens_on": "soon", "closes_on": "2026-04-01"})


def submitted_local_partnership(platform, build, end=datetime.date(2026, 12, 31)):
    programme = build.programme(SLAGELSE_TYPE, start=datetime.date(2023, 1, 1), end=end)
    call = make_call(platform, programme)
    application = applications.start_application(platform, call=call, organisation=build.organisation(),
                                                 actor="test", today=call.opens_on)
    applications.save_answers(platform, application, {"contact_email": "a@b.example",
                                                      "criterion:voluntary_organisation": "yes",
                                                      "criterion:include_young_people": "yes"}, actor="test")
    applications.submit(platform, application, actor="test", now=datetime.datetime.combine(call.opens_on,
                                                                                           datetime.time(12)))
    return application


def test_an_agreement_the_programme_cuts_short_is_never_made_silently(platform, build):
    """Four years from 1 December 2026 end with the programme after one month: the decision is
    refused with the resulting end and why until the decider confirms that very end date."""
    application = submitted_local_partnership(platform, build)
    with pytest.raises(RuleViolation) as refused:
        applications.decide(platform, application, decision="accept", reason="Joins", actor="test",
                            start_date="2026-12-01", notify=False)
    message = refused.value.by_field()["confirm_end"][0]
    assert "end on 2026-12-31, when the programme ends" in message
    assert "4 years (on 2030-11-30)" in message
    assert Application.get_by_id(application.id).status == "submitted"
    assert not Agreement.select().where(Agreement.application == application.id).exists()
    # a confirmation of another end (an older start date's) does not count
    with pytest.raises(RuleViolation, match="confirm the shorter agreement"):
        applications.decide(platform, application, decision="accept", reason="Joins", actor="test",
                            start_date="2026-12-01", confirm_end="2026-11-30", notify=False)
    agreement = applications.decide(platform, application, decision="accept", reason="Joins", actor="test",
                                    start_date="2026-12-01", confirm_end="2026-12-31", notify=False)
    assert (agreement.start_date, agreement.end_date) == (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))


def test_a_full_term_needs_no_confirmation(platform, build):
    application = submitted_local_partnership(platform, build, end=datetime.date(2031, 12, 31))
    agreement = applications.decide(platform, application, decision="accept", reason="Joins", actor="test",
                                    start_date="2026-12-01", notify=False)
    assert agreement.end_date == datetime.date(2030, 11, 30)


def test_the_term_says_what_cut_it():
    from core.rules.agreements import Term
    assert Term(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31), datetime.date(2030, 11, 30)).cut_short
    assert not Term(datetime.date(2024, 1, 1), datetime.date(2027, 12, 31), datetime.date(2027, 12, 31)).cut_short
    assert not Term(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31), None).cut_short
