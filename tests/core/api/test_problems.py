"""Bad input gets an RFC 9457 problem with a 4xx status, never a 5xx: wrong JSON, wrong types,
unknown ids, huge numbers, strings where numbers are expected."""
from __future__ import annotations

import pytest

from tests.core.api.conftest import token_for

PROBLEM = "application/problem+json"


@pytest.fixture
def admin(api):
    return api(token_for("admin@partnerskab.test"))


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == status
    return body


@pytest.mark.parametrize("path", [
    "/api/v1/applications/99999999", "/api/v1/applications/abc", "/api/v1/payments/0",
    "/api/v1/payments/" + "9" * 40, "/api/v1/organisations/-1", "/api/v1/nothing-here",
])
def test_unknown_ids_and_paths_are_404(admin, path):
    _problem(admin.get(path), 404)


@pytest.mark.parametrize("query", ["limit=abc", "limit=0", "limit=100000", "after=" + "9" * 30, "after=-1",
                                   "status=nonsense", "programme=x"])
def test_bad_query_parameters_are_400_with_errors(admin, query):
    name = query.split("=")[0]
    body = _problem(admin.get(f"/api/v1/payments?{query}"), 400)
    assert body["type"].endswith("validation-error") and name in body["errors"]


@pytest.mark.parametrize("raw", [b"{", b"[1, 2]", b'"text"', b"NaN", b'{"kind": Infinity}', b"\xff\xfe"])
def test_malformed_bodies_are_400(admin, raw):
    response = admin.post("/api/v1/payments", content=raw, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    _problem(response, response.status_code)


def test_wrong_types_and_huge_numbers_are_named_per_field(admin):
    body = _problem(admin.post("/api/v1/payments", json={
        "kind": "gift", "sign_on_fee_id": "seven", "amount_ore": 10**40, "idempotency_key": "short",
        "note": 5, "extra": True}), 400)
    assert set(body["errors"]) == {"kind", "sign_on_fee_id", "amount_ore", "idempotency_key", "note", "extra"}
    body = _problem(admin.post("/api/v1/payments", json={}), 400)
    assert {"kind", "amount_ore", "idempotency_key"} <= set(body["errors"])
    body = _problem(admin.post("/api/v1/payments", json={"kind": "sign_on_fee", "amount_ore": True,
                                                         "idempotency_key": "k" * 20}), 400)
    assert "amount_ore" in body["errors"]
    body = _problem(admin.post("/api/v1/applications/1/decide", json={"decision": 1, "reason": ["x"],
                                                                      "consultant_id": 2**70}), 400)
    assert set(body["errors"]) == {"decision", "reason", "consultant_id"}
    body = _problem(admin.post("/api/v1/applications/1/submit", json={"answers": {"a": 1}}), 400)
    assert "answers.a" in body["errors"]


def test_unknown_commitments_and_wrong_media_types(admin):
    body = _problem(admin.post("/api/v1/payments", json={"kind": "grant_instalment", "grant_id": 2**53 - 1,
                                                         "amount_ore": 100, "idempotency_key": "k" * 20}), 422)
    assert "grant_id" in body["errors"]
    _problem(admin.post("/api/v1/payments", content=b"kind=x", headers={"Content-Type": "text/plain"}), 400)
    _problem(admin.post("/api/v1/applications/99999999/decide", json={"decision": "accept", "reason": "x"}), 404)
    # a state the rules refuse: deciding a decided application is a conflict
    _problem(admin.post("/api/v1/applications/1/decide", json={"decision": "reject", "reason": "x"}), 409)
    _problem(admin.put("/api/v1/payments"), 405)
