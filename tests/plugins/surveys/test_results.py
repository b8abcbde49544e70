"""The traps of counting a survey, on a real database: a multiple choice counted as a share of
the respondents (not of the answers), results and breakdown groups under 5 hidden, the same
question compared year on year by its key (not its position or wording), and answering once."""
from __future__ import annotations

import pytest

from core.rules.errors import RuleViolation
from plugins.surveys import exports, results
from plugins.surveys.models import Survey, SurveyQuestion
from tests.plugins.network import make_network
from tests.plugins.surveys.helpers import QUESTIONS, TODAY, answer, make_survey


def _by_key(found):
    return {one.question.key: one for one in found.results}


def test_a_multiple_choice_is_a_share_of_the_respondents_not_of_the_answers(platform, dbconn):
    network = make_network(platform, 4)
    survey = make_survey(platform, network, anonymous=False)
    a, b, c, d = network.organisations
    answer(survey, a, {"samarbejde": "godt", "udfordringer": ["foraeldre", "frivillige", "fastholdelse"]})
    answer(survey, b, {"samarbejde": "godt", "udfordringer": ["foraeldre"]})
    answer(survey, c, {"samarbejde": "mest", "udfordringer": ["frivillige"]})
    answer(survey, d, {"samarbejde": "godt"})  # skipped the multiple choice: not a respondent to it
    found = results.survey_results(Survey.get_by_id(survey.id))
    assert (found.rate.invited, found.rate.answered, found.respondents) == (4, 4, 4)
    challenges = _by_key(found)["udfordringer"]
    assert challenges.respondents == 3
    shares = {option.key: (option.count, option.share) for option in challenges.options}
    # of the 3 respondents, not of the 5 ticks: 2/3, 2/3, 1/3 — adding up to more than 100 %
    assert shares == {"foraeldre": (2, 66.7), "frivillige": (2, 66.7), "fastholdelse": (1, 33.3)}
    assert sum(share for _count, share in shares.values()) > 100
    single = {option.key: (option.count, option.share) for option in _by_key(found)["samarbejde"].options}
    assert single == {"godt": (3, 75.0), "mest": (1, 25.0), "daarligt": (0, 0.0)}


def test_every_kind_is_counted(platform, dbconn):
    network = make_network(platform, 2)
    survey = make_survey(platform, network, anonymous=False)
    a, b = network.organisations
    answer(survey, a, {"samarbejde": "godt", "flere": "yes", "tilfreds": 4, "timer": 20, "kommentar": "Fint",
                       "succes": {"io1": "stor", "io2": "lille"}})
    answer(survey, b, {"samarbejde": "mest", "flere": "dont_know", "tilfreds": 2, "timer": 30,
                       "succes": {"io1": "stor"}})
    found = _by_key(results.survey_results(Survey.get_by_id(survey.id)))
    assert {o.key: o.count for o in found["flere"].options} == {"yes": 1, "no": 0, "dont_know": 1}
    assert found["tilfreds"].numbers["mean"] == 3 and {o.key: o.count for o in found["tilfreds"].options}["4"] == 1
    assert found["timer"].numbers == {"n": 2, "sum": 50, "mean": 25, "median": 25, "min": 20, "max": 30}
    assert found["kommentar"].texts == ["Fint"] and found["kommentar"].respondents == 1
    rows = {row.key: (row.respondents, {o.key: o.count for o in row.options}) for row in found["succes"].rows}
    assert rows == {"io1": (2, {"stor": 2, "lille": 0}), "io2": (1, {"stor": 0, "lille": 1})}


def test_an_anonymous_survey_shows_nothing_under_5_answers_and_breakdowns_hide_small_groups(platform, dbconn):
    network = make_network(platform, 7)
    survey = make_survey(platform, network, anonymous=True)
    orgs = network.organisations
    for organisation, cooperation in zip(orgs[:4], ["godt", "godt", "godt", "mest"]):
        answer(survey, organisation, {"samarbejde": cooperation, "udfordringer": ["foraeldre"]})
    found = results.survey_results(Survey.get_by_id(survey.id))
    assert found.respondents == 4 and not found.visible and found.results == []
    assert exports.response_table(Survey.get_by_id(survey.id)) is None, "nor exported"
    for organisation, cooperation in zip(orgs[4:], ["godt", "godt", "mest"]):
        answer(survey, organisation, {"samarbejde": cooperation, "udfordringer": ["frivillige"]})
    found = results.survey_results(Survey.get_by_id(survey.id))
    assert found.visible and found.respondents == 7
    by, groups = results.breakdown(Survey.get_by_id(survey.id), "samarbejde")
    assert by.key == "samarbejde"
    shown = {group.key: (group.respondents, group.hidden) for group in groups}
    assert shown == {"godt": (5, False), "mest": (2, True), "daarligt": (0, True)}
    mest = next(group for group in groups if group.key == "mest")
    assert mest.results == [], "a hidden group carries no figures at all"
    godt = next(group for group in groups if group.key == "godt")
    challenges = next(one for one in godt.results if one.question.key == "udfordringer")
    assert {o.key: o.count for o in challenges.options} == {"foraeldre": 3, "frivillige": 2, "fastholdelse": 0}


def test_year_on_year_matches_questions_by_key(platform, dbconn):
    network = make_network(platform, 2)
    first = make_survey(platform, network, anonymous=False, year=TODAY.year - 1)
    a, b = network.organisations
    answer(first, a, {"samarbejde": "godt", "udfordringer": ["foraeldre"]})
    answer(first, b, {"samarbejde": "daarligt", "udfordringer": ["foraeldre", "frivillige"]})
    from plugins.surveys import rules
    rules.close_survey(Survey.get_by_id(first.id), "test")
    # next year: the same keys in another order and wording, one new option, one new question
    reordered = [dict(QUESTIONS[1], text="Which challenges do you meet?",
                      options=QUESTIONS[1]["options"] + "\nfaciliteter = Facility times"),
                 dict(QUESTIONS[0], text="The collaboration with the consultant?"),
                 {"key": "ny", "kind": "yes_no", "text": "A new question"}]
    second = make_survey(platform, network, anonymous=False, year=TODAY.year, questions=reordered)
    answer(second, a, {"samarbejde": "godt", "udfordringer": ["faciliteter"], "ny": "yes"})
    comparisons = {c.key: c for c in results.compare(Survey.get_by_id(second.id))}
    assert list(comparisons) == ["udfordringer", "samarbejde", "ny"]
    challenges = comparisons["udfordringer"]
    assert [year.survey.year for year in challenges.years] == [TODAY.year - 1, TODAY.year]
    last, this = challenges.years
    assert challenges.share(last, "foraeldre") == 100.0 and challenges.share(last, "frivillige") == 50.0
    assert challenges.share(this, "faciliteter") == 100.0 and challenges.share(this, "foraeldre") == 0.0
    assert challenges.share(last, "faciliteter") is None, "an option not offered last year is a gap, not 0"
    cooperation = comparisons["samarbejde"]
    assert cooperation.share(cooperation.years[0], "daarligt") == 50.0
    new = comparisons["ny"]
    assert new.years[0].result is None and new.share(new.years[0], "yes") is None
    assert challenges.chart is not None


def test_copying_last_years_survey_keeps_the_keys(platform, dbconn):
    network = make_network(platform, 1)
    first = make_survey(platform, network, year=TODAY.year - 1)
    second = make_survey(platform, network, year=TODAY.year, copy_from=first, open_it=False)
    keys = lambda survey: [question.key for question in SurveyQuestion.select().where(  # noqa: E731
        SurveyQuestion.survey == survey.id).order_by(SurveyQuestion.position)]
    assert keys(second) == keys(first) == [question["key"] for question in QUESTIONS]


def test_an_association_answers_once_and_bad_answers_write_nothing(platform, dbconn):
    network = make_network(platform, 1)
    survey = make_survey(platform, network, anonymous=False)
    organisation = network.organisations[0]
    from plugins.surveys.models import SurveyResponse
    for bad in ({"samarbejde": "maybe"}, {"samarbejde": "godt", "udfordringer": ["nope"]},
                {"samarbejde": "godt", "tilfreds": 9}, {"samarbejde": "godt", "timer": "mange"}, {"timer": 3}):
        with pytest.raises(RuleViolation):
            answer(survey, organisation, bad)
    assert SurveyResponse.select().where(SurveyResponse.survey == survey.id).count() == 0
    answer(survey, organisation, {"samarbejde": "godt"})
    with pytest.raises(RuleViolation):
        answer(survey, organisation, {"samarbejde": "mest"})
    assert SurveyResponse.select().where(SurveyResponse.survey == survey.id).count() == 1


def test_the_copenhagen_demo_survey_reproduces_the_reports_percentages(dbconn):
    from core.models.programme import Programme
    programme = Programme.get(Programme.slug == "kobenhavn-sociale-partnerskaber")
    survey = Survey.get(Survey.programme == programme.id, Survey.series == "foreningsundersoegelse", Survey.year == 2021)
    assert survey.status == "closed" and survey.anonymous and "illustrative" in survey.introduction
    found = results.survey_results(survey)
    assert (found.rate.invited, found.rate.answered) == (25, 25)
    by_key = _by_key(found)
    consultant = {o.key: o.share for o in by_key["samarbejde_konsulent"].options}
    assert consultant["altid_godt"] + consultant["mest_godt"] == 96.0, "96 % always or mostly good"
    more = {o.key: o.share for o in by_key["flere_udsatte"].options}
    assert (more["yes"], more["no"]) == (76.0, 12.0), "76 % got more vulnerable young people, 12 % did not"
    success = {row.key: {o.key: o.count for o in row.options} for row in by_key["succes_indsatsomraader"].rows}
    assert max(success, key=lambda row: success[row]["stor"]) == "io3", "most success with local collaborations"
    assert min(success, key=lambda row: success[row]["stor"]) == "io2", "least with recruiting volunteers"
    nxt = Survey.get(Survey.programme == programme.id, Survey.series == "foreningsundersoegelse", Survey.year == 2022)
    assert [c.key for c in results.compare(nxt)][:2] == ["samarbejde_konsulent", "flere_udsatte"]
