"""Search that Danes type (issue 7): one folding of æ/ø/å, their spellings and every other
diacritic, the same on SQLite and PostgreSQL, and a directory whose paging neither lies
("page 99 of 4") nor walks every row (capped counts, next/previous by key)."""
from __future__ import annotations

import importlib
import re

import pytest

from core import db, folding
from core.directory import COUNT_CAP, DirectoryQuery, capped_count, search
from core.models import Organisation
from core.rules import registry
from tests.core.views._html import ENGLISH, directory_results, status_total

migration = importlib.import_module("core.migrations.0012_search_folding")

WORDS = ["Hillerød", "HILLERØD", "hilleroed", "Hillerod", "Århus", "Aarhus", "ÅRHUS", "Næstved", "NAESTVED",
         "Brønshøj", "Citroën", "Škoda", "Łódź", "Crème brûlée", "Øster Ålgade 7", "Straße", "Ærø", "Æbleø",
         "façade", "naïve", "Ångström", "Zoë", "", "ÿ", "Ÿ", "ǅ", "123"]


@pytest.mark.parametrize("typed, indexed", [
    ("hillerod", "Hillerød"), ("hilleroed", "Hillerød"), ("HILLERØD", "Hillerød"),
    ("arhus", "Århus"), ("aarhus", "Århus"), ("Aarhus", "ÅRHUS"),
    ("naestved", "Næstved"), ("nastved", "Næstved"), ("koge", "Køge"), ("koege", "Køge"),
    ("handbold", "Håndbold"), ("haandbold", "Håndbold"), ("citroen", "Citroën"), ("skoda", "Škoda"),
])
def test_every_spelling_folds_to_one(typed, indexed):
    assert folding.fold(typed) == folding.fold(indexed)


def test_folding_is_stable():
    for word in WORDS:
        assert folding.fold(folding.fold(word)) == folding.fold(word), word


def test_the_migration_holds_the_same_folding():
    assert (migration.FOLD_FROM, migration.FOLD_TO, migration.DIGRAPHS) == \
        (folding.FOLD_FROM, folding.FOLD_TO, folding.DIGRAPHS)
    assert migration.fold_sql("name") == folding.fold_sql("name")


def test_the_database_folds_as_python_does(dbconn):
    """The index's folding (SQL on PostgreSQL, the registered function on SQLite) gives exactly
    what ``fold`` gives for the visitor's words."""
    for word in WORDS:
        if db.is_postgres():
            sql = folding.fold_sql("%s")
        else:
            sql = f"{db.SQLITE_FOLD_FUNCTION}(?)"
        (got,) = dbconn.execute_sql(f"SELECT {sql}", (word,)).fetchone()
        assert got == folding.fold(word), word


@pytest.fixture(scope="module")
def spelled(platform, app):
    """Organisations whose names Danes spell three ways."""
    names = ["Foldeklub Hillerød Ø", "Foldeklub Århus Å", "Foldeklub Næstved Æ", "Foldeklub Citroën"]
    with db.connection():
        registry.ensure_municipality("0997", "Foldekommune", "Testregion")
        for name in names:
            registry.create_organisation(platform, {"name": name, "kind": "association", "municipality": "0997",
                                                    "city": "Foldeby"}, "test-folding")
    yield names
    with db.connection():
        Organisation.delete().where(Organisation.name.startswith("Foldeklub")).execute()


@pytest.mark.parametrize("typed, expected", [
    ("hillerod", "Foldeklub Hillerød Ø"), ("hilleroed", "Foldeklub Hillerød Ø"), ("Hillerød", "Foldeklub Hillerød Ø"),
    ("hiller", "Foldeklub Hillerød Ø"), ("aarhus", "Foldeklub Århus Å"), ("arhus", "Foldeklub Århus Å"),
    ("århus", "Foldeklub Århus Å"), ("naestved", "Foldeklub Næstved Æ"), ("nastved", "Foldeklub Næstved Æ"),
    ("citroen", "Foldeklub Citroën"), ("CITROËN", "Foldeklub Citroën"),
])
def test_the_directory_finds_every_spelling(http, spelled, typed, expected):
    found = directory_results(http.get("/organisations", params={"q": f"foldeklub {typed}"}, headers=ENGLISH).text)
    assert found == [expected]


def test_hillerod_finds_what_hillerød_finds(http):
    counts = {spelling: status_total(http.get("/organisations", params={"q": spelling}, headers=ENGLISH).text)
              for spelling in ("Hillerød", "hillerod", "hilleroed", "HILLERØD")}
    assert counts["Hillerød"] > 0 and len(set(counts.values())) == 1, counts


def test_an_edit_refolds_the_index(platform, spelled, dbconn):
    organisation = Organisation.get(Organisation.name == "Foldeklub Citroën")
    registry.update_organisation(platform, organisation, {"name": "Foldeklub Køge", "kind": "association",
                                                          "municipality": "0997", "city": "Foldeby"}, "test-folding")
    try:
        assert [o.name for o in search(DirectoryQuery(q="foldeklub koege"), 20).items] == ["Foldeklub Køge"]
        assert search(DirectoryQuery(q="foldeklub citroen"), 20).items == []
    finally:
        registry.update_organisation(platform, Organisation.get_by_id(organisation.id),
                                     {"name": "Foldeklub Citroën", "kind": "association", "municipality": "0997",
                                      "city": "Foldeby"}, "test-folding")


# --- paging -----------------------------------------------------------------------------------------

def test_a_page_beyond_the_last_redirects_to_the_last(http):
    text = http.get("/organisations", params={"municipality": "0101"}, headers=ENGLISH).text
    pages = int(re.search(r"page 1 of (\d+)", text).group(1))
    response = http.get("/organisations", params={"municipality": "0101", "page": "99"}, headers=ENGLISH)
    assert response.status_code == 303
    assert response.headers["location"] == f"/organisations?municipality=0101&page={pages}"
    last = http.get(response.headers["location"], headers=ENGLISH).text
    assert f"page {pages} of {pages}" in last and directory_results(last)
    assert "page 99" not in last


def test_next_and_previous_by_key_walk_the_same_pages_as_numbers(http, dbconn):
    total = Organisation.select().where(Organisation.deleted_at.is_null()).count()
    assert total > 60
    by_number = [directory_results(http.get("/organisations", params={"page": n}, headers=ENGLISH,
                                            follow_redirects=True).text) for n in (1, 2, 3)]
    text = http.get("/organisations", headers=ENGLISH).text
    walked = [directory_results(text)]
    for _ in range(2):
        link = re.search(r'href="([^"]+)" rel="next"', text).group(1).replace("&amp;", "&")
        assert "after=" in link
        text = http.get(link, headers=ENGLISH).text
        walked.append(directory_results(text))
    assert walked == by_number
    assert '<span aria-current="page">3</span>' in text
    back = re.search(r'href="([^"]+)" rel="prev"', text).group(1).replace("&amp;", "&")
    assert "before=" in back
    assert directory_results(http.get(back, headers=ENGLISH).text) == by_number[1]


def test_counts_stop_at_the_cap(dbconn):
    everything = [Organisation.deleted_at.is_null()]
    exact = Organisation.select().where(*everything).count()
    assert capped_count(everything, cap=10) == 11 if exact > 10 else exact
    assert capped_count(everything, cap=exact + 5) == exact
    assert COUNT_CAP >= 1000


def test_a_capped_total_says_more_than(http, monkeypatch):
    monkeypatch.setattr("core.directory.COUNT_CAP", 30)
    text = http.get("/organisations", headers=ENGLISH).text
    assert "More than 30 organisations found" in text
    assert 'rel="next"' in text


def test_a_key_that_names_no_organisation_is_an_empty_page_not_an_error(http):
    response = http.get("/organisations", params={"after": "999999999", "page": "7"}, headers=ENGLISH)
    assert response.status_code == 200 and directory_results(response.text) == []
    for bad in ("abc", "-1", "1e9", "9" * 40):
        assert http.get("/organisations", params={"after": bad}, headers=ENGLISH).status_code == 200


def test_search_with_filters_follows_edits_of_kind_and_target_groups(platform, spelled, dbconn):
    """The search index carries the municipality, kind and target groups (SQLite's facets column):
    an edit of any of them, or a soft delete, shows at once in filtered searches."""
    organisation = Organisation.get(Organisation.name == "Foldeklub Næstved Æ")

    def found(**filters):
        return [o.name for o in search(DirectoryQuery(q="foldeklub næstved", **filters), 20).items]

    data = {"name": organisation.name, "kind": "association", "municipality": "0997", "city": "Foldeby"}
    registry.update_organisation(platform, organisation, {**data, "target_groups": ["children"]}, "test-folding")
    assert found(target_group="children", kind="association", municipality="0997") == ["Foldeklub Næstved Æ"]
    assert found(target_group="elderly") == []
    registry.update_organisation(platform, Organisation.get_by_id(organisation.id),
                                 {**data, "kind": "other", "target_groups": ["elderly"]}, "test-folding")
    assert found(target_group="children") == [] and found(kind="association") == []
    assert found(target_group="elderly", kind="other") == ["Foldeklub Næstved Æ"]
    assert found(municipality="0101") == []
    with db.database.atomic():
        Organisation.get_by_id(organisation.id).soft_delete()
    try:
        assert found() == []
    finally:
        Organisation.update(deleted_at=None).where(Organisation.id == organisation.id).execute()
    assert found() == ["Foldeklub Næstved Æ"]
