"""Resource persons: hours against the type, adults only, a handover note on every change,
and the history kept."""
from __future__ import annotations

import datetime

import pytest

from core.models.resource_person import HandoverNote, ResourcePerson
from core.rules import agreements, resource_persons
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import COPENHAGEN_TYPE, ROSKILDE_TYPE


@pytest.fixture(autouse=True)
def english_messages():
    """These tests read the rules' messages in English (the platform's default is Danish)."""
    from core.i18n import locale_context
    with locale_context("en"):
        yield



def agreement_of(platform, build, programme_type, start):
    programme = build.programme(programme_type, start=start, end=None)
    return agreements.create_agreement(platform, programme=programme, organisation=build.organisation(),
                                       start_date=start, actor="test")


def person(**fields):
    return {"name": "Ali", "hours_per_week": "12", "started_on": "2021-01-01", "adult": "yes", **fields}


@pytest.mark.parametrize("hours, ok", [("9", False), ("10", True), ("12", True), ("13", False), ("x", False)])
def test_roskilde_hours(platform, build, hours, ok):
    agreement = agreement_of(platform, build, ROSKILDE_TYPE, datetime.date(2021, 1, 1))
    if ok:
        resource_persons.appoint(platform, agreement, person(hours_per_week=hours), actor="test")
    else:
        with pytest.raises(RuleViolation) as refused:
            resource_persons.appoint(platform, agreement, person(hours_per_week=hours), actor="test")
        assert "hours_per_week" in refused.value.by_field()


def test_copenhagen_needs_twenty_hours(platform, build):
    agreement = agreement_of(platform, build, COPENHAGEN_TYPE, datetime.date(2022, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        resource_persons.appoint(platform, agreement, person(hours_per_week="19", started_on="2022-01-01"), actor="t")
    assert "at least 20 hours a week, not 19" in refused.value.messages()[0]
    resource_persons.appoint(platform, agreement, person(hours_per_week="37", started_on="2022-01-01"), actor="t")


def test_a_change_needs_a_note_and_keeps_history(platform, build):
    agreement = agreement_of(platform, build, ROSKILDE_TYPE, datetime.date(2021, 1, 1))
    first = resource_persons.appoint(platform, agreement, person(name="First"), actor="test")
    with pytest.raises(RuleViolation) as refused:
        resource_persons.appoint(platform, agreement, person(name="Second", started_on="2022-01-01"), actor="test")
    assert "handover_note" in refused.value.by_field()
    assert ResourcePerson.get_by_id(first.id).ended_on is None  # nothing half-written
    with pytest.raises(RuleViolation, match="starts after that"):
        resource_persons.appoint(platform, agreement, person(name="Second", started_on="2021-01-01",
                                                             handover_note="n"), actor="test")
    second = resource_persons.appoint(platform, agreement, person(name="Second", started_on="2022-01-01",
                                                                  handover_note="Keys at the caretaker"), actor="test")
    assert ResourcePerson.get_by_id(first.id).ended_on == datetime.date(2021, 12, 31)
    note = HandoverNote.get(HandoverNote.agreement == agreement.id)
    assert (note.from_person_id, note.to_person_id, note.text) == (first.id, second.id, "Keys at the caretaker")


def test_adults_only_and_inside_the_agreement(platform, build):
    agreement = agreement_of(platform, build, ROSKILDE_TYPE, datetime.date(2021, 1, 1))
    with pytest.raises(RuleViolation) as refused:
        resource_persons.appoint(platform, agreement, person(adult="", started_on="2025-01-01", email="nope"),
                                 actor="test")
    assert set(refused.value.by_field()) == {"adult", "started_on", "email"}
