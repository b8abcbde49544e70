"""Search whose cost does not grow with the data (issue 12): a search with more than
``COUNT_CAP`` matches is listed newest first, reading a page of the index rather than every
match, and says so on the page; on SQLite a prefix is the OR of the index's words that start
with it (its vocabulary, migration 0013), kept up as organisations are written.

The live server runs in this process, so ``COUNT_CAP`` and ``MAX_EXPANSION`` are lowered with
monkeypatch to make a handful of organisations "many"."""
from __future__ import annotations

import re
import sqlite3

import pytest

from core import db, folding, search as search_module
from core.directory import DirectoryQuery, search
from core.models import Organisation
from core.models.organisation import OrganisationTargetGroup
from core.rules import registry
from tests.core.views._html import DANISH, ENGLISH, directory_results

PREFIX = "Skalatest"
CODE = "0996"

REALISTIC = ["Børnehuset Ærø – IF Ølstykke", "Café Noël's 3. klub_nr 42½ ²", "Tiếng Việt ạ ễ", "Ελληνικά άέή",
             "Русский йё", "Łódź Škoda Crème brûlée", "FC København/Brøndby (U19)", "e-sport & gaming@klubben.dk",
             "Straße ß", "Zoë naïve façade", "x\u0301y combining", "日本語テキスト", "tab\tnew\nline", "ǅemal Ǆ"]


def test_index_words_are_the_words_sqlite_indexes():
    """``folding.index_words`` (what the vocabulary's triggers store) splits and strips folded text
    as FTS5's unicode61 tokenizer does, for the scripts people write names in."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='unicode61 remove_diacritics 2')")
    connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, row)")
    for text in REALISTIC:
        connection.execute("DELETE FROM t")
        connection.execute("INSERT INTO t (a) VALUES (?)", (folding.fold(text),))
        indexed = sorted(term for (term,) in connection.execute("SELECT term FROM v"))
        assert sorted(folding.index_words(text)) == indexed, text
    assert folding.index_words("Hillerød IF", None, "hilleroed") == ["hillerod", "if"]


@pytest.fixture(scope="module")
def many(platform, app):
    """Seven organisations that all match 'skalatest', created in a known order."""
    names = [f"{PREFIX} {word} Klub" for word in ("Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf")]
    with db.connection():
        registry.ensure_municipality(CODE, "Skalakommune", "Testregion")
        for name in names:
            registry.create_organisation(platform, {"name": name, "kind": "association", "municipality": CODE,
                                                    "city": "Skalaby", "target_groups": ["children"]}, "test-scale")
    yield names
    with db.connection():
        ids = [o.id for o in Organisation.select(Organisation.id).where(Organisation.name.startswith(PREFIX))]
        OrganisationTargetGroup.delete().where(OrganisationTargetGroup.organisation.in_(ids)).execute()
        Organisation.delete().where(Organisation.id.in_(ids)).execute()


def _walk(http, params: dict) -> list[list[str]]:
    """Every page of a directory query, following 'next'."""
    text = http.get("/organisations", params=params, headers=ENGLISH).text
    pages = [directory_results(text)]
    while (link := re.search(r'href="([^"]+)" rel="next"', text)) is not None:
        text = http.get(link.group(1).replace("&amp;", "&"), headers=ENGLISH).text
        pages.append(directory_results(text))
        assert len(pages) < 20
    return pages


def test_few_matches_are_listed_by_name(http, many):
    text = http.get("/organisations", params={"q": "skalatest"}, headers=ENGLISH).text
    assert directory_results(text) == sorted(many)
    assert "newest first" not in text


def test_many_matches_are_listed_newest_first_and_the_page_says_so(http, many, monkeypatch):
    monkeypatch.setattr("core.directory.COUNT_CAP", 3)
    text = http.get("/organisations", params={"q": "skalatest"}, headers=ENGLISH).text
    assert "More than 3 organisations found" in text
    assert "Listed newest first: add a word or a filter to list them by name." in text
    danish = http.get("/organisations", params={"q": "skalatest"}, headers=DANISH).text
    assert "Vist med de nyeste først" in danish
    newest = list(reversed(many))
    assert directory_results(text) == newest  # one page of 20 holds all seven
    # a word more makes them few again: by name
    assert directory_results(http.get("/organisations", params={"q": "skalatest klub alfa"},
                                      headers=ENGLISH).text) == [f"{PREFIX} Alfa Klub"]


def test_newest_first_pages_by_key_and_by_number_agree(platform, many, monkeypatch, dbconn):
    """Next and previous by id walk the same pages as page numbers (which reach as far as the
    first ``COUNT_CAP`` matches), in both directions."""
    monkeypatch.setattr("core.directory.COUNT_CAP", 5)

    def names(result):
        return [o.name for o in result.items]

    first = search(DirectoryQuery(q="skalatest"), 2)
    assert first.newest_first and first.total_capped and first.has_next and not first.has_previous
    by_number = [names(first)] + [names(search(DirectoryQuery(q="skalatest", page=n), 2)) for n in (2, 3)]
    walked, result = [names(first)], first
    while result.has_next:
        result = search(DirectoryQuery(q="skalatest", after=result.items[-1].id), 2)
        walked.append(names(result))
    newest = list(reversed(many))
    assert walked == [newest[i:i + 2] for i in (0, 2, 4, 6)]
    assert by_number == walked[:3]
    back = search(DirectoryQuery(q="skalatest", before=result.items[0].id), 2)
    assert names(back) == walked[2] and back.has_previous and back.has_next
    assert search(DirectoryQuery(q="skalatest", page=4), 2).items == []  # beyond what numbers reach


def test_newest_first_with_filters_and_over_http(http, many, monkeypatch):
    monkeypatch.setattr("core.directory.COUNT_CAP", 3)
    pages = _walk(http, {"q": "skalatest", "municipality": CODE, "kind": "association", "target_group": "children"})
    assert [name for page in pages for name in page] == list(reversed(many))
    assert _walk(http, {"q": "skalatest", "kind": "school_institution"}) == [[]]


def test_a_new_word_is_found_by_its_prefix_at_once(platform, many, dbconn):
    """The vocabulary's triggers add the words of a created or renamed organisation, so a prefix
    that has other words finds the new one too (on SQLite the prefix is their OR)."""
    organisation = registry.create_organisation(platform, {
        "name": f"{PREFIX} Zumbaklubben", "kind": "association", "municipality": CODE, "city": "Skalaby"},
        "test-scale")
    try:
        assert [o.name for o in search(DirectoryQuery(q="zumbak"), 20).items] == [f"{PREFIX} Zumbaklubben"]
        registry.update_organisation(platform, organisation, {
            "name": f"{PREFIX} Zumbaholdet", "kind": "association", "municipality": CODE, "city": "Skalaby"},
            "test-scale")
        assert [o.name for o in search(DirectoryQuery(q="zumba skala"), 20).items] == [f"{PREFIX} Zumbaholdet"]
        assert search(DirectoryQuery(q="zumbak"), 20).items == []  # the old word matches nothing now
        if not db.is_postgres():
            words = {w for (w,) in dbconn.execute_sql(
                "SELECT word FROM organisation_search_word WHERE word >= 'zumba' AND word < 'zumbb'").fetchall()}
            assert {"zumbaklubben", "zumbaholdet"} <= words
            assert search_module.sqlite_expansions(dbconn, ["zumba"])["zumba"] == tuple(sorted(words))
    finally:
        Organisation.delete().where(Organisation.id == organisation.id).execute()


def test_a_prefix_of_too_many_words_finds_the_same(platform, many, monkeypatch, dbconn):
    expanded = [o.name for o in search(DirectoryQuery(q="skalat kl"), 20).items]
    monkeypatch.setattr(search_module, "MAX_EXPANSION", 0)
    assert [o.name for o in search(DirectoryQuery(q="skalat kl"), 20).items] == expanded == sorted(many)
    if not db.is_postgres():
        assert search_module.sqlite_expansions(dbconn, ["skalat"]) == {"skalat": None}


def test_expansions_make_an_fts_query_of_words():
    text = search_module.sqlite_match_text(["bask", "kl"], ("m3kassociation",),
                                           {"bask": ("basket", "basketball"), "kl": None})
    assert text == '{name city description}: (("basket" OR "basketball") AND "kl"*) AND facets: "m3kassociation"'
    assert search_module.facet_tokens(3, "volunteer_centre", "children") == ("m3kvolunteercentre", "gchildren")
    assert search_module.facet_tokens(3, "") == ("m3",) and search_module.facet_tokens(None, "other") == ("kother",)


def test_the_nightly_upkeep_completes_the_vocabulary(platform, many, dbconn):
    """``core.search-upkeep`` merges the index and adds any word of it the vocabulary lacks (the
    index is the truth): a word taken out by hand is back after a run, and searching finds the
    same before and after."""
    import datetime

    from core import jobs
    from core.models.job_run import JobRun
    before = [o.name for o in search(DirectoryQuery(q="skalatest golf"), 20).items]
    if not db.is_postgres():
        dbconn.execute_sql("DELETE FROM organisation_search_word WHERE word = 'skalatest'")
    try:
        [outcome] = jobs.run_due(platform, now=datetime.datetime(2031, 5, 6, 4, 0, tzinfo=datetime.timezone.utc),
                                 only="core.search-upkeep")
        assert outcome.status == "done", outcome
    finally:
        JobRun.delete().where(JobRun.job == "core.search-upkeep").execute()
    if not db.is_postgres():
        assert dbconn.execute_sql("SELECT COUNT(*) FROM organisation_search_word WHERE word = 'skalatest'"
                                  ).fetchone()[0] == 1
    assert [o.name for o in search(DirectoryQuery(q="skalatest golf"), 20).items] == before == [f"{PREFIX} Golf Klub"]
