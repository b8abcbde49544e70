"""The publishing side over real HTTP (the test session's app): the description, RPDE pages,
and the trust rules — an unsigned, replayed, expired, future-dated or wrongly signed request
is refused; clocks may differ by up to 30 seconds; keys rotate and revoke; every answer is
signed over its body and the request's nonce."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from core import db
from core.models.audit import AuditEntry
from plugins.federation import keys, signing
from plugins.federation.feed import MAX_LIMIT
from plugins.federation.models import Harvester, HarvesterKey


@pytest.fixture(scope="module")
def harvester_key(platform):
    with db.connection():
        existing = Harvester.get_or_none(Harvester.name == "publishing-test")
        if existing is None:
            _client, text = keys.create_client(platform, "publishing-test", "test")
        else:
            text = keys.new_client_key(platform, existing, "test")
    return signing.parse_key(text)


def signed(http, path, key, *, now=None, method="GET", content=None, token=None):
    instance_id, kid, secret = key
    made, nonce = signing.make_request_token([(kid, secret)], instance_id, time.time() if now is None else now)
    response = http.request(method, path, headers={"Authorization": f"Bearer {token or made}"}, content=content)
    return response, nonce, made


def test_the_description_is_signed_over_body_and_nonce(http, harvester_key):
    response, nonce, _token = signed(http, "/federation/v1/", harvester_key)
    assert response.status_code == 200
    signing.verify_response([harvester_key[1:]], response.headers[signing.SIGNATURE_HEADER], nonce, response.content)
    with pytest.raises(signing.BadResponse):  # another body, or another request's nonce, does not verify
        signing.verify_response([harvester_key[1:]], response.headers[signing.SIGNATURE_HEADER], nonce,
                                response.content + b" ")
    with pytest.raises(signing.BadResponse):
        signing.verify_response([harvester_key[1:]], response.headers[signing.SIGNATURE_HEADER], "another-nonce",
                                response.content)
    described = response.json()
    assert described["id"] == harvester_key[0] and described["epoch"] and described["version"]
    assert harvester_key[1] in described["keys"] and described["harvester"] == "publishing-test"
    assert {k["key"] for k in described["kinds"]} >= {"programmes", "organisations", "memberships", "money",
                                                      "partner_counts"}


def test_pages_follow_rpde(http, harvester_key):
    after, seen, pages = 0, [], 0
    while True:
        response, _nonce, _t = signed(http, f"/federation/v1/feeds/memberships?afterChangeNumber={after}&limit=7",
                                      harvester_key)
        page = response.json()
        nxt = urlsplit(page["next"])
        assert nxt.path == "/federation/v1/feeds/memberships" and parse_qs(nxt.query)["limit"] == ["7"]
        if not page["items"]:
            assert parse_qs(nxt.query)["afterChangeNumber"] == [str(after)], "the last page points at itself"
            break
        assert len(page["items"]) <= 7
        changes = [(item["modified"], item["id"]) for item in page["items"]]
        assert changes == sorted(changes) and changes[0][0] > after
        assert parse_qs(nxt.query)["afterChangeNumber"] == [str(changes[-1][0])]
        seen += [item["id"] for item in page["items"]]
        after, pages = changes[-1][0], pages + 1
    assert pages > 1 and len(seen) == len(set(seen))


@pytest.mark.parametrize("query, status", [("afterChangeNumber=abc", 400), ("limit=0", 400),
                                           (f"limit={MAX_LIMIT + 1}", 400), ("afterChangeNumber=-1", 400)])
def test_bad_parameters_are_400(http, harvester_key, query, status):
    response, _n, _t = signed(http, f"/federation/v1/feeds/programmes?{query}", harvester_key)
    assert response.status_code == status and response.json()["code"] == "bad-parameter"


def test_an_unknown_kind_is_404(http, harvester_key):
    response, _n, _t = signed(http, "/federation/v1/feeds/secrets", harvester_key)
    assert response.status_code == 404


def _code(response) -> str:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    return response.json()["code"]


def test_no_token_no_feed(http):
    assert _code(http.get("/federation/v1/feeds/programmes")) == "no-token"
    assert _code(http.get("/federation/v1/", headers={"Authorization": "Bearer not-a-token"})) == "unknown-key"


def test_a_replayed_token_is_refused(http, harvester_key):
    first, _nonce, token = signed(http, "/federation/v1/", harvester_key)
    assert first.status_code == 200
    again, _n, _t = signed(http, "/federation/v1/", harvester_key, token=token)
    assert _code(again) == "replayed"


def test_clocks_may_differ_by_thirty_seconds_not_ten_minutes(http, harvester_key):
    now = time.time()
    assert signed(http, "/federation/v1/", harvester_key, now=now + 25)[0].status_code == 200
    assert signed(http, "/federation/v1/", harvester_key, now=now - 80)[0].status_code == 200
    assert _code(signed(http, "/federation/v1/", harvester_key, now=now + 600)[0]) == "from-the-future"
    assert _code(signed(http, "/federation/v1/", harvester_key, now=now - 200)[0]) == "expired"


def test_a_wrong_key_is_refused_and_audited(http, harvester_key):
    instance_id, kid, _secret = harvester_key
    response, _n, _t = signed(http, "/federation/v1/", (instance_id, kid, "w" * 43))
    assert _code(response) == "bad-signature"
    response, _n, _t = signed(http, "/federation/v1/", (instance_id, "0badc0de", "w" * 43))
    assert _code(response) == "unknown-key"
    response, _n, _t = signed(http, "/federation/v1/", ("f" * 32, kid, harvester_key[2]))
    assert _code(response) == "wrong-audience"
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action == "federation.refused").count() >= 3


def test_keys_rotate_and_revoke(http, platform, harvester_key):
    with db.connection():
        client = Harvester.get(Harvester.name == "publishing-test")
        new_key = signing.parse_key(keys.new_client_key(platform, client, "test"))
    assert signed(http, "/federation/v1/", harvester_key)[0].status_code == 200  # the old key still works
    assert signed(http, "/federation/v1/", new_key)[0].status_code == 200
    with db.connection():
        keys.revoke_client_key(HarvesterKey.get(HarvesterKey.kid == harvester_key[1]), "test")
    assert _code(signed(http, "/federation/v1/", harvester_key)[0]) == "unknown-key"
    assert signed(http, "/federation/v1/", new_key)[0].status_code == 200


def test_a_report_needs_a_token_and_is_kept(http, platform):
    with db.connection():
        _client, text = keys.create_client(platform, "report-test", "test")
    key = signing.parse_key(text)
    body = b'{"status": "ok", "started_at": "2025-01-01T10:00:00Z", "finished_at": "2025-01-01T10:00:05Z", "summary": {"updated": 3}}'
    # no token: an API request without credentials is told to authenticate (401), nothing kept
    refused = http.post("/api/federation/v1/reports", content=body)
    assert refused.status_code == 401 and refused.headers.get("www-authenticate", "").startswith("Bearer")
    response, _n, _t = signed(http, "/api/federation/v1/reports", key, method="POST", content=body)
    assert response.status_code == 200 and response.json() == {"received": True}
    response, _n, _t = signed(http, "/api/federation/v1/reports", key, method="POST", content=b"{not json")
    assert response.status_code == 400 and response.json()["code"] == "bad-report"
    from plugins.federation.models import ReceivedReport
    with db.connection():
        kept = ReceivedReport.select().join(Harvester).where(Harvester.name == "report-test")
        assert [report.status for report in kept] == ["ok"]


def test_a_browser_gets_json_not_a_page(live_server):
    response = httpx.get(live_server + "/federation/v1/", headers={"Accept": "text/html"})
    assert response.status_code == 401 and response.headers["content-type"].startswith("application/problem+json")
