"""A peer that signs its answers correctly but publishes bad pages: a page with one bad item
is not applied at all (its good items neither, the cursor stays), a count from 1 to 4 is
refused, the other kinds still complete, and a peer that is busy (503, then 429) is retried
after its Retry-After."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from core import db
from plugins.federation import keys, signing
from plugins.federation.harvest import Options, harvest_all
from plugins.federation.models import HarvestCursor, HarvestedItem, Peer

INSTANCE, KID, SECRET = "ab" * 16, "12345678", "k" * 43
EPOCH = "fake-epoch"
GOOD_PROGRAMME = {"slug": "p", "name": "P", "programme_type": "t", "municipality": {"code": "0330", "name": "Slagelse"},
                  "description": "", "owner": None, "funder": None, "start_date": "2024-01-01", "end_date": None,
                  "status": "active", "budgets": []}


def _page(kind: str, after: int, limit: int) -> dict:
    items = []
    if after == 0 and kind == "programmes":
        items = [{"state": "updated", "kind": kind, "id": "1", "modified": 5, "data": GOOD_PROGRAMME},
                 {"state": "updated", "kind": kind, "id": "2", "modified": 6, "data": {**GOOD_PROGRAMME, "status": "??"}}]
    if after == 0 and kind == "partner_counts":
        items = [{"state": "updated", "kind": kind, "id": "0330:*", "modified": 7,
                  "data": {"municipality": {"code": "0330", "name": "Slagelse"}, "programme_type": None,
                           "count": 3, "suppressed": False}}]
    if after == 0 and kind == "organisations":
        items = [{"state": "updated", "kind": kind, "id": "9", "modified": 8,
                  "data": {"slug": "o", "name": "O", "kind": "association", "cvr": None, "municipality": None,
                           "description": "", "street": "", "postcode": "", "city": "", "website": "",
                           "target_groups": []}}]
    last = items[-1]["modified"] if items else after
    return {"instance": INSTANCE, "epoch": EPOCH, "kind": kind, "items": items,
            "next": f"/federation/v1/feeds/{kind}?afterChangeNumber={last}&limit={limit}"}


class _Handler(BaseHTTPRequestHandler):
    busy = {"left": 2}

    def do_GET(self):  # noqa: N802
        if self.busy["left"] > 0:
            self.busy["left"] -= 1
            self.send_response(503 if self.busy["left"] else 429)
            self.send_header("Retry-After", "0")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        token = self.headers.get("Authorization", "").partition(" ")[2]
        import time
        claims = signing.verify_request_token(token, [SECRET], INSTANCE, time.time())
        parts = urlsplit(self.path)
        if parts.path == "/federation/v1/":
            payload = {"id": INSTANCE, "epoch": EPOCH, "name": "Fake", "kinds": [
                {"key": key} for key in ("programmes", "organisations", "partner_counts")]}
        else:
            query = parse_qs(parts.query)
            payload = _page(parts.path.rsplit("/", 1)[1], int(query["afterChangeNumber"][0]), int(query["limit"][0]))
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header(signing.SIGNATURE_HEADER, signing.sign_response(SECRET, claims["nonce"], body))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 - the report: accepted without a body of interest
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_peer(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with db.connection():
        peer = keys.register_peer("fake-signed", f"http://127.0.0.1:{server.server_address[1]}",
                                  signing.format_key(INSTANCE, KID, SECRET), "test")
    yield peer
    with db.connection():
        keys.set_peer_active(Peer.get(Peer.id == peer.id), False, "test")
    server.shutdown()
    server.server_close()


def test_a_bad_item_keeps_its_whole_page_out_and_small_counts_are_refused(platform, fake_peer):
    waits = []
    reports = harvest_all(platform, peer_names=["fake-signed"], options=Options(read_timeout=5),
                          sleep=waits.append)
    report = reports[0]
    assert waits == [0.0, 0.0], "a 503 and a 429 were each retried after Retry-After"
    assert report.status == "partial", report.line()
    assert "programmes: item 2 (2): status" in report.message
    assert "partner_counts: item 1 (0330:*): count: 3 is below 5" in report.message
    with db.connection():
        stored = {(i.kind, i.item_id) for i in HarvestedItem.select().where(HarvestedItem.peer == fake_peer.id)}
        cursors = {c.kind: c.after for c in HarvestCursor.select().where(HarvestCursor.peer == fake_peer.id)}
    assert stored == {("organisations", "9")}, "the good item on the bad page was not applied either"
    assert cursors["programmes"] == 0 and cursors["partner_counts"] == 0 and cursors["organisations"] == 8
