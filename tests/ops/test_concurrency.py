"""Concurrent writers: 50 clients at once on one programme, over HTTP, against two worker
processes — grants, payment requests (some sent twice with the same key, as a double click or
a retry does), approvals of the same request by several people at once.

Afterwards: the year's grants never exceed the budget, a grant's payment requests never exceed
the grant, one idempotency key made one request, a request was approved once (one audit row),
no update was lost (every acknowledged write is there), the kept per programme × year totals
equal the sums after payments are paid and cancelled at once, and nobody saw a server error, "database
is locked" or a deadlock: a refusal is a 400 or 422 with the rule's words, or a clear 409. ``CONCURRENT_CLIENTS``
sets the number of clients (50).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import httpx

from tests.ops.conftest import ROOT, ServerProcess, cli_env
from tests.ops.test_crash import _csrf, _query

CLIENTS = int(os.environ.get("CONCURRENT_CLIENTS", "50"))
ADMIN, CONSULTANT = "kbh-admin@partnerskab.test", "kbh-konsulent@partnerskab.test"
PASSWORD = "demo-partnerskab-2025"
BAD_WORDS = ("database is locked", "deadlock", "Traceback", "OperationalError")


def _login(base: str, email: str) -> tuple[httpx.Cookies, str]:
    with httpx.Client(base_url=base, timeout=30) as client:
        page = client.get("/login")
        assert client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": _csrf(page.text)}).status_code in (302, 303)
        return client.cookies, _csrf(client.get("/me").text)


def _all_at_once(jobs) -> list:
    """Run the jobs in threads released together; their results in order."""
    results = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except httpx.HTTPError as exc:
            results[index] = exc
    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _check(responses, allowed=(303, 400, 409, 422)) -> None:
    for response in responses:
        assert isinstance(response, httpx.Response), f"no answer: {response!r}"
        assert response.status_code in allowed, (response.status_code, response.text[-500:])
        assert not any(word in response.text for word in BAD_WORDS), response.text[-500:]


def test_fifty_clients_on_one_programme(migrated):
    url, instance = migrated
    made = subprocess.run([sys.executable, "-m", "tests.ops._programme", "concurrency-programme", "30", "2000000"],
                          cwd=ROOT, env=cli_env(url, instance), capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    setup = json.loads(made.stdout.strip().splitlines()[-1])
    server = ServerProcess(url, instance, workers=2).start()
    try:
        admin, admin_csrf = _login(server.base, ADMIN)
        consultant, consultant_csrf = _login(server.base, CONSULTANT)

        def post(cookies, path, data):
            return lambda: httpx.post(server.base + path, data=data, cookies=cookies, timeout=60)

        # 1. grants of 200,000 kr. to 29 partners at once against what is left of a 2,000,000 kr. budget
        #    (the setup's own grant took 200,000): exactly 9 fit
        grants = _all_at_once([post(admin, f"/manage/programmes/{setup['slug']}/grants/new", {
            "csrf_token": admin_csrf, "organisation": str(member), "year": "2025", "amount": "200000",
            "purpose": "concurrency"}) for member in setup["members"][1:]])
        _check(grants)
        assert sum(r.status_code == 303 for r in grants) == 9
        total, budget = _query(url, "SELECT (SELECT SUM(amount_ore) FROM programme_grant WHERE programme_id = ? AND "
                                    "year = 2025), (SELECT amount_ore FROM programme_budget WHERE programme_id = ? AND "
                                    "year = 2025)", (setup["programme_id"], setup["programme_id"]))[0]
        assert total == budget == 2_000_000 * 100

        # 2. CLIENTS payment requests of 10,000 kr. against one grant of 200,000 kr.; every key sent twice
        keys = [f"concurrency-key-{n // 2:04d}-" + "k" * 20 for n in range(CLIENTS)]
        payments = _all_at_once([post(consultant, "/payments/new", {
            "csrf_token": consultant_csrf, "programme": setup["slug"], "commitment": f"grant:{setup['grant_id']}",
            "amount": "10000", "note": "concurrency", "idempotency_key": key}) for key in keys])
        _check(payments)
        rows = _query(url, "SELECT idempotency_key, amount_ore, id FROM payment_request WHERE grant_id = ? AND "
                           "status <> 'cancelled'", (setup["grant_id"],))
        assert len({key for key, _, _ in rows}) == len(rows), "one key made two requests"
        assert sum(amount for _, amount, _ in rows) <= 200_000 * 100, "the grant was exceeded"
        assert len(rows) == min(CLIENTS // 2, 20)
        acknowledged = {r.headers["location"] for r in payments if r.status_code == 303}
        assert acknowledged == {f"/payments/{payment_id}" for _, _, payment_id in rows}, "an acknowledged request is missing"

        # 3. every request approved by five clients at once: approved once, one audit row each
        approvals = _all_at_once([post(admin, f"/payments/{payment_id}/approve", {"csrf_token": admin_csrf})
                                  for _, _, payment_id in rows for _ in range(5)][:max(CLIENTS, 5)])
        _check(approvals)
        for _, _, payment_id in rows[:max(CLIENTS, 5) // 5]:
            status = _query(url, "SELECT status FROM payment_request WHERE id = ?", (payment_id,))[0][0]
            audits = _query(url, "SELECT COUNT(*) FROM audit_entry WHERE action = 'payment.approve' AND object_id = ?",
                            (str(payment_id),))[0][0]
            assert (status, audits) == ("approved", 1)

        # 4. the approved requests paid and cancelled, each by two clients at once; then the kept
        #    per programme × year totals (budget_total) equal the sums of what the clients wrote
        approved = [payment_id for _, _, payment_id in rows
                    if _query(url, "SELECT status FROM payment_request WHERE id = ?", (payment_id,))[0][0] == "approved"]
        payouts = _all_at_once([post(admin, f"/payments/{payment_id}/paid", {
            "csrf_token": admin_csrf, "paid_on": "2025-03-01", "reference": f"BANK-{payment_id}"})
            if n % 3 else post(admin, f"/payments/{payment_id}/cancel", {"csrf_token": admin_csrf, "reason": "x"})
            for n, payment_id in enumerate(approved) for _ in range(2)])
        _check(payouts)
        paid, grants = _query(url, "SELECT (SELECT COALESCE(SUM(amount_ore), 0) FROM payment_request WHERE "
                                   "programme_id = ? AND budget_year = 2025 AND status = 'paid'), (SELECT "
                                   "SUM(amount_ore) FROM programme_grant WHERE programme_id = ? AND year = 2025 AND "
                                   "deleted_at IS NULL)", (setup["programme_id"], setup["programme_id"]))[0]
        assert paid == sum(10_000 * 100 for n, _ in enumerate(approved) if n % 3) > 0
        assert _query(url, "SELECT fees_ore, grants_ore, paid_ore FROM budget_total WHERE programme_id = ? AND "
                           "year = 2025", (setup["programme_id"],)) == [(0, grants, paid)]
    finally:
        server.stop()
