"""Load: simulated people with a realistic mix, and two server processes that share everything.

``test_fifty_users_with_a_realistic_mix``: ``LOAD_USERS`` (50) people for ``LOAD_SECONDS`` (30 in
CI; ``make load`` runs 600 on PostgreSQL with several workers) against ``LOAD_WORKERS`` (2)
worker processes. People arrive over the first third of the run (at most 10 s), each thinks
0.2–1.5 s between clicks and, by weight, browses the
directory and organisations, searches, reads programmes, logs in and looks at their to-do list,
asks for a payment (a consultant) or approves one (an administrator). Every answer must be a
success (no 5xx, no error page), p95 < 300 ms and p99 < 1 s.

``test_two_servers_share_sessions_and_throttles``: two processes on different ports against one
database, nothing sticky: a login on one is a login on the other, a logout on one ends it on both,
and failed logins count across both.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time

import httpx

from tests.ops.conftest import ROOT, ServerProcess, cli_env
from tests.ops.test_crash import _csrf

USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
# The targets (p95 < 300 ms, p99 < 1 s) hold in ``make load`` (LOAD_STRICT=1). The short run in the
# suite checks for errors and only for latencies far beyond them: it shares its two cores with the
# rest of the suite and whatever else the machine runs, and a busy neighbour is no regression.
STRICT = bool(os.environ.get("LOAD_STRICT"))
P95_MS = float(os.environ.get("LOAD_P95_MS", "300" if STRICT else "5000"))
P99_MS = float(os.environ.get("LOAD_P99_MS", "1000" if STRICT else "15000"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PASSWORD = "demo-partnerskab-2025"
WORDS = ("basket", "klub", "hillerod", "roskilde", "frivillig", "ungdom", "håndbold", "fodbold", "skak", "børn")
ACCOUNTS = ("kbh-admin@partnerskab.test", "kbh-konsulent@partnerskab.test", "roskilde-admin@partnerskab.test",
            "slagelse-frivilligcenter@partnerskab.test", "national@partnerskab.test")


class Person(threading.Thread):
    def __init__(self, number: int, base: str, until: float, setup: dict, samples: list, errors: list):
        super().__init__(daemon=True)
        self.rnd = random.Random(number)
        self.base, self.until, self.setup = base, until, setup
        self.samples, self.errors = samples, errors
        self.client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        self.email = ACCOUNTS[number % len(ACCOUNTS)]
        self.csrf = ""
        self.by_kind: dict[str, list[float]] = {}

    def request(self, method: str, path: str, **kwargs) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            self.errors.append(f"{method} {path}: {exc!r}")
            return None
        self.samples.append((time.perf_counter() - started) * 1000)
        self.by_kind.setdefault(f"{method} {path.split('?')[0][:20]}", []).append(self.samples[-1])
        if response.status_code >= 400 and not (response.status_code == 400 and method == "POST"):
            self.errors.append(f"{method} {path}: {response.status_code}")
        return response

    def log_in(self) -> None:
        page = self.request("GET", "/login")
        if page is not None and page.status_code == 200:
            self.request("POST", "/login", data={"email": self.email, "password": PASSWORD,
                                                 "csrf_token": _csrf(page.text)})
            me = self.request("GET", "/me")
            if me is not None and 'name="csrf_token"' in me.text:
                self.csrf = _csrf(me.text)

    def step(self) -> None:
        choice = self.rnd.choices(["browse", "search", "organisation", "programme", "todo", "request", "approve"],
                                  [25, 25, 15, 10, 10, 8, 7])[0]
        if choice == "browse":
            self.request("GET", "/organisations", params={"page": self.rnd.randint(1, 5)})
        elif choice == "search":
            self.request("GET", "/organisations", params={"q": self.rnd.choice(WORDS)})
        elif choice == "organisation":
            self.request("GET", f"/organisations/{self.rnd.choice(self.setup['slugs'])}")
        elif choice == "programme":
            self.request("GET", self.rnd.choice(["/programmes", f"/programmes/{self.setup['slug']}", "/budgets"]))
        else:
            if not self.csrf:
                self.log_in()
                return
            if choice == "todo":
                self.request("GET", "/todo")
            elif choice == "request" and self.email.startswith("kbh-konsulent"):
                self.request("POST", "/payments/new", data={
                    "csrf_token": self.csrf, "programme": self.setup["slug"], "commitment": f"grant:{self.setup['grant_id']}",
                    "amount": "1", "note": "load", "idempotency_key": f"load-{self.rnd.random():.12f}".replace(".", "")})
            elif choice == "approve" and self.email.startswith("kbh-admin"):
                listing = self.request("GET", "/payments")
                if listing is not None and "/approve" in listing.text:
                    payment = listing.text.split('action="/payments/', 1)[1].split("/", 1)[0]
                    if payment.isdigit():
                        self.request("POST", f"/payments/{payment}/approve", data={"csrf_token": self.csrf})
            else:
                self.request("GET", "/me")

    def run(self) -> None:
        with self.client:
            while time.monotonic() < self.until:
                self.step()
                time.sleep(self.rnd.uniform(0.2, 1.5))


def _programme(url: str, instance, slug: str) -> dict:
    made = subprocess.run([sys.executable, "-m", "tests.ops._programme", slug, "3", "5000000"], cwd=ROOT,
                          env=cli_env(url, instance), capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    return json.loads(made.stdout.strip().splitlines()[-1])


def test_fifty_users_with_a_realistic_mix(migrated):
    url, instance = migrated
    setup = _programme(url, instance, f"load-programme-{int(time.time())}")
    server = ServerProcess(url, instance, workers=WORKERS).start()
    try:
        listing = httpx.get(server.base + "/organisations", params={"municipality": "0101"}, timeout=30).text
        setup["slugs"] = sorted({part.split('"', 1)[0] for part in listing.split('href="/organisations/')[1:]})
        assert setup["slugs"]
        samples: list[float] = []
        errors: list[str] = []
        until = time.monotonic() + SECONDS
        people = [Person(n, server.base, until, setup, samples, errors) for n in range(USERS)]
        arrival = min(10.0, SECONDS / 3) / USERS  # people arrive over the first third, not in one instant
        for person in people:
            person.start()
            time.sleep(arrival)
        for person in people:
            person.join(timeout=SECONDS + 120)
    finally:
        server.stop()
    samples.sort()
    p95 = samples[int(0.95 * (len(samples) - 1))]
    p99 = samples[int(0.99 * (len(samples) - 1))]
    report = (f"{len(samples)} requests from {USERS} people in {SECONDS:.0f} s on {WORKERS} workers: "
              f"p50 {statistics.median(samples):.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, {len(errors)} errors")
    slowest: dict[str, list[float]] = {}
    for person in people:
        for kind, values in person.by_kind.items():
            slowest.setdefault(kind, []).extend(values)
    report += "; slowest: " + ", ".join(f"{kind} p95 {sorted(v)[int(0.95 * (len(v) - 1))]:.0f} ms ({len(v)})"
                                        for kind, v in sorted(slowest.items(), key=lambda kv: -max(kv[1]))[:5])
    print(report)
    assert not errors, errors[:10]
    assert len(samples) > USERS * 2, report
    assert p95 < P95_MS and p99 < P99_MS, report


def test_two_servers_share_sessions_and_throttles(migrated):
    url, instance = migrated
    first, second = ServerProcess(url, instance), ServerProcess(url, instance)
    first.start()
    second.start()
    try:
        with httpx.Client(base_url=first.base, timeout=30) as one, httpx.Client(base_url=second.base, timeout=30) as two:
            page = one.get("/login")
            assert one.post("/login", data={"email": ACCOUNTS[0], "password": PASSWORD,
                                            "csrf_token": _csrf(page.text)}).status_code in (302, 303)
            two.cookies = one.cookies
            me = two.get("/me")  # logged in on the other process too
            assert me.status_code == 200 and ACCOUNTS[0] in me.text
            assert two.post("/logout", data={"csrf_token": _csrf(me.text)}).status_code in (302, 303)
            assert one.get("/me").status_code in (302, 303)  # ended on both

            # failed logins count across both processes: the account is throttled on either
            statuses = []
            victim = ACCOUNTS[2]
            for attempt in range(7):
                client = (one, two)[attempt % 2]
                form = client.get("/login")
                statuses.append(client.post("/login", data={"email": victim, "password": "wrong password!",
                                                            "csrf_token": _csrf(form.text)}).status_code)
            assert statuses[:5] == [400] * 5 or statuses[:5] == [401] * 5 or 429 not in statuses[:5], statuses
            assert statuses[5:] == [429, 429], statuses
    finally:
        first.stop()
        second.stop()


def test_two_servers_share_the_scheduled_jobs(migrated):
    """Two processes polling every second run each due slot of the housekeeping jobs once between
    them (``core.jobs``: a slot is claimed by one ``job_run`` row), and nothing fails."""
    from tests.ops.test_crash import _query
    url, instance = migrated
    first = ServerProcess(url, instance, PARTNERSKAB_JOBS_POLL_SECONDS="1").start()
    second = ServerProcess(url, instance, PARTNERSKAB_JOBS_POLL_SECONDS="1").start()
    try:
        housekeeping = ("core.sessions-expire", "core.login-attempts-trim")
        deadline = time.monotonic() + 20
        rows = []
        while time.monotonic() < deadline:
            rows = _query(url, "SELECT job, slot, status, worker FROM job_run")
            if {row[0] for row in rows} >= set(housekeeping):
                break
            time.sleep(0.5)
        time.sleep(2)  # both processes have polled again since: the slot stays run once
        rows = _query(url, "SELECT job, slot, status, worker FROM job_run")
        for job in housekeeping:
            runs = [row for row in rows if row[0] == job]
            assert runs, f"{job} never ran"
            slots = [row[1] for row in runs]
            assert len(slots) == len(set(slots)), f"{job} ran a slot twice: {runs}"
            assert all(row[2] == "done" for row in runs), runs
    finally:
        first.stop()
        second.stop()
