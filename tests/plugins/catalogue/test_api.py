"""The catalogue's JSON API: the public reads, an association's people write with a token
(201, 422 with the rules' messages, nothing half-written), someone of another municipality
cannot, and a contact's own name is published only with their consent."""
from __future__ import annotations

from core import db
from core.models.organisation import Organisation
from plugins.catalogue.models import Offer
from tests.core.api.conftest import api, token_for  # noqa: F401 (the fixture)
from tests.plugins.catalogue.conftest import offer_id

RBBC = "Roskilde Basketball Club (RBBC)"


def rbbc_id() -> int:
    with db.connection():
        return Organisation.get(Organisation.name == RBBC).id


def body(title: str, **changes) -> dict:
    data = {"organisation_id": rbbc_id(), "title": title, "category": "sport", "target_groups": ["youth"],
            "min_age": 12, "max_age": 18, "how_to_join": "Skriv til klubben.", "city": "Roskilde",
            "district": "Himmelev", "cost_ore": 25_000, "cost_note": "pr. sæson",
            "sessions": [{"weekday": 5, "starts_at": "18:00", "ends_at": "19:30"}],
            "contact_role": "Træneren", "contact_name": "Mette Hansen", "contact_consent": True,
            "published": True}
    data.update(changes)
    return data


def test_an_association_writes_its_offers_through_the_api(api, http):
    client = api(token_for("rbbc-ressourceperson@partnerskab.test", "catalogue-test"))
    created = client.post("/api/v1/catalogue/offers", json=body("Fredagsbasket for 12–18-årige"))
    assert created.status_code == 201, created.text
    offer = created.json()
    assert offer["public"] and offer["cost_ore"] == 25_000 and not offer["free"]
    assert offer["sessions"] == [{"weekday": 5, "on_date": None, "starts_at": "18:00", "ends_at": "19:30"}]
    assert offer["district"] == "Himmelev" and offer["contact"]["name"] == "Mette Hansen"
    assert api().get(f"/api/v1/catalogue/offers/{offer['id']}").json()["title"] == "Fredagsbasket for 12–18-årige"

    # replaced without the person's consent: her name is no longer published anywhere
    replaced = client.put(f"/api/v1/catalogue/offers/{offer['id']}",
                          json={key: value for key, value in body("Fredagsbasket", contact_consent=False,
                                                                  contact_name="").items()
                                if key != "organisation_id"})
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["contact"]["name"] is None
    assert "Mette Hansen" not in http.get(f"/offers/{offer['id']}").text
    confirmed = client.post(f"/api/v1/catalogue/offers/{offer['id']}/checked")
    assert confirmed.status_code == 200 and confirmed.json()["last_checked"]


def test_the_rules_refuse_bad_offers_and_write_nothing(api):
    client = api(token_for("rbbc-bestyrelse@partnerskab.test", "catalogue-test"))
    title = "Tilbud med fejl i API'et"
    for bad in (body(title, sessions=[{"weekday": 2, "starts_at": "18:00", "ends_at": "17:00"}]),
                body(title, min_age=50, max_age=10),
                body(title, target_groups=["martians"]),
                body(title, contact_name="Mette Hansen", contact_consent=False),
                body(title, mode="online", online_url="http://example.org")):
        response = client.post("/api/v1/catalogue/offers", json=bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.json().get("errors") or response.json().get("detail")
    for malformed in (body(title, cost_ore=-1), body(title, min_age="ten"), {"title": title}):
        assert client.post("/api/v1/catalogue/offers", json=malformed).status_code in (400, 422)
    with db.connection():
        assert not Offer.select().where(Offer.title == title).exists()


def test_others_may_not_write_and_the_public_reads_only(api):
    number = offer_id("Basket for piger 12–16")
    outsider = api(token_for("slagelse-admin@partnerskab.test", "catalogue-test"))
    current = api().get(f"/api/v1/catalogue/offers/{number}").json()
    replacement = {key: current[key] for key in ("title", "category", "target_groups", "how_to_join")}
    assert outsider.put(f"/api/v1/catalogue/offers/{number}", json=replacement).status_code in (403, 404)
    assert outsider.post("/api/v1/catalogue/offers", json=body("Udefra")).status_code in (403, 404)
    assert api().post("/api/v1/catalogue/offers", json=body("Anonymt")).status_code == 401
    # a draft is not public, but those who keep it see it
    draft = offer_id("Håndbold for de mindste (upubliceret udkast)")
    assert api().get(f"/api/v1/catalogue/offers/{draft}").status_code == 404
    own = api(token_for("roskilde-admin@partnerskab.test", "catalogue-test"))
    assert own.get(f"/api/v1/catalogue/offers/{draft}").json()["public"] is False
    listed = api().get("/api/v1/catalogue/offers").json()
    titles = {item["title"] for item in listed["items"]}
    assert "Streetbasket lørdag for unge" in titles and "Håndbold for de mindste (upubliceret udkast)" not in titles
