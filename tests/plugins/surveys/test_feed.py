"""Closed surveys' results as a federation feed kind: per question and option the number of
respondents, counts from 1 to 4 suppressed (and what would reveal them), free texts and numbers
never shared; every item passes the kind's own validation."""
from __future__ import annotations

from plugins.federation.suppression import is_small
from plugins.surveys import feed


def test_the_copenhagen_survey_is_published_with_small_counts_hidden(dbconn):
    published = {key: data for key, (_m, data) in feed.compute().items()}
    key = "0101:kobenhavn-sociale-partnerskaber:foreningsundersoegelse:2021:samarbejde_konsulent"
    item = published[key]
    counts = {option["key"]: option["count"] for option in item["options"]}
    assert item["respondents"] == 25 and counts["altid_godt"] == 16
    assert counts["nogle_gange"] is None, "1 answer is suppressed"
    hidden = [k for k, v in counts.items() if v is None]
    assert len(hidden) >= 2, "a single hidden cell could be worked out from the total: another hides with it"
    assert not any(k.endswith(":kommentar") or k.endswith(":timer_ressourceperson") for k in published), \
        "free texts and numbers stay home"
    assert any(k.endswith(":succes_indsatsomraader:io3") for k in published), "a matrix per row"
    for data in published.values():
        assert not is_small(data["respondents"])
        assert not any(is_small(option["count"]) for option in data["options"])
        assert feed.validate(data)["options"] == data["options"]
