"""Keeping offers up to date, over HTTP: an association's own people add and change their
offers (CSRF, 422 with messages, nothing half-written), someone of another municipality cannot,
the staff's search shows unpublished and stale offers, the reminders reach the associations,
the to-do list names them, print lists by target group, and the reach dashboard."""
from __future__ import annotations

import datetime
import re

from core import db
from core.models.audit import AuditEntry as AuditLog
from core.models.organisation import Organisation
from plugins.catalogue.models import Offer, OfferTargetGroup
from tests.plugins.catalogue.conftest import csrf_from, offer_id

RBBC = "Roskilde Basketball Club (RBBC)"


def hidden_organisation(html: str) -> str:
    """The organisation the new-offer form chose (someone of one association does not choose)."""
    match = re.search(r'<input type="hidden" name="organisation" value="(\d+)">', html)
    assert match, "the form did not choose the only organisation"
    return match.group(1)


def form_for(title: str, **changes) -> dict:
    data = {"title": title, "kind": "activity", "category": "sport", "target_groups": ["youth", "children"],
            "min_age": "8", "max_age": "14", "cost": "", "how_to_join": "Kom til en prøvetræning.",
            "street": "Bymarken 51", "postcode": "4000", "city": "Roskilde", "district": "Trekroner",
            "mode": "in_person", "status": "active", "published": "1", "contact_role": "Træneren",
            "session-1-weekday": "3", "session-1-starts_at": "16:30", "session-1-ends_at": "17:30"}
    data.update(changes)
    return data


def test_an_association_adds_an_offer_and_the_public_finds_it(client_as, http):
    client = client_as("rbbc-ressourceperson@partnerskab.test")
    page = client.get("/manage/offers/new")
    assert page.status_code == 200
    title = "Minibasket onsdag for 8–14-årige"
    response = client.post("/manage/offers/new", data={**form_for(title), "organisation": hidden_organisation(page.text),
                                                          "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303, response.text[:2000]
    with db.connection():
        offer = Offer.get(Offer.title == title)
        assert offer.organisation.name == RBBC and offer.published and offer.cost_ore == 0
        assert offer.last_checked == datetime.date.today() or abs(
            (offer.last_checked - datetime.date.today()).days) <= 1
        assert sorted(g.target_group for g in OfferTargetGroup.select().where(OfferTargetGroup.offer == offer.id)) \
            == ["children", "youth"]
        assert AuditLog.select().where(AuditLog.action == "offer.create", AuditLog.object_id == str(offer.id)).exists()
    listed = http.get("/offers", params={"q": "minibasket", "weekday": "3", "age": "10"}).text
    assert f'<a href="/offers/{offer.id}?back=' in listed


def test_bad_input_comes_back_with_messages_and_writes_nothing(client_as):
    client = client_as("rbbc-bestyrelse@partnerskab.test")
    page = client.get("/manage/offers/new")
    title = "Forkert udfyldt tilbud"
    bad = form_for(title, target_groups=[], min_age="15", max_age="9", cost="gratis",
                   **{"session-1-starts_at": "25:99", "online_url": "javascript:alert(1)", "mode": "online"})
    response = client.post("/manage/offers/new", data={**bad, "organisation": hidden_organisation(page.text),
                                                       "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422
    text = response.text
    assert "Choose at least one target group" in text
    assert "The highest age is lower than the lowest" in text
    assert "is not a time" in text
    with db.connection():
        assert not Offer.select().where(Offer.title == title).exists()
    # without the CSRF token nothing is written either
    refused = client.post("/manage/offers/new", data=form_for(title))
    assert refused.status_code == 403
    with db.connection():
        assert not Offer.select().where(Offer.title == title).exists()


def test_another_municipality_cannot_touch_the_offer(client_as):
    number = offer_id("Basket for piger 12–16")
    outsider = client_as("slagelse-admin@partnerskab.test")
    assert outsider.get(f"/manage/offers/{number}/edit").status_code in (403, 404)
    page = outsider.get("/manage/offers")
    assert "Basket for piger 12–16" not in page.text
    refused = outsider.post(f"/manage/offers/{number}/checked", data={"csrf_token": csrf_from(page.text)})
    assert refused.status_code in (403, 404)
    # and the municipality's own staff may
    own = client_as("roskilde-admin@partnerskab.test")
    assert own.get(f"/manage/offers/{number}/edit").status_code == 200


def test_staff_find_stale_and_unpublished_offers(client_as):
    client = client_as("roskilde-admin@partnerskab.test")
    stale = client.get("/manage/offers", params={"show": "stale"}).text
    for title in ("Brydning for begyndere", "Weekendfodbold for 14–17-årige", "Seniorklub med sang og foredrag"):
        assert title in stale, title
    assert "Streetbasket lørdag for unge" not in stale
    drafts = client.get("/manage/offers", params={"show": "unpublished"}).text
    assert "Håndbold for de mindste (upubliceret udkast)" in drafts
    assert "Streetbasket lørdag for unge" not in drafts
    # the staff's search is the public's search too: words in any spelling, ages
    assert "Brydning for begyndere" in client.get("/manage/offers", params={"q": "brydning"}).text
    # Copenhagen's stale offer is not Roskilde's business
    assert "Taekwondo for familier" not in client.get("/manage/offers", params={"show": "stale"}).text


def test_the_associations_to_remind_and_the_reminder(client_as):
    client = client_as("roskilde-admin@partnerskab.test")
    page = client.get("/manage/offers/remind")
    assert page.status_code == 200
    text = page.text
    with db.connection():
        wrestling = Offer.get(Offer.title == "Brydning for begyndere")
        organisation = Organisation.get_by_id(wrestling.organisation_id)
    assert organisation.name.replace("'", "&#39;") in text
    assert "Taekwondo" not in text
    response = client.post(f"/manage/offers/remind/{organisation.id}", data={"csrf_token": csrf_from(text)})
    assert response.status_code == 303
    with db.connection():
        assert AuditLog.select().where(AuditLog.action == "offer.reminded",
                                       AuditLog.object_id == str(organisation.id)).exists()
    # an organisation with nothing stale is not reminded
    with db.connection():
        rbbc = Organisation.get(Organisation.name == RBBC)
    assert client.post(f"/manage/offers/remind/{rbbc.id}", data={"csrf_token": csrf_from(text)}).status_code == 404
    # someone of another municipality may not remind Roskilde's associations
    outsider = client_as("slagelse-admin@partnerskab.test")
    outsider_page = outsider.get("/manage/offers/remind").text
    assert organisation.name.replace("'", "&#39;") not in outsider_page
    assert outsider.post(f"/manage/offers/remind/{organisation.id}",
                         data={"csrf_token": csrf_from(outsider_page)}).status_code in (403, 404)


def test_the_to_do_list_names_associations_with_stale_offers(client_as):
    text = client_as("roskilde-admin@partnerskab.test").get("/todo").text
    assert "Offers not checked for 12 months" in text
    assert re.search(r"offers?, (the oldest|last) checked", text)


def test_confirming_an_offer_makes_it_public_again(client_as, http):
    client = client_as("rbbc-ressourceperson@partnerskab.test")
    page = client.get("/manage/offers/new")
    title = "Bliv hjælpetræner i minibasket"
    assert client.post("/manage/offers/new", data={**form_for(title, kind="volunteer_role",
                                                                target_groups=["volunteers"], min_age="16",
                                                                max_age=""),
                                                   "organisation": hidden_organisation(page.text),
                                                   "csrf_token": csrf_from(page.text)}).status_code == 303
    with db.connection():
        offer = Offer.get(Offer.title == title)
        Offer.update(last_checked=datetime.date.today() - datetime.timedelta(days=400)).where(
            Offer.id == offer.id).execute()
    assert http.get(f"/offers/{offer.id}").status_code == 404  # stale: the public no longer sees it
    listed = client.get("/manage/offers", params={"show": "stale"}).text
    assert title in listed
    response = client.post(f"/manage/offers/{offer.id}/checked", data={"csrf_token": csrf_from(listed)})
    assert response.status_code == 303
    assert http.get(f"/offers/{offer.id}").status_code == 200
    assert title in http.get("/offers", params={"volunteer": "1"}).text


def test_print_lists_by_target_group(client_as):
    client = client_as("roskilde-admin@partnerskab.test")
    text = client.get("/manage/offers/print", params={"target_group": "elderly"}).text
    assert "Stolegymnastik for seniorer" in text and "It-hjælp for seniorer" in text
    assert "Streetbasket lørdag for unge" not in text
    assert "Seniorklub med sang og foredrag" not in text  # stale: not what a theme day hands out
    everything = client.get("/manage/offers/print").text
    assert "Streetbasket lørdag for unge" in everything and "Stolegymnastik for seniorer" in everything
    # an association's own people keep offers but do not print the municipality's lists
    assert client_as("rbbc-bestyrelse@partnerskab.test").get("/manage/offers/print").status_code == 403


def test_the_reach_dashboard(client_as):
    client = client_as("roskilde-admin@partnerskab.test")
    response = client.get("/manage/offers/reach")
    assert response.status_code == 200
    text = response.text
    assert "<svg" in text and "<table" in text
    assert "Stolegymnastik for seniorer" in text  # the offers visited most
    year = datetime.date.today().year
    assert str(year) in text
    other_year = client.get("/manage/offers/reach", params={"year": str(year - 1)})
    assert other_year.status_code == 200
    assert client.get("/manage/offers/reach", params={"year": "abc"}).status_code in (200, 400)
    assert client_as("rbbc-bestyrelse@partnerskab.test").get("/manage/offers/reach").status_code == 403
