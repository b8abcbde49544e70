"""The rules of pathway counts as units: periods, the steps a programme type declares (Python
data and declared TOML, each checked), whole numbers from 0 to 100,000, and that the flows add
up within a period and from one period to the next."""
from __future__ import annotations

import datetime
import textwrap

import pytest

from core import declared, i18n
from core.programme_types import ProgrammeType
from core.rules.errors import Collector
from core.settings import ConfigError
from plugins.pathways import periods
from plugins.pathways.periods import Period
from plugins.pathways.rules import Flow, inconsistencies, parse_counts, stocks
from plugins.pathways.steps import Pathway, PathwayConfigError, Step, pathway_of

PATHWAY = Pathway("t", (Step("first_contact", "First contact"), Step("participant", "Participant"),
                        Step("co_developer", "Co-developer"), Step("volunteer", "Volunteer")), "half_year")
H1, H2, NEXT_H1 = Period(2025, 1), Period(2025, 2), Period(2026, 1)


def flows(**steps) -> dict[str, Flow]:
    return {key: Flow(*value) for key, value in steps.items()}


def messages(found) -> list[str]:
    with i18n.locale_context("en"):
        return [f"{p.period.key} {p.field}: {p.message}" for p in found]


# --- periods ---------------------------------------------------------------------------------------

def test_periods_are_half_years_or_years_as_the_pathway_says(platform):  # platform: the catalogues
    assert periods.parse("2025-H1", "half_year") == Period(2025, 1)
    assert periods.parse("2025", "year") == Period(2025)
    for text, kind in (("2025", "half_year"), ("2025-H1", "year"), ("2025-H3", "half_year"), ("25-H1", "half_year"),
                       ("1800-H1", "half_year"), ("", "year"), ("2025-H1; drop table", "half_year"), (None, "year")):
        assert periods.parse(text, kind) is None, (text, kind)
    assert (Period(2025, 2).start, Period(2025, 2).end) == (datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    assert Period(2025, 2).next() == Period(2026, 1) and Period(2025).next() == Period(2026)
    with i18n.locale_context("da"):
        assert Period(2025, 1).label() == "1. halvår 2025" and Period(2025, 2).short_label() == "2. halvår"
    with i18n.locale_context("en"):
        assert Period(2025, 2).label() == "Second half of 2025"


def test_the_periods_a_partner_may_report_run_from_the_programme_start_to_today():
    programme = type("P", (), {"start_date": datetime.date(2024, 3, 1), "end_date": datetime.date(2025, 12, 31)})
    assert periods.reportable(programme, "half_year", datetime.date(2025, 2, 1)) == \
        [Period(2025, 1), Period(2024, 2), Period(2024, 1)]
    assert periods.reportable(programme, "year", datetime.date(2030, 1, 1)) == [Period(2025), Period(2024)]
    assert periods.reportable(programme, "year", datetime.date(2024, 1, 1)) == []


# --- the steps, as programme-type data ----------------------------------------------------------------

def test_the_demo_programme_types_declare_their_pathways(platform):
    tuff = pathway_of(platform.programme_types["hillerod-tuff"])
    assert tuff.keys == ("first_contact", "participant", "co_developer", "volunteer")
    assert tuff.period_kind == "half_year"
    with i18n.locale_context("da"):
        assert list(tuff.names().values()) == ["Første kontakt", "Deltager", "Medudvikler", "Frivillig"]
    copenhagen = pathway_of(platform.programme_types["copenhagen-social-partnerships"])
    assert copenhagen.keys == ("introduction", "bridging", "fee_support", "retention")
    assert copenhagen.period_kind == "year"
    assert pathway_of(platform.programme_types["roskilde-social-partnership-associations"]) is None


@pytest.mark.parametrize("extra", [
    {"pathway_steps": ({"key": "only", "name": "One step"},)},
    {"pathway_steps": ({"key": "a1", "name": "A"}, {"key": "a1", "name": "Again"})},
    {"pathway_steps": ({"key": "Big Step", "name": "A"}, {"key": "b", "name": "B"})},
    {"pathway_steps": ({"name": "no key"}, {"key": "bb", "name": "B"})},
    {"pathway_steps": ({"key": "aa", "name": "A"}, {"key": "bb", "name": "B"}), "pathway_period": "month"},
])
def test_a_python_plugins_broken_pathway_is_named(extra):
    with pytest.raises(PathwayConfigError):
        pathway_of(ProgrammeType(key="broken", name="x", plugin="p", extra=extra))


TOML = """\
[programme_type]
key = "toml-pathway"
name.da = "Vej"
name.en = "Way"
pathway_period = "year"

[[programme_type.pathway_steps]]
key = "first_contact"
name.da = "Første kontakt"
name.en = "First contact"

[[programme_type.pathway_steps]]
key = "volunteer"
name.da = "Frivillig"
name.en = "Volunteer"
description.da = "Frivillig i foreningen"
description.en = "Volunteers in the association"
"""


def test_a_declared_toml_type_declares_its_pathway(tmp_path, platform):
    path = tmp_path / "way.toml"
    path.write_text(TOML, encoding="utf-8")
    declaration = declared.read(path, platform.target_groups, platform.programme_type_fields)
    pathway = pathway_of(declaration.programme_type)
    assert pathway.keys == ("first_contact", "volunteer") and pathway.period_kind == "year"
    with i18n.locale_context("en"):
        assert pathway.names() == {"first_contact": "First contact", "volunteer": "Volunteer"}
        assert str(pathway.steps[1].description) == "Volunteers in the association"


@pytest.mark.parametrize("change, expected", [
    (('pathway_period = "year"', 'pathway_period = "month"'),
     "line 5: programme_type.pathway_period: Unknown: month; choose from half_year, year"),
    (('key = "volunteer"', 'key = "first_contact"'),
     "line 13: programme_type.pathway_steps.1.key: The step first_contact is listed twice"),
    (('key = "volunteer"', 'key = "Volunteer!"'),
     "programme_type.pathway_steps.1.key: Use 2–40 lower-case letters"),
    (('name.en = "Volunteer"\n', ''), "programme_type.pathway_steps.1.name.en: This field is required"),
    (('description.en', 'colour'), "programme_type.pathway_steps.1.colour: Unknown field colour"),
])
def test_a_declared_pathway_with_a_mistake_is_refused_with_its_line(tmp_path, platform, change, expected):
    path = tmp_path / "way.toml"
    path.write_text(TOML.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        declared.read(path, platform.target_groups, platform.programme_type_fields)
    assert expected in str(caught.value)


def test_a_declared_pathway_of_one_step_is_refused(tmp_path, platform):
    path = tmp_path / "way.toml"
    path.write_text(TOML.split("[[programme_type.pathway_steps]]\nkey = \"volunteer\"")[0], encoding="utf-8")
    with pytest.raises(ConfigError, match="programme_type.pathway_steps: A pathway has from 2 to 12 steps"):
        declared.read(path, platform.target_groups, platform.programme_type_fields)


# --- whole numbers ----------------------------------------------------------------------------------

def test_counts_are_whole_numbers_from_0_to_100000(platform):
    raw = {"first_contact-entered": "12", "first_contact-moved_on": "-1", "first_contact-left": "2.5",
           "participant-entered": "١٢", "participant-moved_on": "", "participant-left": "100001",
           "co_developer-entered": " 7 ", "co_developer-moved_on": "0", "co_developer-left": "1_000",
           "volunteer-entered": "3", "volunteer-left": "0"}
    problems = Collector()
    parsed = parse_counts(PATHWAY, raw, problems)
    with i18n.locale_context("en"):
        found = {p.field: str(p.message) for p in problems.problems}
    assert found == {
        "first_contact-moved_on": "Give a number from 0 to 100000",
        "first_contact-left": "'2.5' is not a whole number",
        "participant-entered": "'١٢' is not a whole number",
        "participant-moved_on": "Enter a whole number",
        "participant-left": "Give a number from 0 to 100000",
        "co_developer-left": "'1_000' is not a whole number",
    }
    assert parsed["co_developer"] == Flow(7, 0, 0) and parsed["volunteer"] == Flow(3, 0, 0)


def test_nobody_moves_on_from_the_last_step(platform):
    problems = Collector()
    raw = {f"{s}-{m}": "0" for s in PATHWAY.keys for m in ("entered", "moved_on", "left")}
    raw["volunteer-moved_on"] = "2"
    parse_counts(PATHWAY, raw, problems)
    with i18n.locale_context("en"):
        assert [(p.field, str(p.message)) for p in problems.problems] == \
            [("volunteer-moved_on", "Volunteer is the last step: nobody moves on from it")]


# --- the flows add up ------------------------------------------------------------------------------------

GOOD = flows(first_contact=(12, 8, 2), participant=(9, 4, 1), co_developer=(4, 2, 0), volunteer=(2, 0, 0))


def test_flows_that_add_up_pass_and_carry_over():
    chain = {H1: GOOD, H2: flows(first_contact=(10, 6, 1), participant=(7, 5, 2), co_developer=(5, 3, 1),
                                 volunteer=(3, 0, 1))}
    assert inconsistencies(PATHWAY, chain) == []
    second = stocks(PATHWAY, chain)[H2]
    assert (second["first_contact"].before, second["first_contact"].at_step, second["first_contact"].after) == (2, 12, 5)
    # a period without a report carries everyone over unchanged
    gap = stocks(PATHWAY, {H1: GOOD, NEXT_H1: flows(first_contact=(0, 2, 0), participant=(2, 0, 0))})
    assert gap[NEXT_H1]["first_contact"].before == 2 and inconsistencies(
        PATHWAY, {H1: GOOD, NEXT_H1: flows(first_contact=(0, 2, 0), participant=(2, 0, 0))}) == []


def test_more_moving_on_and_leaving_than_were_at_a_step_is_refused(platform):
    found = messages(inconsistencies(PATHWAY, {H1: flows(first_contact=(5, 4, 2), participant=(4, 0, 0))}))
    assert found == ["2025-H1 first_contact-moved_on: First contact: moved on (4) and left (2) add up to more than the "
                     "young people at the step in First half of 2025: 5 (0 from before and 5 who entered)"]
    # the people from before count: the same in the next period is fine
    assert inconsistencies(PATHWAY, {H1: flows(first_contact=(5, 0, 0)),
                                     H2: flows(first_contact=(1, 4, 2), participant=(4, 0, 0))}) == []


def test_moving_on_means_entering_the_next_step(platform):
    found = messages(inconsistencies(PATHWAY, {H1: flows(first_contact=(10, 6, 0), participant=(5, 0, 0))}))
    assert found == ["2025-H1 first_contact-moved_on: First contact: 6 moved on, but only 5 entered the next step, "
                     "Participant, in First half of 2025: whoever moves on enters the next step"]


def test_leaving_alone_is_named_on_its_field():
    found = inconsistencies(PATHWAY, {H1: flows(participant=(1, 0, 3))})
    assert [p.field for p in found] == ["participant-left"]


def test_the_rule_names_every_problem_at_once():
    bad = flows(first_contact=(1, 3, 0), participant=(0, 2, 0), co_developer=(0, 0, 0), volunteer=(0, 0, 9))
    fields = sorted(p.field for p in inconsistencies(PATHWAY, {H1: bad}))
    assert fields == ["first_contact-moved_on", "first_contact-moved_on", "participant-moved_on",
                      "participant-moved_on", "volunteer-left"]
