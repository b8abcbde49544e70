"""The organisation directory and an organisation's page, over real HTTP: full-text search,
filters, pagination, lenient reading of bad input, and what an organisation's page shows."""
from __future__ import annotations

import datetime
import re

import pytest

from core import db
from core.models import Organisation
from core.models.municipality import Municipality
from core.models.organisation import OrganisationTargetGroup
from plugins import roskilde
from tests.core.views._html import DANISH, ENGLISH, directory_results, main, status_total, table_rows

RBBC = "Roskilde Basketball Club (RBBC)"


def get(http, **params):
    response = http.get("/organisations", params=params, headers=ENGLISH, follow_redirects=True)
    assert response.status_code == 200, params
    return response.text


def names_in_db(*conditions) -> set[str]:
    with db.connection():
        return {o.name for o in Organisation.select().where(Organisation.deleted_at.is_null(), *conditions)}


def count_in_db(*conditions) -> int:
    with db.connection():
        return Organisation.select().where(Organisation.deleted_at.is_null(), *conditions).count()


def municipality_id(code: str) -> int:
    with db.connection():
        return Municipality.get(Municipality.code == code).id


# --- search --------------------------------------------------------------------------------------

def test_search_finds_a_word_in_the_name(http):
    names = directory_results(get(http, q="basketball"))
    assert RBBC in names
    assert {"Stevnsgade Basketball", "Hovedstadens Basketball Fællesskab"} <= set(names)
    assert all("basketball" in name.lower() for name in names), names


def test_search_words_are_prefixes_and_all_must_match(http):
    names = directory_results(get(http, q="basket rosk"))
    assert names == [RBBC]
    assert directory_results(get(http, q="BASKET Rosk")) == [RBBC]  # case does not matter
    assert RBBC not in directory_results(get(http, q="basket odense"))


def test_search_shows_the_query_back_and_counts(http):
    text = get(http, q="basket rosk")
    assert '<input id="q" name="q" type="search" value="basket rosk">' in text
    assert status_total(text) == 1


def test_search_folds_diacritics(http):
    # both backends fold the same way (core.folding.fold; the folded index of migration 0010)
    assert "Roskilde Håndbold" in directory_results(get(http, q="handbold"))
    assert "Roskilde Håndbold" in directory_results(get(http, q="håndbold"))
    assert "Roskilde Håndbold" in directory_results(get(http, q="haandbold"))
    assert "Roskilde Håndbold" in directory_results(get(http, q="HÅND rosk"))
    # ø, æ and å as Danes type them without the letters: o/oe, a/ae, a/aa
    for spelling in ("brønshøj", "bronshoj", "broenshoej", "BRØNSHOEJ", "brøn"):
        assert "Brønshøj Boldklub" in directory_results(get(http, q=spelling)), spelling


def test_search_reaches_the_description(http):
    # Socialstyrelsen's description names the grant; no organisation's name contains 'bevilgede'
    assert directory_results(get(http, q="bevilgede")) == ["Socialstyrelsen"]


def test_a_query_without_words_lists_everything(http):
    everything = status_total(get(http))
    assert everything == count_in_db()
    for q in ("", "   ", "***", '"', "--", "()"):
        assert status_total(get(http, q=q)) == everything, q


def test_no_match_says_so(http):
    text = get(http, q="zzzqqqxxx")
    assert directory_results(text) == []
    assert status_total(text) == 0
    assert "No organisations match" in main(text)


# --- filters -------------------------------------------------------------------------------------

def test_filter_by_municipality_code(http):
    text = get(http, municipality="0265")
    names = directory_results(text)
    expected = names_in_db(Organisation.municipality == municipality_id("0265"))
    assert status_total(text) == count_in_db(Organisation.municipality == municipality_id("0265"))
    assert len(names) == min(count_in_db(Organisation.municipality == municipality_id("0265")), 20)
    assert set(names) <= expected
    assert set(roskilde.ASSOCIATIONS) <= expected
    assert '<option value="0265" selected>' in text


def test_filter_by_kind(http):
    text = get(http, kind="school_institution")
    names = set(directory_results(text))
    assert names == names_in_db(Organisation.kind == "school_institution")
    assert {"Skoler i Roskilde Kommune", "SFO’er i Roskilde Kommune", "Fritidshjem i Roskilde Kommune"} <= names
    assert '<option value="school_institution" selected>' in text


def test_filter_by_target_group(http):
    text = get(http, target_group="youth_16_24")
    names = set(directory_results(text))
    with db.connection():
        expected = {row.organisation.name for row in OrganisationTargetGroup.select().where(
            OrganisationTargetGroup.target_group == "youth_16_24")}
    assert names and names <= expected and status_total(text) == len(expected)  # the first page of them
    centres = set(directory_results(get(http, target_group="youth_16_24", kind="volunteer_centre")))
    assert centres == {"Frivilligcenter Slagelse", "Frivilligcenter Hillerød"}


def test_filters_and_search_combine(http):
    names = set(directory_results(get(http, municipality="0265", kind="association")))
    assert names == names_in_db(Organisation.municipality == municipality_id("0265"),
                                Organisation.kind == "association")
    assert set(roskilde.ASSOCIATIONS) <= names
    assert directory_results(get(http, municipality="0101", q="basketball")) == [
        "Hovedstadens Basketball Fællesskab", "Stevnsgade Basketball"]
    assert directory_results(get(http, municipality="0265", kind="national_body")) == []


# --- pagination ----------------------------------------------------------------------------------

def test_pagination_of_copenhagen(http):
    expected = names_in_db(Organisation.municipality == municipality_id("0101"))
    assert len(expected) > 20  # the annex's 25 associations and the administration
    first = get(http, municipality="0101")
    second = get(http, municipality="0101", page="2")
    page1, page2 = directory_results(first), directory_results(second)
    assert len(page1) == 20
    total = count_in_db(Organisation.municipality == municipality_id("0101"))
    assert len(page2) == min(20, total - 20)
    assert not set(page1) & set(page2)
    assert page1 == sorted(page1) and max(page1) <= min(page2)  # ordered by name across pages
    if total <= 40 and total == len(expected):
        assert set(page1) | set(page2) == expected
    # the links keep the filter, and each page links to the other: "next" by key (after the last
    # organisation shown), the page number by offset; both give the same page
    assert 'href="/organisations?municipality=0101&amp;page=2">2</a>' in first
    next_link = re.search(r'href="(/organisations\?municipality=0101&amp;page=2&amp;after=\d+)" rel="next"', first)
    assert next_link, "the first page links to the second by key"
    by_key = http.get(next_link.group(1).replace("&amp;", "&"), headers=ENGLISH).text
    assert directory_results(by_key) == page2
    assert 'href="/organisations?municipality=0101" rel="prev"' in second
    assert 'href="/organisations?municipality=0101" rel="prev"' in by_key
    assert '<span aria-current="page">2</span>' in second


# --- bad input never breaks the page ------------------------------------------------------------

BAD_INPUT = [
    {"page": "abc"}, {"page": "-5"}, {"page": "0"}, {"page": "2.5"}, {"page": "1e3"}, {"page": ""},
    {"page": "999999"}, {"page": "9" * 50},
    {"municipality": "xyz"}, {"municipality": "01010"}, {"municipality": "'; --"},
    {"kind": "bogus"}, {"kind": "association' OR '1'='1"}, {"target_group": "nobody"},
    {"q": 'a" OR *'}, {"q": "*"}, {"q": '"unbalanced'}, {"q": "NEAR(basket rosk)"}, {"q": "name:basket"},
    {"q": "^basket"}, {"q": "basket -rosk"}, {"q": "basket AND NOT rosk"}, {"q": "a:* & b | !c"},
    {"q": "x" * 5000}, {"q": " ".join(["basket"] * 100)},
    {"q": "'; DROP TABLE organisation; --"}, {"q": "1 OR 1=1"}, {"q": "\\"}, {"q": "%_%"},
    {"q": "\x00basket"}, {"q": "🏀 basket"},
    {"q": "basket", "page": "abc", "municipality": "xyz", "kind": "bogus", "target_group": "?"},
]


@pytest.mark.parametrize("params", BAD_INPUT, ids=[repr(p)[:40] for p in BAD_INPUT])
def test_bad_input_gives_a_sane_page(http, params):
    response = http.get("/organisations", params=params, headers=ENGLISH, follow_redirects=True)
    assert response.status_code == 200
    assert "Traceback" not in response.text
    directory_results(response.text)  # the page has its results list
    status_total(response.text)


def test_bad_page_numbers_mean_the_first_or_a_late_empty_page(http):
    first = directory_results(get(http))
    for page in ("abc", "-5", "0", "", "2.5"):
        assert directory_results(get(http, page=page)) == first, page
    # beyond the last page: sent to the last page, never "page 999999 of 4"
    late = http.get("/organisations", params={"page": "999999"}, headers=ENGLISH)
    assert late.status_code == 303 and late.headers["location"].startswith("/organisations?page=")
    last = http.get(late.headers["location"], headers=ENGLISH)
    assert last.status_code == 200 and directory_results(last.text)


def test_unknown_filter_values_are_dropped(http):
    everything = status_total(get(http))
    for params in ({"municipality": "xyz"}, {"kind": "bogus"}, {"target_group": "nobody"}, {"municipality": "9999"}):
        text = get(http, **params)
        if params.get("municipality") == "9999":
            # a well-formed code without a municipality filters to nothing rather than everything
            assert status_total(text) == 0
        else:
            assert status_total(text) == everything, params
    assert status_total(get(http, q="basket", kind="bogus")) == status_total(get(http, q="basket"))


def test_search_syntax_is_words_not_operators(http):
    # FTS/tsquery operators are not obeyed: only the words count, and all of them must match
    assert directory_results(get(http, q='"basket" * "rosk"')) == [RBBC]
    # OR is a word to match, not an operator: no name has a word starting with 'or' besides these
    assert directory_results(get(http, q='basket" OR "rosk')) == []
    assert directory_results(get(http, q="basket -rosk")) == [RBBC]
    assert directory_results(get(http, q="rosk* basket*")) == [RBBC]
    assert directory_results(get(http, q="'; DROP TABLE organisation; --")) == []
    assert names_in_db()  # the table is still there


def test_an_overlong_query_is_cut_not_refused(http):
    text = get(http, q="basket " + "x" * 5000)
    value = re.search(r'<input id="q" name="q" type="search" value="([^"]*)">', text).group(1)
    assert len(value) == 200


# --- an organisation's page ----------------------------------------------------------------------

def test_organisation_page_shows_memberships_and_grants(http):
    response = http.get("/organisations/bronshoj-boldklub", headers=DANISH)
    assert response.status_code == 200
    body = main(response.text)
    assert "<h1>Brønshøj Boldklub</h1>" in body
    assert '<a href="/municipalities/0101">Københavns Kommune</a>' in body
    rows = table_rows(body)
    granted = (datetime.date.today().year - 2021) * 200_000  # a grant a year since 2022 (the demo)
    assert rows == [["Sociale partnerskaber", rows[0][1], "2012", "–", f"{granted:,} kr.".replace(",", ".")]]
    assert '<a href="/programmes/kobenhavn-sociale-partnerskaber">' in body


def test_organisation_page_shows_target_groups_in_the_readers_language(http):
    body = main(http.get("/organisations/roskilde-basketball-club-rbbc", headers=ENGLISH).text)
    assert "Children, Young people" in body
    rows = table_rows(body)
    assert rows == [["Sociale partnerskabsforeninger", "Partner", "2021", "–", "DKK 321,000"]]  # 3 × 107,000


def test_a_coordinator_in_two_programmes(http):
    body = main(http.get("/organisations/socialstyrelsen", headers=ENGLISH).text)
    rows = table_rows(body)
    assert [(row[0], row[1]) for row in rows] == [("Fællesskabsalliancen", "Coordinator"),
                                                   ("TUFF – Trivsel, Unge, Fællesskaber og Foreningsliv", "Coordinator")]


def test_an_organisation_outside_any_programme(http):
    response = http.get("/organisations/kobenhavns-kommune-kultur-og-fritidsforvaltningen", headers=ENGLISH)
    assert response.status_code == 200
    assert "Not in any programme's network yet." in main(response.text)


def test_unknown_organisation_is_404(http):
    response = http.get("/organisations/no-such-club", headers=ENGLISH)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text
