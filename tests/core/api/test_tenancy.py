"""The API answers to the same permission and tenancy rules as the pages; every API route
declares its permission, and the OpenAPI document lists exactly the router's routes."""
from __future__ import annotations

from starlette.routing import Route

from core import authz, db
from core.models.application import Application
from core.models.call import Call
from core.models.organisation import Organisation
from core.models.payment import PaymentRequest
from core.models.programme import Programme
from tests.core.api.conftest import token_for

SLAGELSE = "slagelse-faellesskabsalliancen"
COPENHAGEN = "kobenhavn-sociale-partnerskaber"


def _api_routes(app):
    return [route for route in app.routes if isinstance(route, Route) and route.path.startswith("/api/")]


def test_every_api_route_declares_a_known_permission(app, platform):
    known = platform.permissions.known_actions | {authz.PUBLIC}
    routes = _api_routes(app)
    assert len(routes) >= 23
    for route in routes:
        assert authz.route_permission(route) in known, route.path
    # private data needs a permission; the registry, calls and budgets are public as on the pages
    private = {route.path: route.permission for route in routes
               if route.path.startswith(("/api/v1/applications", "/api/v1/agreements", "/api/v1/payments"))}
    assert private and authz.PUBLIC not in private.values()


def test_the_document_lists_exactly_the_routes(app, http):
    document = http.get("/api/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    routed = {(route.path, method) for route in _api_routes(app) if route.path.startswith("/api/v1/")
              for method in route.methods if method != "HEAD"}
    assert documented == routed
    for path, item in document["paths"].items():
        for method, entry in item.items():
            route = next(r for r in _api_routes(app) if r.path == path and method.upper() in r.methods)
            if route.permission != authz.PUBLIC:
                assert entry["security"] == [{"bearerAuth": []}], path
                assert route.permission in entry["description"]
            assert "400" in entry["responses"] and "404" in entry["responses"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def _slagelse_private_ids():
    with db.connection():
        application = (Application.select().join(Call).join(Programme).where(Programme.slug == SLAGELSE)
                       .order_by(Application.id).first())
        payment = (PaymentRequest.select().join(Programme).where(Programme.slug == SLAGELSE)
                   .order_by(PaymentRequest.id).first())
        copenhagen_payment = (PaymentRequest.select().join(Programme).where(Programme.slug == COPENHAGEN)
                              .order_by(PaymentRequest.id).first())
    assert application and payment and copenhagen_payment, "the demo data has Slagelse applications and payments"
    return application.id, payment.id, copenhagen_payment.id


def _all(client, path):
    items, url = [], path
    while url:
        page = client.get(url)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        url = page.json()["next"]
    return items


def test_a_copenhagen_token_cannot_read_slagelse_s_private_data(api):
    application_id, payment_id, copenhagen_payment_id = _slagelse_private_ids()
    copenhagen = api(token_for("kbh-admin@partnerskab.test"))
    slagelse = api(token_for("slagelse-frivilligcenter@partnerskab.test"))
    assert slagelse.get(f"/api/v1/applications/{application_id}").status_code == 200
    assert slagelse.get(f"/api/v1/payments/{payment_id}").status_code == 200
    for path in (f"/api/v1/applications/{application_id}", f"/api/v1/payments/{payment_id}"):
        refused = copenhagen.get(path)
        assert refused.status_code == 404 and refused.headers["content-type"] == "application/problem+json"
    assert copenhagen.get(f"/api/v1/payments/{copenhagen_payment_id}").status_code == 200
    assert slagelse.get(f"/api/v1/payments/{copenhagen_payment_id}").status_code == 404
    # the lists agree with the single items (paged with `next`, small pages to walk several)
    listed = {item["id"] for item in _all(copenhagen, "/api/v1/payments?limit=3")}
    assert payment_id not in listed and copenhagen_payment_id in listed
    assert application_id not in {item["id"] for item in _all(copenhagen, "/api/v1/applications?limit=5")}
    # a platform administrator sees both
    admin = api(token_for("admin@partnerskab.test"))
    assert admin.get(f"/api/v1/payments/{payment_id}").status_code == 200
    assert admin.get(f"/api/v1/payments/{copenhagen_payment_id}").status_code == 200


def test_public_registry_with_private_fields_only_where_permitted(api):
    with db.connection():
        kbh_org = Organisation.select().where(Organisation.municipality == 1, Organisation.deleted_at.is_null()).first()
        slagelse_org = Organisation.get(Organisation.slug == "frivilligcenter-slagelse")
    copenhagen = api(token_for("kbh-admin@partnerskab.test"))
    public = api().get(f"/api/v1/organisations/{kbh_org.id}").json()
    assert public["name"] == kbh_org.name and public["private"] is None
    assert copenhagen.get(f"/api/v1/organisations/{kbh_org.id}").json()["private"]["created_at"]
    assert copenhagen.get(f"/api/v1/organisations/{slagelse_org.id}").json()["private"] is None
    # every page of the directory, anonymously: all public, none private
    organisations = _all(api(), "/api/v1/organisations?limit=20")
    assert len(organisations) >= 60 and all(item["private"] is None for item in organisations)
    assert len({item["id"] for item in organisations}) == len(organisations)
    budgets = api().get("/api/v1/budgets").json()["items"]
    assert any(entry["years"] for entry in budgets)
    assert api().get("/api/v1/budgets/999999").status_code == 404
