"""/budgets before and after the kept totals (issue 12, part 1), on the same data set.

    .venv/bin/python -m benchmarks.budgets                 # 100,000 organisations, 200,000 payments
    .venv/bin/python -m benchmarks.budgets --scale 1000000

A fresh SQLite file gets ``partnerskab bench-data``. Then, in this process, with the same app:

- *before*: the overview as it was until migration 0015, summing every fee, grant and paid
  payment on each request (the queries of ``money_overview`` and ``paid_by_programme_year`` then);
- *after*: the overview reading ``budget_total``, the per programme × year totals the database keeps.

Both are timed as the overview alone and as the whole ``GET /budgets`` page (the view's
overview swapped for the old one), best and median of a few runs; the two overviews must give
the same figures, so the run also checks the totals against the sums at that size. Results are
printed and written to ``benchmarks/results/budgets.json``.
"""
from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import RESULTS, environment, partnerskab


def summed_overview(programme_ids: list[int]) -> dict[int, dict[int, dict[str, int]]]:
    """The overview as it was before migration 0015: four queries that sum every row on each request."""
    from peewee import fn

    from core.models.money import Grant, SignOnFee
    from core.models.payment import PaymentRequest
    from core.models.programme import ProgrammeBudget
    years: dict[int, dict[int, dict[str, int]]] = {pid: {} for pid in programme_ids}

    def row(pid: int, year: int) -> dict[str, int]:
        return years[pid].setdefault(int(year), {"budget": 0, "fees": 0, "grants": 0, "paid": 0})

    for budget in ProgrammeBudget.select().where(ProgrammeBudget.programme.in_(programme_ids)):
        row(budget.programme_id, budget.year)["budget"] = budget.amount_ore
    fee_year = SignOnFee.granted_on.year
    for pid, year, total in (SignOnFee.select(SignOnFee.programme, fee_year, fn.SUM(SignOnFee.amount_ore))
                             .where(SignOnFee.programme.in_(programme_ids), SignOnFee.deleted_at.is_null())
                             .group_by(SignOnFee.programme, fee_year).tuples()):
        row(pid, year)["fees"] = int(total)
    for pid, year, total in (Grant.select(Grant.programme, Grant.year, fn.SUM(Grant.amount_ore))
                             .where(Grant.programme.in_(programme_ids), Grant.deleted_at.is_null())
                             .group_by(Grant.programme, Grant.year).tuples()):
        row(pid, year)["grants"] = int(total)
    for pid, year, total in (PaymentRequest.select(PaymentRequest.programme, PaymentRequest.budget_year,
                                                   fn.SUM(PaymentRequest.amount_ore))
                             .where(PaymentRequest.programme.in_(programme_ids), PaymentRequest.status == "paid")
                             .group_by(PaymentRequest.programme, PaymentRequest.budget_year).tuples()):
        row(pid, year)["paid"] = int(total)
    return {pid: {year: {"budget": f["budget"], "fees": f["fees"], "grants": f["grants"],
                         "committed": f["fees"] + f["grants"], "paid": f["paid"],
                         "left": f["budget"] - f["fees"] - f["grants"]} for year, f in sorted(by_year.items())}
            for pid, by_year in years.items()}


def _timed(function, runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return {"best_ms": round(min(times), 1), "median_ms": round(statistics.median(times), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="100000", choices=("1000", "100000", "1000000"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", default=str(RESULTS / "budgets.json"))
    parser.add_argument("--sqlite", help="a SQLite file to keep the data set in, and to reuse when it is filled")
    args = parser.parse_args(argv)
    secret = secrets.token_urlsafe(32)
    with tempfile.TemporaryDirectory(prefix="partnerskab-budgets-") as tmp:
        sqlite_file = Path(args.sqlite) if args.sqlite else Path(tmp) / "bench.sqlite3"
        url = f"sqlite:///{sqlite_file}"
        env = environment(url, Path(tmp) / "instance", secret)
        if not (sqlite_file.exists() and sqlite_file.stat().st_size > 1_000_000):
            started = time.perf_counter()
            partnerskab(env, "migrate")
            generated = partnerskab(env, "bench-data", "--scale", args.scale)
            print(f"data ({time.perf_counter() - started:.0f} s): {generated}", flush=True)

        from starlette.testclient import TestClient

        from core import db
        from core import settings as settings_module
        from core.app import create_app
        from core.models.payment import PaymentRequest
        from core.models.programme import Programme
        from core.rules.money import budget_overview
        from core.rules.money import overview as overview_module
        from core.views import budgets as budgets_view
        settings = settings_module.load(settings_module.DEFAULT_CONFIG, environ={}, database_url=url, demo=True,
                                        instance_dir=Path(tmp) / "instance", secret_key=secret, log_level="warning")
        app = create_app(settings)
        with db.connection():
            ids = [pid for (pid,) in Programme.select(Programme.id).tuples()]
            payments = PaymentRequest.select().count()
            after = budget_overview(ids)
            before = summed_overview(ids)
            assert after == before, "the kept totals differ from the sums"
            results = {"scale": int(args.scale), "programmes": len(ids), "payments": payments, "runs": args.runs,
                       "overview": {"before": _timed(lambda: summed_overview(ids), args.runs),
                                    "after": _timed(lambda: budget_overview(ids), args.runs)}}
        with TestClient(app, base_url="http://127.0.0.1") as client:
            def page():
                response = client.get("/budgets")
                assert response.status_code == 200, response.status_code
            page()
            results["page"] = {"after": _timed(page, args.runs)}
            # the page's programmes and its funders both sum again (funder_overview calls the
            # overview module's budget_overview)
            budgets_view.budget_overview = overview_module.budget_overview = summed_overview
            try:
                page()
                results["page"]["before"] = _timed(page, args.runs)
            finally:
                budgets_view.budget_overview = overview_module.budget_overview = budget_overview
    for what in ("overview", "page"):
        b, a = results[what]["before"], results[what]["after"]
        print(f"{what}: before {b['median_ms']} ms (best {b['best_ms']}), after {a['median_ms']} ms "
              f"(best {a['best_ms']})")
    Path(args.output).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
