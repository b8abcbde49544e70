"""The catalogue for citizens, over HTTP: the search and its filters on the demo offers, an
offer's page with how to join, the district view, the print view, the calendar, and what the
public never sees (drafts, ended offers, offers not checked for 12 months)."""
from __future__ import annotations

import re

from tests.plugins.catalogue.conftest import DANISH, ENGLISH, offer_id

ROSKILDE = "0265"
LISTED = re.compile(r'<h2><a href="/offers/(\d+)(?:\?back=[^"]*)?">([^<]+)</a></h2>')


def titles(html: str) -> list[str]:
    return [title.replace("&#39;", "'").replace("&amp;", "&") for _, title in LISTED.findall(html)]


def found(http, **params) -> list[str]:
    response = http.get("/offers", params=params, headers=ENGLISH)
    assert response.status_code == 200, response.text
    return titles(response.text)


def test_a_free_saturday_activity_for_a_14_year_old_in_roskilde(http):
    assert found(http, municipality=ROSKILDE, age="14", weekday="6", free="1") == [
        "Håndbold lørdag morgen for 13–15-årige", "Streetbasket lørdag for unge"]
    # and in one district of it
    page = http.get("/offers", params={"municipality": ROSKILDE}, headers=ENGLISH).text
    himmelev = re.search(r'<option value="(\d+)">Himmelev</option>', page).group(1)
    assert found(http, municipality=ROSKILDE, district=himmelev, age="14", weekday="6", free="1") == [
        "Håndbold lørdag morgen for 13–15-årige"]
    # the age is checked against the offer's range: nobody of 30 plays in the under-18 teams
    assert found(http, municipality=ROSKILDE, age="30", weekday="6", free="1") == []


def test_offers_for_the_elderly(http):
    listed = found(http, target_group="elderly", municipality=ROSKILDE)
    assert "Stolegymnastik for seniorer" in listed and "It-hjælp for seniorer" in listed
    assert "Seniorklub med sang og foredrag" not in listed  # not checked for 12 months
    assert "Streetbasket lørdag for unge" not in listed
    assert "Stolegymnastik for seniorer" in found(http, age="70")


def test_words_are_found_in_any_danish_spelling(http):
    for spelling in ("håndbold", "haandbold", "handbold", "HÅNDBOLD"):
        assert "Håndbold lørdag morgen for 13–15-årige" in found(http, q=spelling), spelling
    # a prefix, and the organisation's name, find it too
    assert "Streetbasket lørdag for unge" in found(http, q="streetbask")
    assert "Basket for piger 12–16" in found(http, q="RBBC")
    assert found(http, q="zzqqxxnothing") == []


def test_for_volunteers_and_online(http):
    volunteer = found(http, volunteer="1")
    assert {"Frivillig ungetræner", "Bliv besøgsven"} <= set(volunteer)
    assert "Streetbasket lørdag for unge" not in volunteer
    assert "Online samtalegruppe for pårørende" in found(http, online="1")


def test_the_public_never_sees_drafts_or_stale_offers(http):
    everything = found(http)
    for hidden in ("Håndbold for de mindste (upubliceret udkast)", "Brydning for begyndere",
                   "Weekendfodbold for 14–17-årige"):
        assert hidden not in everything
        assert hidden not in found(http, q=hidden.split()[0])
        assert http.get(f"/offers/{offer_id(hidden)}", headers=ENGLISH).status_code == 404
        assert http.get(f"/offers/{offer_id(hidden)}/calendar.ics").status_code == 404


def test_an_offers_page_says_how_to_join(http):
    number = offer_id("Håndbold lørdag morgen for 13–15-årige")
    response = http.get(f"/offers/{number}", headers=ENGLISH)
    assert response.status_code == 200
    text = response.text
    assert '<h2 id="join-heading">How to join</h2>' in text
    assert "Mød op i hallen med indendørssko og en drikkedunk." in text
    assert "every Saturday 09:30–11:00" in text
    assert "Himmelev" in text and "Free" in text
    assert "KFUM’s Boldklub Roskilde" in text  # the association it runs the offer with
    danish = http.get(f"/offers/{number}", headers=DANISH).text
    assert "Sådan kommer du med" in danish and "Gratis" in danish and "How to join" not in danish


def test_the_list_in_danish(http):
    text = http.get("/offers", params={"municipality": ROSKILDE, "weekday": "6"}, headers=DANISH).text
    assert "<h1>Aktiviteter og tilbud</h1>" in text
    assert "lørdag" in text.lower()
    assert "Saturday" not in text


def test_the_district_view(http):
    text = http.get("/offers/districts", params={"municipality": ROSKILDE}, headers=ENGLISH).text
    for district in ("Himmelev", "Sønderlund", "Roskilde Midtby"):
        assert district in text
    assert "Håndbold lørdag morgen for 13–15-årige" in text
    assert "Brydning for begyndere" not in text  # stale
    # nothing from the internet: no tiles, no scripts from elsewhere
    assert "tile" not in text.lower() and "<script src=\"http" not in text


def test_the_print_view_lists_how_to_join_for_each_offer(http):
    params = {"municipality": ROSKILDE, "age": "14", "weekday": "6", "free": "1"}
    text = http.get("/offers/print", params=params, headers=ENGLISH).text
    assert "Håndbold lørdag morgen for 13–15-årige" in text and "Streetbasket lørdag for unge" in text
    assert "Mød op i hallen med indendørssko og en drikkedunk." in text
    assert "Mød bare op i træningstøj." in text
    assert "catalogue.css" in text


def test_the_calendar_of_a_weekly_offer(http):
    number = offer_id("Streetbasket lørdag for unge")
    response = http.get(f"/offers/{number}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    body = response.text
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.rstrip().endswith("END:VCALENDAR")
    assert "RRULE:FREQ=WEEKLY;BYDAY=SA" in body
    assert "SUMMARY:Streetbasket lørdag for unge" in body
    assert "DTSTART;TZID=Europe/Copenhagen:" in body and "T110000" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))  # folded as RFC 5545 says


def test_bad_search_input_is_ignored_not_an_error(http):
    for params in ({"age": "abc"}, {"age": "-3"}, {"weekday": "9"}, {"district": "x"}, {"target_group": "<b>"},
                   {"municipality": "9999"}, {"after": "abc"}, {"q": "\"'*:&|!()"}, {"q": "a" * 500}):
        response = http.get("/offers", params=params, headers=ENGLISH)
        assert response.status_code == 200, params
    # a page beyond the last goes to the last
    response = http.get("/offers", params={"page": "999"}, headers=ENGLISH, follow_redirects=False)
    assert response.status_code == 303
    assert http.get("/offers/999999999", headers=ENGLISH).status_code == 404
