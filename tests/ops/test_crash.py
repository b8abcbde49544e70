"""Crashes: the server is killed with SIGKILL in the middle of writes, again and again.

A real uvicorn process serves a scratch database; two clients write over HTTP as fast as they
can — organisations with target groups (the registry) and payment requests against a grant
(the money rules), each with its audit row — and after a random fraction of a second the whole
process group gets SIGKILL: no clean shutdown, no flushing. The server is started again and
must answer within seconds; then, on SQLite and on PostgreSQL:

- every write the server acknowledged (its redirect reached the client) is there: 0 committed
  rows lost;
- every row that is there is whole: an organisation has both its target groups and its audit
  row, a payment request its audit row and the amount sent — also the ones written while the
  kill landed, whose answer never came (0 half-written records);
- the database's own integrity check is clean (SQLite's ``PRAGMA integrity_check`` and the
  search index's; on PostgreSQL no row points at a missing one).

``CRASH_KILLS`` sets how many kills (5 here, in CI; ``make crash`` runs 100).
"""
from __future__ import annotations

import os
import random
import threading
import time

import httpx
import pytest

from core import db
from tests.ops.conftest import ServerProcess

KILLS = int(os.environ.get("CRASH_KILLS", "5"))
EMAIL, PASSWORD = "kbh-admin@partnerskab.test", "demo-partnerskab-2025"
GROUPS = ("children", "youth")


def _csrf(text: str) -> str:
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _query(url: str, sql: str, params=()) -> list[tuple]:
    database = db.open_database(url)
    try:
        with database.connection_context():
            sql = sql.replace("?", database.param)
            return database.execute_sql(sql, params).fetchall()
    finally:
        if hasattr(database, "close_all"):
            database.close_all()


class Writers:
    """Two threads writing until the server stops answering; what was acknowledged, and what was sent."""

    def __init__(self, base: str, cookies: httpx.Cookies, csrf: str, programme: str, grant_id: int, cycle: int):
        self.base, self.cookies, self.csrf = base, cookies, csrf
        self.programme, self.grant_id, self.cycle = programme, grant_id, cycle
        self.acknowledged: dict[str, set[str]] = {"organisations": set(), "payments": set()}
        self.sent: dict[str, set[str]] = {"organisations": set(), "payments": set()}
        self.unexpected: list[str] = []
        self.stop = threading.Event()

    def _loop(self, kind: str) -> None:
        with httpx.Client(base_url=self.base, cookies=self.cookies, timeout=10) as client:
            n = 0
            while not self.stop.is_set():
                n += 1
                marker = f"Crash {self.cycle}-{n}"
                if kind == "organisations":
                    data = {"csrf_token": self.csrf, "name": marker, "kind": "association", "municipality": "0101",
                            "city": "København", "target_groups": list(GROUPS)}
                    path = "/manage/organisations/new"
                else:
                    data = {"csrf_token": self.csrf, "programme": self.programme, "commitment": f"grant:{self.grant_id}",
                            "amount": "1", "note": marker, "idempotency_key": f"crash-{self.cycle}-{n}-" + "k" * 24}
                    path = "/payments/new"
                self.sent[kind].add(marker)
                try:
                    response = client.post(path, data=data)
                except httpx.HTTPError:
                    return  # the server is gone: this write may or may not have been committed
                if response.status_code in (302, 303):
                    self.acknowledged[kind].add(marker)
                else:
                    errors = [line.strip() for line in response.text.splitlines() if "error" in line.lower()][:5]
                    self.unexpected.append(f"{kind} {marker}: {response.status_code} {errors}")
                    return

    def __enter__(self):
        self.threads = [threading.Thread(target=self._loop, args=(kind,), daemon=True)
                        for kind in ("organisations", "payments")]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def check_whole(url: str) -> tuple[set[str], set[str]]:
    """Every crash organisation and payment is whole; returns the markers found."""
    organisations = _query(url, "SELECT o.id, o.name FROM organisation o WHERE o.name LIKE ?", ("Crash %",))
    for organisation_id, name in organisations:
        groups = {row[0] for row in _query(url, "SELECT target_group FROM organisation_target_group "
                                               "WHERE organisation_id = ?", (organisation_id,))}
        assert groups == set(GROUPS), f"{name}: target groups {groups}"
        audit = _query(url, "SELECT COUNT(*) FROM audit_entry WHERE action = 'organisation.create' AND "
                            "object_id = ?", (str(organisation_id),))[0][0]
        assert audit == 1, f"{name}: {audit} audit rows"
    payments = _query(url, "SELECT id, note, amount_ore FROM payment_request WHERE note LIKE ?", ("Crash %",))
    for payment_id, note, amount in payments:
        assert amount == 100, f"{note}: {amount} øre"
        audit = _query(url, "SELECT COUNT(*) FROM audit_entry WHERE action = 'payment.request' AND object_id = ?",
                       (str(payment_id),))[0][0]
        assert audit == 1, f"{note}: {audit} audit rows"
    return {name for _, name in organisations}, {note for _, note, _ in payments}


def check_integrity(url: str) -> None:
    if url.startswith("sqlite"):
        assert _query(url, "PRAGMA integrity_check") == [("ok",)]
        assert _query(url, "PRAGMA foreign_key_check") == []
        _query(url, "INSERT INTO organisation_search(organisation_search) VALUES ('integrity-check')")
        indexed = _query(url, "SELECT COUNT(*) FROM organisation_search")[0][0]
        live = _query(url, "SELECT COUNT(*) FROM organisation WHERE deleted_at IS NULL")[0][0]
        assert indexed == live
    else:
        orphans = _query(url, "SELECT COUNT(*) FROM organisation_target_group g LEFT JOIN organisation o "
                              "ON o.id = g.organisation_id WHERE o.id IS NULL")[0][0]
        assert orphans == 0
        unreadable = _query(url, "SELECT COUNT(*) FROM payment_request p LEFT JOIN programme_grant g "
                                 "ON g.id = p.grant_id WHERE p.grant_id IS NOT NULL AND g.id IS NULL")[0][0]
        assert unreadable == 0


def test_sigkill_in_the_middle_of_writes_loses_nothing_committed(migrated):
    url, instance = migrated
    # the Copenhagen grant with the most left to pay (past years' grants are paid in full)
    programme, grant_id = _query(url, "SELECT p.slug, g.id FROM programme_grant g JOIN programme p ON "
                                      "p.id = g.programme_id JOIN municipality m ON m.id = p.municipality_id "
                                      "WHERE m.code = '0101' AND g.deleted_at IS NULL ORDER BY g.amount_ore - "
                                      "COALESCE((SELECT SUM(r.amount_ore) FROM payment_request r WHERE r.grant_id = "
                                      "g.id AND r.status <> 'cancelled'), 0) DESC, g.id LIMIT 1")[0]
    server = ServerProcess(url, instance).start()
    with httpx.Client(base_url=server.base, timeout=30) as client:
        login = client.get("/login")
        assert client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                           "csrf_token": _csrf(login.text)}).status_code in (302, 303)
        csrf = _csrf(client.get("/manage/organisations/new").text)
        cookies = client.cookies
    rnd = random.Random(12)
    acknowledged = {"organisations": set(), "payments": set()}
    restarts = []
    try:
        for cycle in range(KILLS):
            with Writers(server.base, cookies, csrf, programme, grant_id, cycle) as writers:
                time.sleep(rnd.uniform(0.3, 1.2))
                server.kill()
            assert not writers.unexpected, writers.unexpected
            for kind in acknowledged:
                acknowledged[kind] |= writers.acknowledged[kind]
            started = time.monotonic()
            server.start(timeout=30)
            restarts.append(time.monotonic() - started)
            organisations, payments = check_whole(url)
            assert acknowledged["organisations"] <= organisations, "acknowledged organisations were lost"
            assert acknowledged["payments"] <= payments, "acknowledged payment requests were lost"
            check_integrity(url)
    finally:
        server.stop()
    assert sum(len(v) for v in acknowledged.values()) >= KILLS, "the clients hardly wrote anything"
    assert max(restarts) < 15, f"the server took {max(restarts):.1f} s to answer again"
