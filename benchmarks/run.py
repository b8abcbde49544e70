"""`make bench`: the platform's pages side by side with a bare page and Datasette, at three sizes.

    make bench                                    # everything, < 20 minutes on 2 cores
    make bench BENCH_ARGS=--quick                 # 1,000 and 100,000 on SQLite only, 2 s turns
    make bench-federation BENCH_ARGS=--quick      # only the federation scenario, < 2 minutes
    .venv/bin/python -m benchmarks.run --sizes 1000,100000 --seconds 2 --rounds 1   # any mix

For each size (1,000, 100,000 and 1,000,000 organisations) a fresh SQLite file gets the data set
of ``partnerskab bench-data`` (the project's own generator). Then three servers run on it, each
in its own process:

- the platform: ``uvicorn core.app:asgi_app`` with the whole stack (sessions, CSRF, i18n, theme,
  security headers), one worker;
- the bare page (``benchmarks/bare.py``): Starlette + one Jinja2 template running, on a kept
  connection, exactly the SQL the platform ran for the same page (captured from peewee's log);
- Datasette serving the same SQLite file, at its closest URL (a table page with ``_search``,
  facets as column filters, ``_sort=name`` and its own keyset ``_next``).

``wrk`` (Debian's, installed by ``make bench``) loads each with 16 connections for a few seconds,
taking turns — platform, bare, Datasette, then the next page's platform, bare, Datasette … — so
drift on a shared machine hits all three alike; with ``--rounds`` above 1 (the default is 1, to
keep the whole run under 20 minutes on 2 cores) each page goes round again and the best turn of
each counts. It reports requests per second and
p50/p95/p99; the servers' peak memory is read from /proc (VmHWM, summed over worker processes);
queries per page are counted in-process with the same requests. On PostgreSQL (``BENCH_DATABASE_URL``,
or the throw-away server of ``.ci/postgres.sh``) the directory runs at 100,000 with one and with
two workers against the bare page with as many. A CSV export of 1,000,000 audit rows is timed
for rows per second and the server's peak memory.

Then the federation scenario (``benchmarks/federation.py``, issue 10): three peers of
``--federation-organisations`` (30,000 each, some 100,000 items a peer, as issue 12's "3 peers ×
100,000 items"; 1,000 with ``--quick``) served by uvicorn, their feeds walked signed (items per
second per kind) and harvested by a national instance, in full and again with nothing new (items
per second, the harvesting process's peak memory), then the national dashboards beside their SQL.
``--only federation`` (``make bench-federation``) or ``--only pages`` measures one part and
keeps the other's last results.

Results: ``benchmarks/results/results.json``, ``README.md`` (tables, the targets met or not, in
words) and ``chart.svg`` (throughput per scenario and size, the three systems side by side).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlparse, urlunparse

import httpx

from benchmarks.sqlcapture import Capture

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
LUA = ROOT / "benchmarks" / "load.lua"
PYTHON = sys.executable
CONNECTIONS = 16
DIRECTORY = ("search", "search + filters", "search + target group", "browse", "deep page (by key)")
BENCH_SCHEMA = "partnerskab_bench"
log = logging.getLogger("bench")


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- processes ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(url: str, instance: Path, secret: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTNERSKAB_") and k != "DATABASE_URL"}
    env.update({"PARTNERSKAB_DATABASE_URL": url, "PARTNERSKAB_INSTANCE_DIR": str(instance), "SECRET_KEY": secret,
                "PARTNERSKAB_LOG_LEVEL": "warning", "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


def partnerskab(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, "-m", "core.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"partnerskab {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip() + (" | " + done.stderr.strip().replace("\n", "; ") if done.stderr.strip() else "")


class Server:
    """A server in its own process group, answering on a free port."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, health: str = "/"):
        self.name, self.port, self.health = name, port, health
        # Its messages go to a file, never to a pipe nobody reads while it serves (a full pipe
        # would stall the server); ``log_tail`` shows them when something goes wrong.
        self.log = tempfile.NamedTemporaryFile(prefix="partnerskab-bench-server-", suffix=".log", delete=False)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                        stderr=self.log, start_new_session=True)
        self.base = f"http://127.0.0.1:{port}"

    def log_tail(self, characters: int = 3000) -> str:
        return Path(self.log.name).read_text(errors="replace")[-characters:]

    def wait(self, timeout: float = 120) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited: {self.log_tail()}")
            try:
                if httpx.get(self.base + self.health, timeout=5).status_code < 500:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer within {timeout} s")

    def peak_memory_mb(self) -> float:
        """VmHWM of the process and its descendants (uvicorn's workers), in MB."""
        return sum(_vm_hwm(pid) for pid in [self.process.pid, *_descendants(self.process.pid)]) / 1024

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def platform_server(env, workers: int) -> Server:
    port = free_port()
    return Server(f"platform ×{workers}", [PYTHON, "-m", "uvicorn", "core.app:asgi_app", "--factory", "--host",
                                          "127.0.0.1", "--port", str(port), "--workers", str(workers),
                                          "--log-level", "warning", "--no-access-log"], env, port, "/healthz")


def bare_server(env, url: str, scenarios_file: Path, workers: int) -> Server:
    port = free_port()
    env = {**env, "BARE_DATABASE_URL": url, "BARE_SCENARIOS": str(scenarios_file)}
    return Server(f"bare ×{workers}", [PYTHON, "-m", "uvicorn", "benchmarks.bare:app", "--host", "127.0.0.1",
                                      "--port", str(port), "--workers", str(workers), "--log-level", "warning",
                                      "--no-access-log"], env, port, "/s?n=none")


def datasette_server(env, sqlite_file: Path, workdir: Path) -> Server | None:
    if shutil.which("datasette", path=str(Path(PYTHON).parent)) is None:
        say("Datasette is not installed (pip install -e '.[bench]'): its column stays empty")
        return None
    metadata = workdir / "datasette.json"
    metadata.write_text(json.dumps({"databases": {sqlite_file.stem: {"tables": {"organisation": {
        "fts_table": "organisation_search", "fts_pk": "id"}}}}}))
    port = free_port()
    return Server("datasette", [str(Path(PYTHON).parent / "datasette"), "serve", str(sqlite_file), "--host",
                                "127.0.0.1", "--port", str(port), "--metadata", str(metadata),
                                "--setting", "sql_time_limit_ms", "10000"], env, port, "/-/versions.json")


def wrk(url: str, seconds: float, headers: dict[str, str] | None = None, connections: int = CONNECTIONS) -> dict:
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout",
               "10s", "-s", str(LUA)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60)
    line = [row for row in done.stdout.splitlines() if row.startswith("{")]
    if not line:
        raise SystemExit(f"wrk failed on {url}: {done.stdout[-500:]} {done.stderr[-500:]}")
    result = json.loads(line[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


# --- scenarios ---------------------------------------------------------------------------------

def prepare_scenarios(url: str, instance: Path, secret: str, sqlite_file: Path | None) -> dict:
    """Build the platform in this process on the database, work out each scenario's URLs (the
    platform's, the bare page's, Datasette's), log in for /todo, and capture each page's SQL."""
    from starlette.testclient import TestClient

    from core import benchdata, db
    from core import settings as settings_module
    from core.app import create_app
    settings = settings_module.load(settings_module.DEFAULT_CONFIG, environ={}, database_url=url, demo=True,
                                    instance_dir=instance, secret_key=secret, log_level="warning")
    app = create_app(settings)
    with db.connection():
        total = db.database.execute_sql("SELECT COUNT(*) FROM organisation WHERE deleted_at IS NULL").fetchone()[0]
        middle = db.database.execute_sql(
            "SELECT id, name FROM organisation WHERE deleted_at IS NULL ORDER BY name, id LIMIT 1 OFFSET "
            f"{total // 2}").fetchone()
        busiest = db.database.execute_sql(
            "SELECT m.id, m.code FROM municipality m JOIN organisation o ON o.municipality_id = m.id "
            "GROUP BY m.id, m.code ORDER BY COUNT(*) DESC, m.id LIMIT 1").fetchone()
        programme = db.database.execute_sql(
            "SELECT p.id, p.slug FROM programme p JOIN membership ms ON ms.programme_id = p.id "
            "GROUP BY p.id, p.slug ORDER BY COUNT(*) DESC, p.id LIMIT 1").fetchone()
    token = ""
    try:
        from datasette.utils import tilde_encode
        token = f"{tilde_encode(middle[1])},{tilde_encode(str(middle[0]))}"
    except ImportError:
        pass
    table = f"/{sqlite_file.stem}/organisation" if sqlite_file else ""
    scenarios = {
        "search": ("/organisations?q=basket", f"{table}?_search=basket*&_searchmode=raw&_sort=name&_size=20"),
        "search + filters": (f"/organisations?q=klub&kind=association&municipality={busiest[1]}",
                             f"{table}?_search=klub*&_searchmode=raw&kind=association&municipality_id={busiest[0]}"
                             "&_sort=name&_size=20"),
        "search + target group": ("/organisations?q=basket&target_group=children", ""),
        "browse": ("/organisations", f"{table}?_sort=name&_size=20"),
        "deep page (by key)": (f"/organisations?after={middle[0]}&page={total // 40}",
                               f"{table}?_sort=name&_size=20&_next={token}" if token else ""),
        "programme page": (f"/programmes/{programme[1]}", f"/{sqlite_file.stem}/programme/{programme[0]}"
                           if sqlite_file else ""),
        "/budgets": ("/budgets", ""),
        "/todo (logged in)": ("/todo", ""),
    }
    if "catalogue" in settings.plugins:  # the catalogue of offers (issue 11), when the configuration enables it
        scenarios["offers: words + filters"] = (f"/offers?q=fodbold&age=14&free=1&municipality={busiest[1]}", "")
        scenarios["offers: browse"] = ("/offers", "")
    captured, cookie = {}, ""
    logger = logging.getLogger("peewee")
    logger.propagate = False
    with TestClient(app, base_url="http://127.0.0.1") as anonymous, \
            TestClient(app, base_url="http://127.0.0.1") as logged_in:
        page = logged_in.get("/login")
        csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        response = logged_in.post("/login", data={"email": benchdata.BENCH_ACCOUNTS["municipality"],
                                                  "password": benchdata.BENCH_PASSWORD, "csrf_token": csrf},
                                  follow_redirects=False)
        assert response.status_code in (302, 303), f"bench login failed: {response.status_code}"
        cookie = "; ".join(f"{name}={value}" for name, value in logged_in.cookies.items())
        for name, (path, _) in scenarios.items():
            client = logged_in if name.startswith("/todo") else anonymous
            client.get(path)  # warm caches (the municipalities) as a running server has them
            handler = Capture()
            logger.setLevel(logging.DEBUG)
            logger.addHandler(handler)
            try:
                response = client.get(path)
            finally:
                logger.removeHandler(handler)
            if response.status_code != 200:
                raise SystemExit(f"{name}: {path} answered {response.status_code}")
            captured[name] = handler.statements
    pool = db.database.obj
    if hasattr(pool, "close_all"):
        pool.close_all()
    return {"total": total, "scenarios": scenarios, "sql": captured, "cookie": cookie}


_CHILD = """
import json, sys
from pathlib import Path
from benchmarks.run import prepare_scenarios
url, instance, secret, sqlite_file = json.loads(sys.argv[1])
prepared = prepare_scenarios(url, Path(instance), secret, Path(sqlite_file) if sqlite_file else None)
print("PREPARED " + json.dumps(prepared))
"""


def prepare_in_child(url: str, instance: Path, secret: str, sqlite_file: Path | None) -> dict:
    """``prepare_scenarios`` in a process of its own: each size builds the platform afresh on its
    own database, with nothing left over from the last size's (a run once ended in a segmentation
    fault at the third size, in the one process that had built all three; with ``-X faulthandler``
    a crash now prints where it happened)."""
    done = subprocess.run([PYTHON, "-X", "faulthandler", "-c", _CHILD,
                           json.dumps([url, str(instance), secret, str(sqlite_file) if sqlite_file else ""])],
                          cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("PREPARED ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"preparing the scenarios failed (exit {done.returncode}):\n{done.stdout[-2000:]}\n"
                         f"{done.stderr[-4000:]}")
    prepared = json.loads(lines[-1][len("PREPARED "):])
    prepared["scenarios"] = {name: tuple(urls) for name, urls in prepared["scenarios"].items()}
    return prepared


# --- one size ------------------------------------------------------------------------------------

def measure(label: str, backend: str, size: int, url: str, workdir: Path, secret: str, seconds: float, rounds: int,
            workers: int, names: tuple[str, ...] | None, with_datasette: bool, sqlite_file: Path | None) -> list[dict]:
    instance = workdir / "instance"
    env = environment(url, instance, secret)
    say(f"{label}: scenarios and their SQL")
    prepared = prepare_in_child(url, instance, secret, sqlite_file)
    scenario_file = workdir / f"bare-{label}.json"
    scenario_file.write_text(json.dumps(prepared["sql"]))
    bare_url = url if backend == "sqlite" else _plain_postgres_url(url)
    servers = {"platform": platform_server(env, workers), "bare": bare_server(env, bare_url, scenario_file, workers)}
    if with_datasette and sqlite_file is not None:
        datasette = datasette_server(env, sqlite_file, workdir)
        if datasette:
            servers["datasette"] = datasette
    rows = []
    try:
        for server in servers.values():
            server.wait()
        for name, (path, datasette_path) in prepared["scenarios"].items():
            if names and name not in names:
                continue
            urls = {"platform": servers["platform"].base + path,
                    "bare": servers["bare"].base + "/s?" + urlencode({"n": name})}
            if "datasette" in servers and datasette_path:
                urls["datasette"] = servers["datasette"].base + datasette_path
            headers = {"Cookie": prepared["cookie"]} if name.startswith("/todo") else {}
            for system, target in urls.items():  # one warm-up request each, checked
                response = httpx.get(target, headers=headers if system == "platform" else {}, timeout=60)
                if response.status_code != 200:
                    raise SystemExit(f"{system} {name}: {target} answered {response.status_code}; the server "
                                     f"said:\n{servers[system].log_tail()}")
            best: dict[str, dict] = {}
            for _ in range(rounds):
                for system, target in urls.items():
                    result = wrk(target, seconds, headers if system == "platform" else None)
                    if system not in best or result["rps"] > best[system]["rps"]:
                        best[system] = result
            row = {"label": label, "backend": backend, "organisations": size, "workers": workers, "scenario": name,
                   "queries": len(prepared["sql"][name])}
            for system, result in best.items():
                row[system] = {key: round(value, 2) if isinstance(value, float) else value
                               for key, value in result.items()}
            rows.append(row)
            summary = "  ".join(f"{system} {result['rps']:.0f} req/s p99 {result['p99']:.0f} ms"
                                for system, result in best.items())
            say(f"{label} {name}: {summary}")
        memory = {system: round(server.peak_memory_mb(), 1) for system, server in servers.items()}
        for row in rows:
            row["peak_memory_mb"] = memory
    finally:
        for server in servers.values():
            server.stop()
    return rows


def measure_export(url: str, workdir: Path, secret: str) -> dict:
    """GET /admin/audit.csv as the platform administrator from a fresh server: rows per second and
    the server's peak memory."""
    from core import benchdata
    env = environment(url, workdir / "instance", secret)
    server = platform_server(env, 1)
    try:
        server.wait()
        with httpx.Client(base_url=server.base, timeout=600) as client:
            page = client.get("/login")
            csrf = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            client.post("/login", data={"email": benchdata.BENCH_ACCOUNTS["admin"], "password": benchdata.BENCH_PASSWORD,
                                        "csrf_token": csrf})
            before = server.peak_memory_mb()
            started = time.perf_counter()
            lines = 0
            with client.stream("GET", "/admin/audit.csv") as response:
                assert response.status_code == 200, response.status_code
                for chunk in response.iter_bytes():
                    lines += chunk.count(b"\n")
            elapsed = time.perf_counter() - started
        return {"rows": lines - 1, "seconds": round(elapsed, 2), "rows_per_second": round((lines - 1) / elapsed),
                "peak_memory_mb": round(server.peak_memory_mb(), 1), "memory_before_mb": round(before, 1)}
    finally:
        server.stop()


# --- PostgreSQL ----------------------------------------------------------------------------------

def _with_schema(url: str) -> str:
    parsed = urlparse(url)
    query = dict(parse_qsl(parsed.query))
    query["options"] = " ".join(filter(None, [query.get("options", ""), f"-c search_path={BENCH_SCHEMA}"]))
    return urlunparse(parsed._replace(query=urlencode(query, quote_via=quote)))  # libpq reads %20, not +


def _plain_postgres_url(url: str) -> str:
    return url


def _reset_schema(url: str, drop_only: bool = False) -> None:
    from core import db
    database = db.open_database(url)
    with database.connection_context():
        database.execute_sql(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE")
        if not drop_only:
            database.execute_sql(f"CREATE SCHEMA {BENCH_SCHEMA}")
    database.close_all()


_started_postgres = False  # whether this run started .ci/postgres.sh's server (and so stops it)


def postgres_url() -> str | None:
    global _started_postgres
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if os.environ.get("BENCH_NO_POSTGRES"):
        return None
    started = subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "start"], capture_output=True, text=True)
    if started.returncode != 0:
        say(f"no PostgreSQL ({started.stderr.strip()[-300:]}): skipping its rows")
        return None
    _started_postgres = "already running" not in started.stderr
    return subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "url"], capture_output=True,
                          text=True).stdout.strip()


def stop_postgres_if_started() -> None:
    """Leave no server behind that this run started: it holds its port (54329), which the next
    ``.ci/run`` of any checkout would want."""
    global _started_postgres
    if _started_postgres:
        subprocess.run(["bash", str(ROOT / ".ci" / "postgres.sh"), "stop"], capture_output=True, text=True)
        _started_postgres = False


# --- main ----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000,1000000", help="organisation counts on SQLite")
    parser.add_argument("--postgres-sizes", default="100000", help="organisation counts on PostgreSQL")
    parser.add_argument("--postgres-workers", default="1,2", help="worker counts on PostgreSQL")
    parser.add_argument("--seconds", type=float, default=3, help="seconds of load per turn")
    parser.add_argument("--rounds", type=int, default=1, help="turns per system and scenario (the best counts)")
    parser.add_argument("--output", default=str(RESULTS), help="folder for results.json, README.md, chart.svg")
    parser.add_argument("--only", choices=("all", "pages", "federation"), default="all",
                        help="measure only the pages or only the federation scenario (benchmarks/federation.py); "
                             "the other part's last results stay in results.json and README.md")
    parser.add_argument("--federation-organisations", type=int, default=30_000,
                        help="organisations in each federation peer's bench data (default 30000; --quick: 1000)")
    parser.add_argument("--federation-peers", type=int, default=3, help="peers the national instance harvests")
    parser.add_argument("--quick", action="store_true",
                        help="a short run to compare before and after a change: SQLite at 1,000 and 100,000, "
                             "2 s turns, one round each, no PostgreSQL (sizes given explicitly still count)")
    args = parser.parse_args(argv)
    if args.quick:
        given = set(argv if argv is not None else sys.argv[1:])
        defaults = {"--sizes": ("sizes", "1000,100000"), "--postgres-sizes": ("postgres_sizes", ""),
                    "--seconds": ("seconds", 2.0), "--rounds": ("rounds", 1),
                    "--federation-organisations": ("federation_organisations", 1000)}
        for flag, (name, value) in defaults.items():
            if not any(arg == flag or arg.startswith(flag + "=") for arg in given):
                setattr(args, name, value)
    if shutil.which("wrk") is None and args.only != "federation":
        raise SystemExit("wrk is not installed: run 'make bench' (it installs Debian's wrk)")
    started = time.perf_counter()
    secret = secrets.token_urlsafe(32)
    rows: list[dict] = []
    export: dict = {}
    generation: dict = {}
    federation: dict = {}
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    previous = json.loads((output / "results.json").read_text()) if (output / "results.json").exists() else {}
    if args.only == "federation":  # the pages keep their last results
        data_kept = {key: previous[key] for key in ("rows", "export", "generation", "seconds", "settings", "machine")
                     if key in previous}
    else:
        data_kept = {}

    def save() -> bool:
        """Write what was measured so far (a run cut short keeps its finished sizes)."""
        from benchmarks.report import write
        data = {"rows": rows, "export": export, "generation": generation,
                "seconds": round(time.perf_counter() - started),
                "settings": {"seconds": args.seconds, "rounds": args.rounds, "connections": CONNECTIONS},
                "machine": {"cores": os.cpu_count(), "load": os.getloadavg()}}
        data.update(data_kept)
        data["federation"] = federation or previous.get("federation", {})  # dated: it says when it was measured
        (output / "results.json").write_text(json.dumps(data, indent=1, ensure_ascii=False))
        return write(data, output)

    with tempfile.TemporaryDirectory(prefix="partnerskab-bench-") as tmp:
        workdir = Path(tmp)
        for size in [int(s) for s in args.sizes.split(",") if s and args.only != "federation"]:
            folder = workdir / f"sqlite-{size}"
            folder.mkdir()
            sqlite_file = folder / "bench.sqlite3"
            url = f"sqlite:///{sqlite_file}"
            env = environment(url, folder / "instance", secret)
            say(f"SQLite {size:,}: migrate and generate")
            t0 = time.perf_counter()
            partnerskab(env, "migrate")
            generated = partnerskab(env, "bench-data", "--scale", str(size))
            generation[f"sqlite {size}"] = {"seconds": round(time.perf_counter() - t0, 1), "output": generated}
            say(f"SQLite {size:,}: {generated}")
            rows += measure(f"sqlite-{size}", "sqlite", size, url, folder, secret, args.seconds, args.rounds, 1, None,
                            True, sqlite_file)
            if size == max(int(s) for s in args.sizes.split(",")):
                say("CSV export of the audit log")
                export = measure_export(url, folder, secret)
                say(f"export: {export}")
            shutil.rmtree(folder, ignore_errors=True)
            save()
        pg_sizes = [int(s) for s in args.postgres_sizes.split(",") if s and args.only != "federation"]
        base = postgres_url() if pg_sizes else None
        if base:
            url = _with_schema(base)
            for size in pg_sizes:
                _reset_schema(url)
                folder = workdir / f"postgresql-{size}"
                folder.mkdir()
                env = environment(url, folder / "instance", secret)
                say(f"PostgreSQL {size:,}: migrate and generate")
                t0 = time.perf_counter()
                partnerskab(env, "migrate")
                generated = partnerskab(env, "bench-data", "--scale", str(size))
                generation[f"postgresql {size}"] = {"seconds": round(time.perf_counter() - t0, 1), "output": generated}
                for workers in [int(w) for w in args.postgres_workers.split(",")]:
                    rows += measure(f"postgresql-{size}-w{workers}", "postgresql", size, url, folder, secret,
                                    args.seconds, args.rounds, workers, DIRECTORY, False, None)
                    save()
            _reset_schema(url, drop_only=True)
            stop_postgres_if_started()
        if args.only != "pages":
            from benchmarks import federation as federation_scenario
            folder = workdir / "federation"
            folder.mkdir()
            federation.update(federation_scenario.measure(sys.modules[__name__], folder, args.federation_organisations,
                                                          args.federation_peers))
            federation["machine"] = {"cores": os.cpu_count(), "load": os.getloadavg(),
                                     "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    failed = save()
    say(f"done in {round(time.perf_counter() - started)} s: {output / 'README.md'}")
    return 1 if failed and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    sys.exit(main())
