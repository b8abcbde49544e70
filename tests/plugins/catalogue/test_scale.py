"""The catalogue's pages ask the database a fixed number of questions whatever the data: counted
with peewee's query log around real HTTP requests (the live server runs in this process), with
150 offers in a municipality of our own and again with 1,500 — past the count cap (1,000), so
the large case takes the same road a 100,000-offer catalogue does. Also: pages by key walk the
whole list forwards and back, and the count says "more than 1,000" instead of counting on."""
from __future__ import annotations

import datetime
import re

import pytest
from playhouse.test_utils import count_queries

from core import db
from core.directory import COUNT_CAP, forget_municipalities
from core.models import Organisation
from core.models.municipality import Municipality
from core.rules import registry
from plugins.catalogue import facets
from plugins.catalogue.models import District, Offer, OfferSession, OfferTargetGroup
from plugins.catalogue.views_public import danish_today
from tests.plugins.catalogue.conftest import ENGLISH

CODE = "0996"
ACTOR = "test-catalogue-scale"
GROUPS = (["children"], ["youth", "volunteers"], ["elderly", "adults"])
LISTED = re.compile(r'<h2><a href="/offers/(\d+)[?"]')


def add_offers(organisation: Organisation, district: District, start: int, count: int) -> None:
    """``count`` public offers, written in bulk as the bench generator writes them (the index by
    the migration's triggers or generated columns)."""
    today = danish_today()
    with db.connection(), db.database.atomic():
        rows, groups, days = [], {}, {}
        for n in range(start, start + count):
            values = {"kind": "activity", "category": ("sport", "culture", "community")[n % 3], "status": "active",
                      "organisation_id": organisation.id, "published": True,
                      "municipality_id": organisation.municipality_id, "district_id": district.id,
                      "cost_ore": 0 if n % 2 else 5_000, "mode": "in_person", "wheelchair": False,
                      "title": f"Skalatest {n:05d}", "city": "Skalaby", "description": "Et tilbud til testen.",
                      "eligibility": ""}
            groups[n], days[n] = GROUPS[n % 3], [n % 7 + 1]
            rows.append({**{key: value for key, value in values.items() if not key.endswith("_id")},
                         "organisation": organisation.id, "municipality": organisation.municipality_id,
                         "district": district.id, "min_age": 10 if n % 3 == 1 else 0,
                         "max_age": 17 if n % 3 == 1 else 120, "how_to_join": "Mød op.", "last_checked": today,
                         "search_text": facets.search_text_for(values, organisation.name, district.name),
                         "facets": facets.facets_for(values, groups[n], days[n])})
        for batch in range(0, len(rows), 200):
            Offer.insert_many(rows[batch:batch + 200]).execute()
        ids = dict(Offer.select(Offer.title, Offer.id).where(Offer.organisation == organisation.id).tuples())
        OfferTargetGroup.insert_many([{"offer": ids[f"Skalatest {n:05d}"], "target_group": group}
                                      for n in groups for group in groups[n]]).execute()
        OfferSession.insert_many([{"offer": ids[f"Skalatest {n:05d}"], "weekday": days[n][0], "starts_at": "10:00",
                                   "ends_at": "11:00"} for n in days]).execute()


@pytest.fixture(scope="module")
def place(app, platform):
    with db.connection():
        municipality = registry.ensure_municipality(CODE, "Skalatest Kommune", "Testregion")
        organisation = registry.create_organisation(platform, {
            "name": "Skalatest Forening", "kind": "association", "municipality": CODE, "city": "Skalaby",
            "target_groups": ["youth"]}, ACTOR)
        district = District.create(municipality=municipality.id, name="Skalaby Nord", key="skalaby nord")
    yield organisation, district
    with db.connection(), db.database.atomic():
        offers = Offer.select(Offer.id).where(Offer.organisation == organisation.id)
        OfferTargetGroup.delete().where(OfferTargetGroup.offer.in_(offers)).execute()
        OfferSession.delete().where(OfferSession.offer.in_(offers)).execute()
        Offer.delete().where(Offer.organisation == organisation.id).execute()
        District.delete().where(District.id == district.id).execute()
        from core.models.organisation import OrganisationTargetGroup
        OrganisationTargetGroup.delete().where(OrganisationTargetGroup.organisation == organisation.id).execute()
        Organisation.delete().where(Organisation.id == organisation.id).execute()
        Municipality.delete().where(Municipality.code == CODE).execute()
    forget_municipalities()


def pages(district: District, some_offer: int) -> dict[str, tuple[str, dict]]:
    return {
        "everything": ("/offers", {}),
        "municipality": ("/offers", {"municipality": CODE}),
        "words": ("/offers", {"q": "skalatest"}),
        "words and filters": ("/offers", {"q": "skalatest", "target_group": "youth", "age": "14", "free": "1",
                                          "municipality": CODE}),
        "district and weekday": ("/offers", {"municipality": CODE, "district": str(district.id), "weekday": "6"}),
        "page three": ("/offers", {"municipality": CODE, "page": "3"}),
        "next by key": ("/offers", {"municipality": CODE, "after": str(some_offer)}),
        "previous by key": ("/offers", {"municipality": CODE, "before": str(some_offer)}),
        "districts": ("/offers/districts", {"municipality": CODE}),
        "print": ("/offers/print", {"municipality": CODE, "target_group": "elderly"}),
        "an offer": (f"/offers/{some_offer}", {}),
        "HSDS services": ("/api/v1/hsds/services", {"per_page": "20"}),
        "HSDS services, searched": ("/api/v1/hsds/services", {"search": "skalatest", "full": "true"}),
        "API offers": ("/api/v1/catalogue/offers", {}),
    }


def queries_for(http, path: str, params: dict) -> int:
    http.get(path, params=params, headers=ENGLISH)  # warm what a page caches (the municipalities)
    with count_queries() as counter:
        response = http.get(path, params=params, headers=ENGLISH)
    assert response.status_code == 200, (path, params, response.text[:300])
    return counter.count


def total_of(text: str) -> str:
    return re.search(r'<p role="status">([^<]+)</p>', text).group(1)


def test_query_counts_do_not_grow_with_the_catalogue(http, place):
    organisation, district = place
    add_offers(organisation, district, 0, 150)
    with db.connection():
        some_offer = Offer.get(Offer.title == "Skalatest 00060").id
    small = {name: queries_for(http, *page) for name, page in pages(district, some_offer).items()}
    assert total_of(http.get("/offers", params={"municipality": CODE}, headers=ENGLISH).text).startswith(
        "150 offers found")

    add_offers(organisation, district, 150, 1_350)
    large = {name: queries_for(http, *page) for name, page in pages(district, some_offer).items()}
    listed = http.get("/offers", params={"municipality": CODE}, headers=ENGLISH).text
    assert total_of(listed).startswith(f"More than {COUNT_CAP} offers found")  # the count stops at the cap
    assert len(LISTED.findall(listed)) == 20
    assert large == small
    # and the numbers are small: a count, the rows, their target groups and times
    assert small["municipality"] <= 5 and small["words and filters"] <= 5
    assert small["an offer"] <= 6


def test_pages_by_key_walk_forwards_and_back(http, place):
    """After the first test: 1,500 offers. Five pages forward by "next", then back by "previous"."""
    forward: list[list[str]] = []
    text = http.get("/offers", params={"municipality": CODE}, headers=ENGLISH).text
    for _ in range(5):
        forward.append(LISTED.findall(text))
        link = re.search(r'<a href="/offers\?([^"]*)" rel="next">', text).group(1).replace("&amp;", "&")
        assert "after=" in link
        text = http.get(f"/offers?{link}", headers=ENGLISH).text
    flat = [offer for page in forward for offer in page]
    assert len(flat) == 100 and len(set(flat)) == 100
    with db.connection():
        titles = dict(Offer.select(Offer.id, Offer.title).where(Offer.id.in_([int(i) for i in flat])).tuples())
    assert [titles[int(i)] for i in flat] == [f"Skalatest {n:05d}" for n in range(100)]
    backward = [LISTED.findall(text)]
    for _ in range(5):
        link = re.search(r'<a href="/offers\?([^"]*)" rel="prev">', text).group(1).replace("&amp;", "&")
        text = http.get(f"/offers?{link}", headers=ENGLISH).text
        backward.append(LISTED.findall(text))
    assert backward[1:] == forward[::-1]
