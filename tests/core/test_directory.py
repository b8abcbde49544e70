"""The directory and the programme pages ask the database a fixed number of questions whatever
the data: counted with peewee's query log around real HTTP requests (the live server runs in
this process, so its queries reach the same 'peewee' logger), before and after adding 60
organisations with target groups, and 60 members with grants to a programme."""
from __future__ import annotations

import datetime

import pytest
from playhouse.test_utils import count_queries

from core import db
from core.directory import DirectoryQuery, search
from core.models import Organisation
from core.models.membership import Membership
from core.models.money import Grant
from core.models.municipality import Municipality
from core.models.organisation import OrganisationTargetGroup
from core.models.programme import Programme, ProgrammeBudget
from core.rules import money, registry
from plugins.copenhagen import SOCIAL_PARTNERSHIPS
from tests.core.views._html import ENGLISH, directory_results, status_total

CODE = "0998"
SLUG = "querycount-programme"
ACTOR = "test-query-count"
GROUPS = (["children"], ["youth", "volunteers"], ["elderly", "families", "adults"])


def add_organisations(platform, start: int, count: int, programme: Programme | None = None) -> None:
    with db.connection():
        for n in range(start, start + count):
            organisation = registry.create_organisation(platform, {
                "name": f"Querycount Club {n:03d}", "kind": "association", "municipality": CODE,
                "city": "Testby", "target_groups": GROUPS[n % len(GROUPS)]}, ACTOR)
            if programme is not None:
                registry.add_membership(programme=programme, organisation=organisation, role="partner",
                                        joined_on=datetime.date(2024, 1, 1), actor=ACTOR)
                money.record_grant(platform, programme_id=programme.id, organisation_id=organisation.id,
                                   year=2024, amount_ore=1_000 * 100, actor=ACTOR)


@pytest.fixture(scope="module")
def programme(platform, app):
    """A municipality of our own with a programme and five members; everything removed afterwards."""
    with db.connection():
        registry.ensure_municipality(CODE, "Querycount Kommune", "Testregion")
        created = registry.create_programme(platform, {
            "slug": SLUG, "name": "Querycount programme", "programme_type": SOCIAL_PARTNERSHIPS,
            "municipality": CODE, "start_date": datetime.date(2024, 1, 1)}, ACTOR)
        money.set_budget(programme_id=created.id, year=2024, amount_ore=100_000_000 * 100, actor=ACTOR)
    add_organisations(platform, 0, 5, created)
    yield created
    with db.connection(), db.database.atomic():
        organisations = Organisation.select(Organisation.id).where(Organisation.name.startswith("Querycount Club"))
        Grant.delete().where(Grant.programme == created.id).execute()
        Membership.delete().where(Membership.programme == created.id).execute()
        ProgrammeBudget.delete().where(ProgrammeBudget.programme == created.id).execute()
        Programme.delete().where(Programme.id == created.id).execute()
        OrganisationTargetGroup.delete().where(OrganisationTargetGroup.organisation.in_(organisations)).execute()
        Organisation.delete().where(Organisation.id.in_(organisations)).execute()
        Municipality.delete().where(Municipality.code == CODE).execute()


PAGES = {
    "directory by municipality": ("/organisations", {"municipality": CODE}),
    "directory by search": ("/organisations", {"q": "querycount"}),
    "directory by search and target group": ("/organisations", {"q": "querycount club", "target_group": "children"}),
    "directory, second page": ("/organisations", {"municipality": CODE, "page": "2"}),
    "directory, everything": ("/organisations", {}),
    "programme list": ("/programmes", {}),
    "programme page": (f"/programmes/{SLUG}", {}),
    "municipality page": (f"/municipalities/{CODE}", {}),
    "organisation page": ("/organisations/querycount-club-001", {}),
    "front page": ("/", {}),
}


def queries_for(http, path: str, params: dict) -> int:
    http.get(path, params=params, headers=ENGLISH)  # warm what a page may cache (the municipalities)
    with count_queries() as counter:
        response = http.get(path, params=params, headers=ENGLISH)
    assert response.status_code == 200, path
    return counter.count


def test_query_counts_do_not_grow_with_the_data(http, platform, programme):
    # the second page needs more than one page of rows before the first count
    add_organisations(platform, 5, 20, programme)
    before = {name: queries_for(http, *page) for name, page in PAGES.items()}
    assert status_total(http.get("/organisations", params={"municipality": CODE}, headers=ENGLISH).text) == 25

    add_organisations(platform, 25, 60, programme)
    after = {name: queries_for(http, *page) for name, page in PAGES.items()}
    listed = http.get("/organisations", params={"municipality": CODE}, headers=ENGLISH).text
    assert status_total(listed) == 85 and len(directory_results(listed)) == 20
    assert status_total(http.get("/organisations", params={"q": "querycount"}, headers=ENGLISH).text) == 85
    with db.connection():
        assert Membership.select().where(Membership.programme == programme.id).count() == 85

    assert after == before
    # and the numbers are small: count, rows, target groups, the municipalities for the filter
    assert before["directory by municipality"] <= 4
    assert before["directory by search"] <= 4
    assert before["programme list"] <= 5
    assert before["programme page"] <= 9  # programme, members, fees, grants, three money sums, paid; pathway block


def test_the_programme_page_shows_every_member_and_grant(http, programme):
    text = http.get(f"/programmes/{SLUG}", headers=ENGLISH).text
    with db.connection():
        members = Membership.select().where(Membership.programme == programme.id).count()
        grants = Grant.select().where(Grant.programme == programme.id).count()
    assert members >= 5 and grants == members
    assert text.count('<a href="/organisations/querycount-club-') == members + grants


def test_directory_search_function_counts_its_queries(platform, programme):
    """The same guarantee without HTTP: core.directory.search alone asks three questions."""
    query = DirectoryQuery.from_params({"municipality": CODE}, platform.target_groups)
    with db.connection():
        with count_queries() as counter:
            result = search(query, 20)
    assert result.items and all(hasattr(org, "target_groups") for org in result.items)
    assert counter.count == 3
    with db.connection():
        with count_queries() as empty:
            nothing = search(DirectoryQuery(q="zzzqqqxxx"), 20)
    assert nothing.items == [] and nothing.total == 0
    # no rows and no target groups for a search that matches nothing: the count (and on SQLite
    # the look-up of the words the prefix stands for) is all
    assert empty.count == (1 if db.is_postgres() else 2)


def test_directory_query_reads_parameters_leniently(platform):
    groups = platform.target_groups
    assert DirectoryQuery.from_params({"page": "abc"}, groups).page == 1
    assert DirectoryQuery.from_params({"page": "-5"}, groups).page == 1
    assert DirectoryQuery.from_params({"page": "999999"}, groups).page == 999_999
    assert DirectoryQuery.from_params({"page": "9" * 50}, groups).page == 1
    assert DirectoryQuery.from_params({"municipality": "xyz"}, groups).municipality == ""
    assert DirectoryQuery.from_params({"municipality": " 0265 "}, groups).municipality == "0265"
    assert DirectoryQuery.from_params({"kind": "bogus"}, groups).kind == ""
    assert DirectoryQuery.from_params({"target_group": "nobody"}, groups).target_group == ""
    assert len(DirectoryQuery.from_params({"q": "x" * 1000}, groups).q) == 200
    query = DirectoryQuery(q="basket", municipality="0265", page=3)
    assert query.params(page=1) == {"q": "basket", "municipality": "0265"}
    assert query.params() == {"q": "basket", "municipality": "0265", "page": "3"}
