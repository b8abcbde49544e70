"""The yearly counts' rules on a real database: whole numbers from 0, one value per metric,
organisation and year (a correction replaces it and is audited with the value before), the
±30 % note, the consultant's check, and a new metric without a change of schema."""
from __future__ import annotations

import datetime
import json

import pytest

from core.models import AuditEntry
from core.rules.errors import RuleViolation
from plugins.membership_counts import rules
from plugins.membership_counts.models import CountSetting, MemberCount
from tests.plugins.network import TYPE, make_network

METRIC = "members_under_25"
TODAY = datetime.date.today()
LAST_YEAR = TODAY.year - 1


@pytest.fixture
def organisation(platform):
    return make_network(platform, 1).organisations[0]


def _enter(organisation, year, value, note=""):
    return rules.record_count(organisation, {"metric": METRIC, "year": str(year), "value": str(value), "note": note},
                              "test:counts", TODAY)


def _audit(row, action):
    return [entry for entry in AuditEntry.select().where(AuditEntry.action == action,
                                                         AuditEntry.object_type == "membercount",
                                                         AuditEntry.object_id == str(row.id)).order_by(AuditEntry.id)]


@pytest.mark.parametrize("previous, value, expected", [
    (None, 500, False), (100, 130, False), (100, 70, False), (100, 131, True), (100, 69, True),
    (0, 0, False), (0, 1, True), (1000, 1300, False), (1000, 1301, True)])
def test_a_change_beyond_30_per_cent_needs_a_note(previous, value, expected):
    assert rules.needs_note(previous, value) is expected


def test_change_in_per_cent_has_no_per_cent_of_nothing():
    assert rules.change_percent(200, 250) == 25
    assert rules.change_percent(200, 100) == -50
    assert rules.change_percent(0, 10) is None


@pytest.mark.parametrize("value", ["-1", "1.5", "tolv", "", "1000001"])
def test_a_count_is_a_whole_number_from_0(dbconn, organisation, value):
    with pytest.raises(RuleViolation) as caught:
        rules.record_count(organisation, {"metric": METRIC, "year": str(LAST_YEAR), "value": value}, "test", TODAY)
    assert "value" in caught.value.by_field()
    assert not MemberCount.select().where(MemberCount.organisation == organisation.id).exists()


def test_a_year_not_begun_and_a_metric_not_asked_are_refused(dbconn, organisation):
    with pytest.raises(RuleViolation) as caught:
        _enter(organisation, TODAY.year + 1, 10)
    assert "year" in caught.value.by_field()
    with pytest.raises(RuleViolation) as caught:
        rules.record_count(organisation, {"metric": "volunteers", "year": str(LAST_YEAR), "value": "4"}, "test", TODAY)
    assert "metric" in caught.value.by_field()
    assert not MemberCount.select().where(MemberCount.organisation == organisation.id).exists()


def test_zero_is_a_count_and_a_gap_is_not(dbconn, organisation):
    row, outcome = _enter(organisation, LAST_YEAR - 1, 0)
    assert outcome == "created" and row.value == 0
    # after a 0, any count is beyond ±30 %: it asks for a note
    with pytest.raises(RuleViolation) as caught:
        _enter(organisation, LAST_YEAR, 12)
    assert "note" in caught.value.by_field()


def test_the_30_per_cent_note_and_nothing_written_without_it(dbconn, organisation):
    _enter(organisation, LAST_YEAR - 1, 100)
    with pytest.raises(RuleViolation) as caught:
        _enter(organisation, LAST_YEAR, 140)
    message = " ".join(str(m) for m in caught.value.by_field()["note"])
    assert "30" in message and "100" in message and "140" in message
    assert not MemberCount.select().where(MemberCount.organisation == organisation.id,
                                          MemberCount.year == LAST_YEAR).exists()
    row, outcome = _enter(organisation, LAST_YEAR, 140, note="Et nyt pigehold")
    assert outcome == "created" and row.note == "Et nyt pigehold"
    _row, outcome = _enter(organisation, LAST_YEAR - 2, 60)  # no year before it: no note needed
    assert outcome == "created"


def test_a_correction_replaces_the_value_clears_the_check_and_is_audited(dbconn, organisation):
    row, _ = _enter(organisation, LAST_YEAR, 250)
    assert rules.check_counts([row], "test:consultant", TODAY) == 1
    assert MemberCount.get_by_id(row.id).checked_on == TODAY
    assert rules.check_counts([MemberCount.get_by_id(row.id)], "test:consultant", TODAY) == 0  # once
    again, outcome = _enter(organisation, LAST_YEAR, 260)
    assert outcome == "corrected" and again.id == row.id
    stored = list(MemberCount.select().where(MemberCount.organisation == organisation.id))
    assert [(r.year, r.value, r.checked_on) for r in stored] == [(LAST_YEAR, 260, None)], "one value per year"
    [created] = _audit(row, "membership_count.create")
    [checked] = _audit(row, "membership_count.check")
    [corrected] = _audit(row, "membership_count.correct")
    assert json.loads(created.after)["value"] == 250 and checked.actor == "test:consultant"
    assert json.loads(corrected.before)["value"] == 250 and json.loads(corrected.after)["value"] == 260
    assert json.loads(corrected.before)["checked_on"] == TODAY.isoformat()
    assert corrected.scope == f"organisation:{organisation.id}"
    _same, outcome = _enter(organisation, LAST_YEAR, 260)
    assert outcome == "unchanged" and len(_audit(row, "membership_count.correct")) == 1


def test_a_new_metric_is_a_setting_not_a_schema_change(dbconn, organisation):
    before = rules.settings_by_type().get(TYPE, [])
    try:
        rules.set_metrics({TYPE: {*before, "volunteers"}}, "test:admin")
        assert rules.metrics_of([organisation.id])[organisation.id] == [*before, "volunteers"]
        row, outcome = rules.record_count(organisation, {"metric": "volunteers", "year": str(LAST_YEAR), "value": "17"},
                                          "test", TODAY)
        assert outcome == "created" and row.metric == "volunteers"
        with pytest.raises(RuleViolation):
            rules.set_metrics({TYPE: {"children_names"}}, "test:admin")
    finally:
        rules.set_metrics({TYPE: set(before)}, "test:admin")
    assert not CountSetting.select().where(CountSetting.programme_type == TYPE,
                                           CountSetting.metric == "volunteers").exists()


def test_no_table_of_the_plugin_holds_a_person(platform):
    """Aggregates only: the plugin's tables have no column for a name, a birth date or an account."""
    mine = [model for model in platform.models if model.__module__.startswith("plugins.membership_counts")]
    assert {model._meta.table_name for model in mine} == {"membership_count", "membership_count_setting"}
    for model in mine:
        assert not set(model._meta.fields) & {"name", "first_name", "birth_date", "birthday", "cpr", "account",
                                              "person", "email", "age"}, model
