"""The federation scenario of ``make bench``: feeds served and harvests run, in items per second
and memory (issue 10).

    .venv/bin/python -m benchmarks.run --only federation --quick        # < 2 minutes
    .venv/bin/python -m benchmarks.run --only federation --federation-organisations 100000

Each peer is an instance of its own, as the federation tests start them (a fresh SQLite file,
its own secret key, every plugin of the default configuration), filled by ``partnerskab
bench-data --organisations N`` (the project's generator), everything shared (``federation share --all``), a key
made for the harvester ``national`` (``federation harvester-add``), then served by uvicorn
on loopback. The national instance is one more SQLite file with the peers registered through
``federation peer-add``.

- Publish side: this process walks every kind's feed of the first peer from change number 0
  with ``afterChangeNumber``/``limit`` pages, each request signed and each answer checked
  through the harvester's own ``Connection`` (as a real peer does): items and pages per
  second per kind, and the server's peak memory (VmHWM).
- Harvest side: ``harvest_all`` runs in a process of its own (``python -m
  benchmarks.federation harvest``) on the national instance, once from nothing (full) and once
  more with nothing new (incremental), each in a fresh process so each peak is its own:
  items per second end to end (HTTP, signatures, validation, writes) and the harvesting
  process's peak resident memory (VmHWM, the kernel's ``ru_maxrss`` of its own memory map)
  before and after the harvest.
- The national dashboards (``/national``, ``/national/harvest``, ``/national/learnings`` with and
  without words) on the harvested national instance, as its national coordinator sees them
  (``python -m benchmarks.federation dashboards``): each page's median time beside the median of
  the same SQL run alone, and the ratio, which issue 12 wants within 2×.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _port(used: set[int]) -> int:
    """A free port; within ``BENCH_PORTS`` (``9800-9899``) when set, else any the system gives."""
    import socket
    wanted = os.environ.get("BENCH_PORTS", "")
    candidates = [0]
    if wanted:
        low, _sep, high = wanted.partition("-")
        candidates = [port for port in range(int(low), int(high or low) + 1) if port not in used]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            found = sock.getsockname()[1]
            used.add(found)
            return found
    raise SystemExit(f"no free port in {wanted}")


def _peer(run, workdir: Path, name: str, organisations: int, used_ports: set[int]) -> dict:
    """Migrate, generate, share, make the harvester's key and start the server of one peer."""
    folder = workdir / name
    folder.mkdir()
    url = f"sqlite:///{folder / 'peer.sqlite3'}"
    env = run.environment(url, folder / "instance", f"bench-peer-{name}-" + "x" * 32,
                          PARTNERSKAB_JOBS_IN_SERVER="false")
    started = time.perf_counter()
    run.partnerskab(env, "migrate")
    generated = run.partnerskab(env, "bench-data", "--organisations", str(organisations))
    run.partnerskab(env, "federation", "share", "--all")
    key = run.partnerskab(env, "federation", "harvester-add", "national").split(" | ", 1)[0].strip()
    port = _port(used_ports)
    server = run.Server(f"peer {name}", [run.PYTHON, "-m", "uvicorn", "core.app:asgi_app", "--factory", "--host",
                                         "127.0.0.1", "--port", str(port), "--log-level", "warning",
                                         "--no-access-log"], env, port, "/healthz")
    return {"name": name, "key": key, "server": server, "generated": generated.split(" | ")[0],
            "setup_seconds": round(time.perf_counter() - started, 1)}


def walk_feeds(base_url: str, key: str, limit: int) -> dict:
    """Read every kind's feed of a peer from the start, signed like a harvester: per kind the items,
    pages and seconds (the last, empty page included, as a harvester reads it too)."""
    from plugins.federation import signing
    from plugins.federation.harvest import Connection, Options
    from plugins.federation.models import Peer

    instance_id, kid, secret = signing.parse_key(key)
    peer = Peer(name="bench", base_url=base_url, instance_id=instance_id)
    connection = Connection(peer, [(kid, secret)], Options(), time.monotonic() + 3600, time.time, time.sleep)
    kinds = {}
    try:
        for entry in connection.request("GET", "/federation/v1/")["kinds"]:
            after, items, deleted, pages = 0, 0, 0, 0
            started = time.perf_counter()
            while True:
                page = connection.request("GET", f"{entry['href']}?afterChangeNumber={after}&limit={limit}")
                pages += 1
                if not page["items"]:
                    break
                items += len(page["items"])
                deleted += sum(1 for item in page["items"] if item["state"] == "deleted")
                after = page["items"][-1]["modified"]
            seconds = time.perf_counter() - started
            kinds[entry["key"]] = {"items": items, "deleted": deleted, "pages": pages, "seconds": round(seconds, 3),
                                   "items_per_second": round(items / seconds) if seconds else 0}
    finally:
        connection.close()
    total_items = sum(k["items"] for k in kinds.values())
    total_seconds = sum(k["seconds"] for k in kinds.values())
    return {"limit": limit, "kinds": kinds, "items": total_items, "seconds": round(total_seconds, 2),
            "items_per_second": round(total_items / total_seconds) if total_seconds else 0}


def _harvest(run, env: dict[str, str]) -> dict:
    done = subprocess.run([run.PYTHON, "-m", "benchmarks.federation", "harvest"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the harvest failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def measure(run, workdir: Path, organisations: int = 1000, peers: int = 2, limit: int | None = None) -> dict:
    """The whole scenario at one scale; returns the report (see the module's docstring)."""
    from plugins.federation.harvest import Options
    limit = limit or Options().page_limit
    used_ports: set[int] = set()
    started = time.perf_counter()
    run.say(f"federation {organisations:,}: {peers} peer(s): migrate, generate, share")
    made = [_peer(run, workdir, f"peer{index + 1}", organisations, used_ports) for index in range(peers)]
    national = workdir / "national"
    national.mkdir()
    env = run.environment(f"sqlite:///{national / 'national.sqlite3'}", national / "instance",
                          "bench-national-" + "x" * 32)
    run.partnerskab(env, "migrate")
    report: dict = {"organisations": organisations, "peers": peers, "limit": limit,
                    "data_set": made[0]["generated"], "setup_seconds": [p["setup_seconds"] for p in made]}
    try:
        for peer in made:
            peer["server"].wait()
            run.partnerskab({**env, "PARTNERSKAB_FEDERATION_KEY": peer["key"]}, "federation", "peer-add",
                            peer["name"], peer["server"].base)
        run.say(f"federation {organisations:,}: walking {made[0]['name']}'s feeds")
        report["publish"] = walk_feeds(made[0]["server"].base, made[0]["key"], limit)
        report["publish"]["server_peak_memory_mb"] = round(made[0]["server"].peak_memory_mb(), 1)
        run.say(f"federation {organisations:,}: publish {report['publish']['items']:,} items at "
                f"{report['publish']['items_per_second']:,}/s")
        for name in ("full", "incremental"):
            result = _harvest(run, env)
            report[name] = result
            run.say(f"federation {organisations:,}: {name} harvest: {result['updated']:,} items in "
                    f"{result['seconds']} s "
                    f"({result['items_per_second']:,}/s), peak {result['peak_rss_mb']} MB")
        report["peer_peak_memory_mb"] = {p["name"]: round(p["server"].peak_memory_mb(), 1) for p in made}
        run.say(f"federation {organisations:,}: the national dashboards beside their own SQL")
        report["dashboards"] = _dashboards(run, env)
        for path, result in report["dashboards"].items():
            run.say(f"federation {organisations:,}: {path}: {result['page_ms']} ms, its SQL {result['sql_ms']} ms "
                    f"({result['ratio']}×, {result['queries']} queries)")
    finally:
        for peer in made:
            peer["server"].stop()
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def _dashboards(run, env: dict[str, str]) -> dict:
    done = subprocess.run([run.PYTHON, "-m", "benchmarks.federation", "dashboards"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"the dashboards failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


# --- the national dashboards --------------------------------------------------------------------

DASHBOARDS = ("/national", "/national/harvest", "/national/learnings", "/national/learnings?q=brobygning")
DASHBOARD_RUNS = 7


def dashboards_once() -> dict:
    """Each national dashboard of the harvested instance the environment names, as its national
    coordinator sees it: the whole page (median of a few, in this process) beside the same SQL
    run alone on the same connection (captured from peewee's log), so the ratio is what the
    platform adds around its queries (issue 12: within 2×)."""
    import logging
    import statistics

    from starlette.testclient import TestClient

    from benchmarks.sqlcapture import Capture
    from core import db
    from core import settings as settings_module
    from core.app import create_app
    from core.auth import accounts

    import os
    # no scheduled jobs in this process: their statements would mix with the pages' own
    app = create_app(settings_module.load(environ={**os.environ, "PARTNERSKAB_JOBS_IN_SERVER": "false"}))
    import secrets
    email, password = "national-bench@partnerskab.test", secrets.token_urlsafe(24)
    with db.connection():
        if not accounts.Account.select().where(accounts.Account.email == email).exists():
            accounts.create_account(email=email, name="National coordinator", password=password,
                                    role="national_coordinator", actor="bench")
    logger = logging.getLogger("peewee")
    logger.propagate = False
    results = {}
    with TestClient(app, base_url="http://127.0.0.1") as client:
        login = client.get("/login")
        csrf = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        answer = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf},
                             follow_redirects=False)
        if answer.status_code not in (302, 303):
            raise SystemExit(f"the national coordinator could not log in: {answer.status_code}")
        for path in DASHBOARDS:
            if client.get(path).status_code != 200:
                raise SystemExit(f"{path} did not answer 200")
            capture = Capture()
            logger.setLevel(logging.DEBUG)
            logger.addHandler(capture)
            try:
                client.get(path)
            finally:
                logger.removeHandler(capture)
                logger.setLevel(logging.WARNING)
            # the page's reads (a write, such as a session touched, would not run twice the same)
            reads = [(sql, params) for sql, params in capture.statements
                     if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
            page_times, sql_times = [], []
            for _ in range(DASHBOARD_RUNS):
                started = time.perf_counter()
                client.get(path)
                page_times.append(time.perf_counter() - started)
            with db.connection():
                for _ in range(DASHBOARD_RUNS):
                    started = time.perf_counter()
                    for sql, params in reads:
                        cursor = db.database.execute_sql(sql, params)
                        if cursor.description:
                            cursor.fetchall()
                    sql_times.append(time.perf_counter() - started)
            page_ms, sql_ms = statistics.median(page_times) * 1000, statistics.median(sql_times) * 1000
            results[path] = {"page_ms": round(page_ms, 1), "sql_ms": round(sql_ms, 1),
                             "ratio": round(page_ms / sql_ms, 2) if sql_ms else None,
                             "queries": len(reads)}
    return results


# --- the harvesting process --------------------------------------------------------------------

def _rss_mb() -> float:
    """This process's peak resident memory in MB: VmHWM of /proc/self/status, which belongs to the
    process's own memory map; ``ru_maxrss`` (the fallback off Linux) also keeps the peak of the
    parent at the moment of fork+exec, so under a large parent (pytest) it would report that."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KB on Linux


def harvest_once() -> dict:
    """Run ``harvest_all`` once on the instance the environment names; its figures as a dict."""
    from core import platform as platform_module
    from core import settings as settings_module
    from plugins.federation.harvest import harvest_all

    platform = platform_module.build(settings_module.load())
    before = _rss_mb()
    started = time.perf_counter()
    reports = harvest_all(platform)
    seconds = time.perf_counter() - started
    failed = [r.line() for r in reports if r.status != "ok"]
    if failed:
        raise SystemExit("a peer failed: " + "; ".join(failed))
    updated = sum(r.updated for r in reports)
    return {"updated": updated, "deleted": sum(r.deleted for r in reports), "pages": sum(r.pages for r in reports),
            "seconds": round(seconds, 2), "items_per_second": round(updated / seconds) if seconds else 0,
            "peers": {r.peer: {"updated": r.updated, "pages": r.pages, "seconds": round(r.seconds, 2),
                               "kinds": r.kinds} for r in reports},
            "rss_before_mb": before, "peak_rss_mb": _rss_mb()}


if __name__ == "__main__":
    commands = {"harvest": harvest_once, "dashboards": dashboards_once}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        raise SystemExit("usage: python -m benchmarks.federation harvest|dashboards  (run by benchmarks.run)")
    print(json.dumps(commands[sys.argv[1]]()))
