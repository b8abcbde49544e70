"""The local partnerships' lifecycle (Slagelse and Hillerød share the national model): the
volunteer centre's coordinator opens a call; a local association's board member applies and
must say yes to both criteria; the coordinator reviews and accepts, confirming the shorter agreement
when the programme ends before four years are over (never silently); a contact person's change
needs a handover note."""
from __future__ import annotations

import datetime

from core import db
from core.models.agreement import Agreement
from core.models.membership import Membership
from tests.core.views._lifecycle import (PASSWORD, TODAY, make_account, make_organisation, make_programme, open_call,
                                         problems, question_field, start_application, status_of)


def run(platform, people, *, type_key: str, municipality: str, centre_slug: str, coordinator: str):
    programme = make_programme(platform, type_key, municipality, owner_slug=centre_slug,
                               end=TODAY + datetime.timedelta(days=700))
    association = make_organisation(platform, "Eksempelforening test", municipality)
    board = make_account("board_member", organisation=association.slug, name="Bodil Bestyrelse")
    staff, applicant = people(coordinator), people(board, PASSWORD)

    call_id = open_call(staff, programme)
    application_id = start_application(applicant, call_id, association)
    path = f"/applications/{application_id}"
    extra = question_field(applicant.get(path))
    answers = {"contact_email": "bodil@forening.example", "criterion:voluntary_organisation": "yes",
               "criterion:include_young_people": "no", extra: "Training and volunteering"}
    refused = applicant.post(path, path, {**answers, "action": "submit"}, expect=400)
    assert "Will open its community to young people aged 16–24 in vulnerable positions – the programme requires this" \
        in problems(refused.text)
    # an empty answer to the extra question is refused too, by its own words
    refused = applicant.post(path, path, {**answers, "criterion:include_young_people": "yes", extra: "",
                                          "action": "submit"}, expect=400)
    assert "Answer the question: What will the young people do with you?" in problems(refused.text)
    applicant.post(path, path, {**answers, "criterion:include_young_people": "yes", "action": "submit"})
    assert status_of(applicant, application_id) == "Submitted"

    # the coordinator reviews (then it waits for a decision) and accepts
    staff.post(path, f"{path}/review", {"score": "5", "comment": "Good bridge for young people"})
    assert path in staff.get("/todo")
    # four years from today outlast the programme: the page says where the agreement would end and why,
    # and asks for a confirmation of that end before it makes the shorter agreement
    decision = {"decision": "accept", "reason": "Joins the partnership", "start_date": TODAY.isoformat()}
    expected_end = min(platform.programme_types[type_key].agreement_end(TODAY), programme.end_date)
    assert expected_end == programme.end_date < platform.programme_types[type_key].agreement_end(TODAY)
    asked = staff.post(path, f"{path}/decide", decision, expect=400)
    assert (f"The agreement would end on {expected_end.isoformat()}, when the programme ends, and not after the "
            "programme type's 4 years") in problems(asked.text)
    assert f'name="confirm_end" value="{expected_end.isoformat()}"' in asked.text
    assert 'value="Joins the partnership"' in asked.text or ">Joins the partnership</textarea>" in asked.text
    with db.connection():
        assert not Agreement.select().where(Agreement.application == application_id).exists()
    response = staff.post(path, f"{path}/decide", {**decision, "confirm_end": expected_end.isoformat()})
    agreement_path = response.headers["location"]
    with db.connection():
        agreement = Agreement.get(Agreement.application == application_id)
        assert (agreement.start_date, agreement.end_date, agreement.cohort) == (TODAY, expected_end, TODAY.year)
        assert agreement.yearly_grant_ore is None
        # the association is now a partner in the network, so its sign-on fee can be recorded
        member = Membership.get(Membership.programme == programme.id, Membership.organisation == association.id)
        assert member.role == "partner"
    # local partnerships' agreements cannot be extended
    staff.post(agreement_path, f"{agreement_path}/extend", {"new_end": expected_end.isoformat(), "reason": "x"},
               expect=400)

    # a contact person, then a change with a handover note; the kit shows them
    person = {"name": "Kim Kontakt", "hours_per_week": "6", "started_on": TODAY.isoformat(), "adult": "yes"}
    applicant.post(agreement_path, f"{agreement_path}/resource-person", person)
    later = (TODAY + datetime.timedelta(days=10)).isoformat()
    applicant.post(agreement_path, f"{agreement_path}/resource-person",
                   {"name": "Lise Ny", "hours_per_week": "6", "started_on": later, "adult": "yes",
                    "handover_note": "The young people meet on Thursdays in the club house."})
    kit = staff.get(agreement_path)
    assert "The young people meet on Thursdays" in kit and "from Kim Kontakt" in kit
    assert "Bodil Bestyrelse" in kit

    # a rejection records the reason and tells the applicant
    other = make_organisation(platform, "Eksempelforening afvist", municipality)
    other_board = make_account("board_member", organisation=other.slug)
    other_applicant = people(other_board, PASSWORD)
    other_id = start_application(other_applicant, call_id, other)
    other_path = f"/applications/{other_id}"
    other_extra = question_field(other_applicant.get(other_path))
    other_applicant.post(other_path, other_path, {
        "contact_email": "x@forening.example", "criterion:voluntary_organisation": "yes",
        "criterion:include_young_people": "yes", other_extra: "Chess", "action": "submit"})
    staff.post(other_path, f"{other_path}/decide", {"decision": "reject", "reason": "No activities for the age group"})
    assert status_of(other_applicant, other_id) == "Rejected"
    assert "No activities for the age group" in other_applicant.get(other_path)
    return programme
