"""A survey answered through the API by question key, once, through the same rule as the form;
an anonymous survey's results hidden under 5 answers there too."""
from __future__ import annotations

from tests.core.api.conftest import api, token_for  # noqa: F401  (the fixture)
from tests.plugins.network import make_network
from tests.plugins.surveys.helpers import make_survey


def test_a_survey_answered_through_the_api(platform, api):  # noqa: F811
    network = make_network(platform, 2)
    survey = make_survey(platform, network, anonymous=True)
    a, b = network.organisations
    person = api(token_for(network.people[0]))
    path = f"/api/v1/surveys/{survey.id}/responses"
    bad = person.post(path, json={"organisation_id": a.id, "answers": {"samarbejde": "perhaps"}})
    assert bad.status_code == 422
    answered = person.post(path, json={"organisation_id": a.id, "answers": {
        "samarbejde": "godt", "udfordringer": ["foraeldre", "fastholdelse"], "succes": {"io1": "stor"}}})
    assert answered.status_code == 201 and answered.json() == {"survey_id": survey.id, "organisation_id": a.id,
                                                               "answered": True}
    assert person.post(path, json={"organisation_id": a.id, "answers": {"samarbejde": "godt"}}).status_code in (409, 422)
    assert person.post(path, json={"organisation_id": b.id, "answers": {"samarbejde": "godt"}}).status_code == 404
    results = api(token_for(network.staff)).get(f"/api/v1/surveys/{survey.id}/results").json()
    assert (results["invited"], results["answered"], results["visible"], results["questions"]) == (2, 1, False, [])
