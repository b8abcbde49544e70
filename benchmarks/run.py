"""The organisation directory at 1,000 and 100,000 organisations: time and number of queries.

    python -m benchmarks.run                 # SQLite in a temporary folder
    BENCH_DATABASE_URL=postgresql://... python -m benchmarks.run
                                             # and PostgreSQL, in its own schema 'partnerskab_bench'
                                             # (dropped and created again; nothing else is touched)

For each database: a fresh schema migrated by the project's own code (``create_app`` →
``core.platform.build``, then ``core.db.migrate``), organisations bulk-inserted with peewee's
``insert_many`` in batches, then each scenario timed directly (``core.directory.search``) and
as the real ``/organisations`` page over HTTP (uvicorn in a thread, httpx). The number of SQL
queries per call is counted with ``playhouse.test_utils.count_queries``: it must not grow
with the data, and the search must stay fast because it uses the full-text index.
"""
from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse, urlunparse, parse_qsl

import logging

import httpx
import uvicorn
from playhouse.test_utils import count_queries

from core import db
from core import settings as settings_module
from core.app import create_app
from core.directory import DirectoryQuery, search
from core.models.organisation import Organisation, OrganisationTargetGroup
from core.rules import registry

BENCH_SCHEMA = "partnerskab_bench"
BATCH = 1_000
PAGE_SIZE = 20

MUNICIPALITIES = [
    ("0101", "København"), ("0147", "Frederiksberg"), ("0157", "Gentofte"), ("0159", "Gladsaxe"),
    ("0167", "Hvidovre"), ("0219", "Hillerød"), ("0259", "Køge"), ("0265", "Roskilde"),
    ("0316", "Holbæk"), ("0330", "Slagelse"), ("0370", "Næstved"), ("0461", "Odense"),
    ("0479", "Svendborg"), ("0561", "Esbjerg"), ("0615", "Horsens"), ("0630", "Vejle"),
    ("0657", "Herning"), ("0751", "Aarhus"), ("0791", "Viborg"), ("0851", "Aalborg"),
]
PLACES = ["Amager", "Valby", "Nørrebro", "Vesterbro", "Østerbro", "Brønshøj", "Sydhavn", "Tåstrup",
          "Ishøj", "Ølstykke", "Hundige", "Trekroner", "Himmelev", "Viby", "Gellerup", "Vollsmose",
          "Tarup", "Skovlunde", "Brøndby Strand", "Solrød", "Greve", "Ringsted", "Sorø", "Korsør",
          "Skælskør", "Frederikssund", "Helsinge", "Allerød", "Birkerød", "Farum", "Ballerup", "Herlev"]
ACTIVITIES = ["Basketball", "Håndbold", "Fodbold", "Svømme", "Gymnastik", "Badminton", "Atletik",
              "Judo", "Taekwondo", "Rollespil", "Skak", "Dans", "Cykel", "Ro", "Volleyball", "Floorball",
              "Bordtennis", "Klatre", "Bokse", "Tennis", "Kajak", "Musik", "Teater", "Petanque",
              "Løbe", "Brydning", "Karate", "Fitness", "Ridning", "Sejl"]
DEPARTMENTS = ["Kultur og Fritid", "Børn og Unge", "Social og Sundhed", "Beskæftigelse", "Idræt og Fritid"]
SCHOOLS = ["Skole", "Friskole", "Gymnasium", "Efterskole", "SFO", "Fritidshjem", "Ungdomsskole",
           "Produktionsskole"]
OTHERS = ["Netværk", "Væresteder", "Lektiecafé", "Street Society", "Kirkens Korshær", "Mentornetværk",
          "Ungdomsråd", "Integrationsråd"]
GROUP_WORDS = ["børn", "unge", "familier", "ældre", "nydanskere", "piger", "drenge", "frivillige"]
KIND_WEIGHTS = [("association", 70), ("school_institution", 8), ("housing_association", 6),
                ("municipal_unit", 5), ("other", 6), ("volunteer_centre", 3), ("national_body", 2)]


def organisation_name(rnd: random.Random, kind: str, town: str) -> str:
    activity = rnd.choice(ACTIVITIES)
    place = rnd.choice([town, rnd.choice(PLACES)])
    if kind == "association":
        pattern = rnd.choice(["{place} {activity}klub", "{activity}foreningen {place}",
                              "{place} {activity} Club", "IF {place} – {activity}",
                              "{place} {activity}forening af {year}", "{place} {activity} Klub"])
        return pattern.format(place=place, activity=activity, year=rnd.randint(1890, 2022))
    if kind == "school_institution":
        return f"{place} {rnd.choice(SCHOOLS)}"
    if kind == "housing_association":
        return rnd.choice([f"Boligforeningen {place}", f"{place} Boligselskab", f"Boligsocial indsats {place}"])
    if kind == "municipal_unit":
        return f"{town} Kommune, {rnd.choice(DEPARTMENTS)}"
    if kind == "volunteer_centre":
        return f"Frivilligcenter {place}"
    if kind == "national_body":
        return rnd.choice([f"Dansk {activity}forbund", f"DGI {town}", f"DIF {activity} {town}"])
    return f"{place} {rnd.choice(OTHERS)}"


_SLUG_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "o", "ä": "a"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str, number: int) -> str:
    return f"{_NOT_SLUG.sub('-', name.lower().translate(_SLUG_FOLD)).strip('-')[:160]}-{number}"


def insert_organisations(platform, start: int, stop: int, municipalities: list, seed: int = 1) -> None:
    """Organisations number ``start`` up to ``stop`` (exclusive), in batches, with target groups."""
    rnd = random.Random(seed * 1_000_003 + start)
    kinds = [kind for kind, _ in KIND_WEIGHTS]
    weights = [weight for _, weight in KIND_WEIGHTS]
    groups = sorted(platform.target_groups)
    now = datetime.datetime.now(datetime.timezone.utc)
    fields = [Organisation.change_number, Organisation.deleted_at, Organisation.name, Organisation.slug,
              Organisation.kind, Organisation.cvr, Organisation.municipality, Organisation.description,
              Organisation.street, Organisation.postcode, Organisation.city, Organisation.email,
              Organisation.phone, Organisation.website, Organisation.created_at, Organisation.updated_at]
    for batch_start in range(start, stop, BATCH):
        rows, slugs, wanted_groups = [], [], {}
        for number in range(batch_start, min(batch_start + BATCH, stop)):
            municipality = rnd.choice(municipalities)
            kind = rnd.choices(kinds, weights)[0]
            name = organisation_name(rnd, kind, municipality.name)
            the_slug = slug(name, number)
            description = (f"{name} samler {rnd.choice(GROUP_WORDS)} og {rnd.choice(GROUP_WORDS)} om "
                           f"{rnd.choice(ACTIVITIES).lower()} i {municipality.name}.")
            rows.append((number, now if rnd.random() < 0.01 else None, name, the_slug, kind,
                         f"{10_000_000 + number}" if rnd.random() < 0.3 else None, municipality.id,
                         description, f"{rnd.choice(PLACES)}vej {rnd.randint(1, 120)}",
                         f"{rnd.randint(1000, 9990)}", municipality.name, "", "", "", now, now))
            slugs.append(the_slug)
            if rnd.random() < 0.6:
                wanted_groups[the_slug] = rnd.sample(groups, rnd.randint(1, 3))
        with db.database.atomic():
            Organisation.insert_many(rows, fields=fields).execute()
            if wanted_groups:
                ids = dict(Organisation.select(Organisation.slug, Organisation.id)
                           .where(Organisation.slug.in_(list(wanted_groups))).tuples())
                OrganisationTargetGroup.insert_many(
                    [(ids[the_slug], group) for the_slug, chosen in wanted_groups.items() for group in chosen],
                    fields=[OrganisationTargetGroup.organisation, OrganisationTargetGroup.target_group]).execute()
    with db.database.atomic():  # what autovacuum / PRAGMA optimize would do for a real database
        db.database.execute_sql("ANALYZE")


def scenarios(busiest_code: str) -> dict[str, DirectoryQuery]:
    return {
        "search q=basket": DirectoryQuery(q="basket"),
        "search q='basket roskilde'": DirectoryQuery(q="basket roskilde"),
        "q=klub + kind + municipality": DirectoryQuery(q="klub", kind="association", municipality=busiest_code),
        "q=basket + target group": DirectoryQuery(q="basket", target_group="children"),
        "browse, page 50": DirectoryQuery(page=50),
        "search q=klub, page 5": DirectoryQuery(q="klub", page=5),
    }


def timed(call, repeat: int) -> tuple[float, float, int]:
    """Median and 95th percentile in milliseconds over ``repeat`` calls, and the queries of one call."""
    call()  # warm caches and the pool
    with count_queries() as counter:
        call()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, counter.count


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, app):
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        base = f"http://127.0.0.1:{self.port}"
        for _ in range(200):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.05)
        return base

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)


def postgres_bench_url(url: str) -> str:
    """The URL with the benchmark's own schema first on the search path."""
    parsed = urlparse(url)
    query = dict(parse_qsl(parsed.query))
    query["options"] = " ".join(filter(None, [query.get("options", ""), f"-c search_path={BENCH_SCHEMA}"]))
    return urlunparse(parsed._replace(query=urlencode(query)))


def reset_postgres_schema(url: str, drop_only: bool = False) -> None:
    database = db.open_database(url)
    with database.connection_context():
        database.execute_sql(f"DROP SCHEMA IF EXISTS {BENCH_SCHEMA} CASCADE")
        if not drop_only:
            database.execute_sql(f"CREATE SCHEMA {BENCH_SCHEMA}")
    database.close_all()


def bench_backend(label: str, url: str, sizes: list[int], repeat: int, workdir: Path) -> list[tuple]:
    settings = settings_module.load(settings_module.DEFAULT_CONFIG, environ={}, database_url=url, demo=True,
                                    instance_dir=workdir / f"instance-{label}", log_level="warning")
    app = create_app(settings)
    platform = app.state.platform
    results = []
    with db.connection():
        started = time.perf_counter()
        db.migrate(platform.migration_sources)
        municipalities = [registry.ensure_municipality(code, name) for code, name in MUNICIPALITIES]
        print(f"[{label}] migrated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    busiest = MUNICIPALITIES[7][0]  # Roskilde: every municipality gets about as many
    inserted = 0
    with LiveServer(app) as base, httpx.Client(base_url=base, timeout=60) as http:
        for size in sizes:
            started = time.perf_counter()
            with db.connection():
                insert_organisations(platform, inserted, size, municipalities)
                total = Organisation.select().count()
            inserted = size
            print(f"[{label}] {total:,} organisations ({time.perf_counter() - started:.1f} s to insert)",
                  file=sys.stderr)
            for name, query in scenarios(busiest).items():
                def direct(query=query):
                    with db.connection():
                        return search(query, PAGE_SIZE)

                with db.connection():
                    found = search(query, PAGE_SIZE)
                rows = len(found.items)
                median, p95, queries = timed(direct, repeat)
                results.append((label, total, f"search(): {name}", found.total, rows, median, p95, queries))

                def page(query=query):
                    response = http.get("/organisations", params=query.params())
                    response.raise_for_status()
                    return response

                median, p95, queries = timed(page, repeat)
                results.append((label, total, f"GET /organisations: {name}", found.total, rows, median, p95,
                                queries))
    pool = db.database.obj
    if hasattr(pool, "close_all"):
        pool.close_all()
    return results


def print_table(results: list[tuple]) -> None:
    header = ("database", "organisations", "what", "matches", "on page", "median ms", "p95 ms", "queries")
    rows = [header] + [(label, f"{total:,}", what, f"{matches:,}", str(on_page), f"{median:.1f}", f"{p95:.1f}",
                        str(queries))
                       for label, total, what, matches, on_page, median, p95, queries in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {1, 3, 4, 5, 6, 7}
    for index, row in enumerate(rows):
        print("  ".join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="organisation counts to measure at (ascending)")
    parser.add_argument("--repeat", type=int, default=25, help="timed calls per scenario")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    # count_queries turns the 'peewee' logger up to DEBUG: count, but print nothing.
    logging.getLogger("peewee").propagate = False
    results = []
    with tempfile.TemporaryDirectory(prefix="partnerskab-bench-") as tmp:
        workdir = Path(tmp)
        results += bench_backend("sqlite", f"sqlite:///{workdir / 'bench.sqlite3'}", sizes, args.repeat, workdir)
        postgres = os.environ.get("BENCH_DATABASE_URL")
        if postgres:
            url = postgres_bench_url(postgres)
            reset_postgres_schema(url)
            try:
                results += bench_backend("postgresql", url, sizes, args.repeat, workdir)
            finally:
                reset_postgres_schema(url, drop_only=True)
    print_table(results)
    # An empty page skips the target-group query, so only pages with rows are compared.
    failures = []
    for label in {row[0] for row in results}:
        for what in {row[2] for row in results if row[0] == label}:
            counts = {row[7] for row in results if row[0] == label and row[2] == what and row[4]}
            if len(counts) > 1:
                failures.append(f"{label} {what}: {sorted(counts)} queries")
    if failures:
        print("\nthe number of queries grows with the data:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
