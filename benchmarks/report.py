"""The benchmark's results in words: Markdown tables, each target met or missed, and an SVG chart."""
from __future__ import annotations

import html
import json
from pathlib import Path

DIRECTORY = ("search", "search + filters", "search + target group", "browse", "deep page (by key)")
SYSTEMS = (("platform", "#1f5fa8"), ("bare", "#9aa5b1"), ("datasette", "#e39a2d"))


def _fmt(value, digits=0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ratio(a, b) -> str:
    if a is None or b is None:
        return "—"
    if not b:
        return "∞" if a else "—"  # the other system finished no request within wrk's 10 s timeout
    return f"{a / b:.2f}×"


def table(rows: list[dict]) -> list[str]:
    lines = ["| database | organisations | workers | page | queries | platform req/s | p50 / p95 / p99 ms | "
             "bare req/s | vs bare | Datasette req/s | vs Datasette |",
             "|---|---:|---:|---|---:|---:|---|---:|---:|---:|---:|"]
    for row in rows:
        platform, bare, datasette = row.get("platform", {}), row.get("bare", {}), row.get("datasette", {})
        lines.append(
            f"| {row['backend']} | {row['organisations']:,} | {row['workers']} | {row['scenario']} | {row['queries']} | "
            f"{_fmt(platform.get('rps'))} | {_fmt(platform.get('p50'), 1)} / {_fmt(platform.get('p95'), 1)} / "
            f"{_fmt(platform.get('p99'), 1)} | {_fmt(bare.get('rps'))} | {_ratio(platform.get('rps'), bare.get('rps'))} | "
            f"{_fmt(datasette.get('rps'))} | {_ratio(platform.get('rps'), datasette.get('rps'))} |")
    return lines


def targets(data: dict) -> list[tuple[str, bool, str]]:
    """(target, met, detail) for every target of issue 12 that this run measured."""
    rows = [r for r in data["rows"] if r["backend"] == "sqlite" and r["workers"] == 1]
    found: list[tuple[str, bool, str]] = []
    sizes = sorted({r["organisations"] for r in rows})
    by = {(r["organisations"], r["scenario"]): r for r in rows}
    if sizes:
        small, large = sizes[0], sizes[-1]
        for name in DIRECTORY:
            a, b = by.get((small, name)), by.get((large, name))
            if a and b and "platform" in a and "platform" in b:
                growth = b["platform"]["p50"] / max(a["platform"]["p50"], 0.001)
                found.append((f"{name}: p50 at {large:,} within 2× of {small:,}", growth <= 2,
                              f"{a['platform']['p50']:.1f} → {b['platform']['p50']:.1f} ms ({growth:.2f}×)"))
                found.append((f"{name}: p99 < 250 ms at {large:,}, 16 connections, one worker",
                               b["platform"]["p99"] < 250, f"{b['platform']['p99']:.1f} ms"))
        for name in sorted({r["scenario"] for r in rows}):
            counts = {r["organisations"]: r["queries"] for r in rows if r["scenario"] == name}
            found.append((f"{name}: queries per page constant", len(set(counts.values())) == 1,
                          ", ".join(f"{n:,}: {q}" for n, q in sorted(counts.items()))))
    for row in data["rows"]:
        if row["scenario"] not in DIRECTORY or "platform" not in row:
            continue
        where = f"{row['backend']} {row['organisations']:,} ×{row['workers']}"
        if "bare" in row:
            ratio = row["platform"]["rps"] / max(row["bare"]["rps"], 0.001)
            found.append((f"{row['scenario']} ({where}): ≥ 0.7× the bare page", ratio >= 0.7, f"{ratio:.2f}×"))
        if "datasette" in row and row["organisations"] >= 100_000:
            theirs = row["datasette"]["rps"]
            if theirs:
                ratio = row["platform"]["rps"] / theirs
                found.append((f"{row['scenario']} ({where}): ≥ 4× Datasette", ratio >= 4, f"{ratio:.2f}×"))
            else:
                found.append((f"{row['scenario']} ({where}): ≥ 4× Datasette", row["platform"]["rps"] > 0,
                              f"{row['platform']['rps']:.0f} req/s against none: Datasette finished no request "
                              "within 10 s"))
    export = data.get("export") or {}
    if export:
        found.append(("CSV export of 1,000,000 audit rows: ≥ 50,000 rows/s", export["rows_per_second"] >= 50_000,
                      f"{export['rows']:,} rows in {export['seconds']} s = {export['rows_per_second']:,} rows/s"))
        found.append(("CSV export: server peak memory < 150 MB", export["peak_memory_mb"] < 150,
                      f"{export['peak_memory_mb']} MB (before the export: {export['memory_before_mb']} MB)"))
    federation = data.get("federation") or {}
    for path, result in (federation.get("dashboards") or {}).items():
        if result.get("ratio") is not None:
            found.append((f"national dashboard {path}: within 2× of its raw SQL", result["ratio"] <= 2,
                          f"{result['page_ms']} ms against {result['sql_ms']} ms ({result['ratio']}×, "
                          f"{result['queries']} queries)"))
    for name in ("full", "incremental"):
        run = federation.get(name) or {}
        if name == "full" and run:
            grown = run["peak_rss_mb"] - run["rss_before_mb"]
            found.append((f"harvest of {federation['peers']} peers × {federation['organisations']:,} organisations "
                          "in minutes with flat memory", run["seconds"] < 600 and grown < 150,
                          f"{run['updated']:,} items in {run['seconds']:.0f} s, memory {run['rss_before_mb']} → "
                          f"{run['peak_rss_mb']} MB"))
    return found


def chart(rows: list[dict]) -> str:
    """Grouped horizontal bars: requests per second of each system, per page and size."""
    groups = [r for r in rows if r["workers"] == 1 and r["backend"] == "sqlite"] + \
        [r for r in rows if r["backend"] != "sqlite"]
    peak = max([r.get(s, {}).get("rps", 0) for r in groups for s, _ in SYSTEMS] + [1])
    bar, gap, left, width = 9, 10, 330, 420
    height = 60 + len(groups) * (3 * bar + gap)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {left + width + 80} {height}" '
           f'font-family="sans-serif" font-size="11" role="img" aria-labelledby="t">',
           '<title id="t">Requests per second: platform, bare page and Datasette, per page and size</title>',
           '<rect width="100%" height="100%" fill="#fff"/>']
    x = 10
    for system, colour in SYSTEMS:
        out.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/><text x="{x + 16}" y="18">'
                   f'{system}</text>')
        x += 110
    y = 40
    for row in groups:
        label = f"{row['scenario']} · {row['backend']} {row['organisations']:,}" + \
            (f" ×{row['workers']}" if row["backend"] != "sqlite" else "")
        out.append(f'<text x="{left - 6}" y="{y + bar * 2}" text-anchor="end">{html.escape(label)}</text>')
        for index, (system, colour) in enumerate(SYSTEMS):
            rps = row.get(system, {}).get("rps")
            if rps is None:
                continue
            length = max(1, rps / peak * width)
            top = y + index * bar
            out.append(f'<rect x="{left}" y="{top}" width="{length:.1f}" height="{bar - 1}" fill="{colour}"/>')
            out.append(f'<text x="{left + length + 4:.1f}" y="{top + bar - 2}" font-size="9">{rps:,.0f}</text>')
        y += 3 * bar + gap
    out.append("</svg>")
    return "\n".join(out) + "\n"


def budgets_section(output: Path) -> list[str]:
    """``benchmarks/budgets.py``'s before/after of /budgets on one data set, when it was run."""
    found = output / "budgets.json"
    if not found.exists():
        return []
    data = json.loads(found.read_text())
    lines = ["", "## /budgets before and after the kept totals (`python -m benchmarks.budgets`)", "",
             f"SQLite, {data['scale']:,} organisations, {data['programmes']:,} programmes, {data['payments']:,} "
             f"payments; in one process, {data['runs']} runs each, the same data. *Before*: the overview sums every "
             "fee, grant and paid payment on each request (as until migration 0015); *after*: it reads the per "
             "programme × year totals the database keeps (`budget_total`). Both gave the same figures. The page "
             "shows a page of programmes and a page of funders at a time (`?page`, `?funder_page`, `?municipality`), "
             "so its cost no longer grows with the number of programmes.", "",
             "| measured | before: median (best) ms | after: median (best) ms | speed-up |", "|---|---:|---:|---:|"]
    for key, name in (("overview", "the overview's queries"), ("page", "GET /budgets, whole page")):
        before, after = data[key]["before"], data[key]["after"]
        lines.append(f"| {name} | {before['median_ms']:,.1f} ({before['best_ms']:,.1f}) | "
                     f"{after['median_ms']:,.1f} ({after['best_ms']:,.1f}) | "
                     f"{before['median_ms'] / max(after['median_ms'], 0.001):.1f}× |")
    return lines


def fresh_section(output: Path) -> list[str]:
    """How long ``make bench`` took from a fresh checkout (no .venv, no data), when that was timed."""
    found = output / "fresh.json"
    if not found.exists():
        return []
    data = json.loads(found.read_text())
    return ["", "## `make bench` from fresh", "", data["words"]]


def federation_section(report: dict) -> list[str]:
    """The federation scenario (``benchmarks/federation.py``): feeds served, harvests run."""
    if not report:
        return []
    machine = report.get("machine", {})
    publish, full, incremental = report["publish"], report["full"], report["incremental"]
    lines = ["", "## Federation: feeds and harvest", "",
             f"Measured {machine.get('measured_at', '?')} on {machine.get('cores', '?')} cores shared with other "
             f"work (load average at the end {', '.join(f'{x:.1f}' for x in machine.get('load', []))}), so the "
             f"figures are a floor, not a ceiling; {report['seconds']} s in all. {report['peers']} peer(s), each a "
             "uvicorn server (one worker, SQLite) on loopback with "
             f"`bench-data --organisations {report['organisations']}` "
             f"({report['data_set']}), everything shared; the national instance on its own SQLite file. "
             f"Pages of {report['limit']} items.", "",
             "### Publish: one peer's feeds walked from change number 0, each request signed and each answer "
             "checked", "",
             "| kind | items | of which deleted | pages | seconds | items/s |", "|---|---:|---:|---:|---:|---:|"]
    for key, kind in publish["kinds"].items():
        lines.append(f"| {key} | {kind['items']:,} | {kind.get('deleted', 0):,} | {kind['pages']} | "
                     f"{kind['seconds']:.2f} | {_fmt(kind['items_per_second'])} |")
    lines.append(f"| **all kinds** | {publish['items']:,} | | | {publish['seconds']:.2f} | "
                 f"{_fmt(publish['items_per_second'])} |")
    lines += ["", f"Peer server peak memory (VmHWM) after the walk: {publish['server_peak_memory_mb']} MB; after "
              "the harvests: " + ", ".join(f"{name} {mb} MB" for name, mb in report.get("peer_peak_memory_mb", {})
                                           .items()) + ".", "",
              "### Harvest: `harvest_all` in a fresh process of the national instance, end to end", "",
              "| harvest | items written | pages | seconds | items/s | RSS before (MB) | peak RSS (MB) |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for name, run in (("full (from nothing)", full), ("incremental (nothing new)", incremental)):
        lines.append(f"| {name} | {run['updated']:,} | {run['pages']} | {run['seconds']:.2f} | "
                     f"{_fmt(run['items_per_second']) if run['updated'] else '—'} | {run['rss_before_mb']} | "
                     f"{run['peak_rss_mb']} |")
    lines += ["", "Per peer (full): " + "; ".join(f"{name} {peer['updated']:,} items in {peer['seconds']:.1f} s"
                                                  for name, peer in full["peers"].items()) + ". RSS is the "
              "harvesting process's peak resident memory (VmHWM, i.e. `ru_maxrss` of its own memory map; before: "
              "after building the platform; peak: after the harvest)."]
    dashboards = report.get("dashboards") or {}
    if dashboards:
        lines += ["", "### The national dashboards on the harvested instance, beside their own SQL", "",
                  "Median of a few requests as the national coordinator, in one process; the SQL is what the page "
                  "ran (peewee's log), run alone on the same connection.", "",
                  "| page | queries | page ms | SQL ms | page / SQL |", "|---|---:|---:|---:|---:|"]
        for path, result in dashboards.items():
            lines.append(f"| `{path}` | {result['queries']} | {result['page_ms']} | {result['sql_ms']} | "
                         f"{result['ratio']}× |")
    return lines


def write(data: dict, output: Path) -> bool:
    """Write README.md and chart.svg; True when a target was missed."""
    checks = targets(data)
    lines = ["# Benchmark results", "",
             f"`make bench` on {data['machine']['cores']} cores (load average at the end "
             f"{', '.join(f'{x:.1f}' for x in data['machine']['load'])}), {data['seconds']} s in all; "
             f"{data['settings']['connections']} connections, {data['settings']['seconds']} s per turn, "
             f"{data['settings']['rounds']} turns each, taking turns, best turn counts.", "",
             "![requests per second](chart.svg)", "", "## Targets", "", "| target | met | measured |", "|---|---|---|"]
    lines += [f"| {name} | {'yes' if met else '**no**'} | {detail} |" for name, met, detail in checks]
    lines += ["", "## Pages", ""] + table(data["rows"])
    memory = {}
    for row in data["rows"]:
        memory[row["label"]] = row.get("peak_memory_mb", {})
    lines += ["", "## Peak memory (MB, VmHWM summed over worker processes)", "", "| run | " +
              " | ".join(s for s, _ in SYSTEMS) + " |", "|---|---:|---:|---:|"]
    lines += [f"| {label} | " + " | ".join(_fmt(values.get(s), 1) for s, _ in SYSTEMS) + " |"
              for label, values in memory.items()]
    lines += ["", "## Data generation (`partnerskab bench-data`)", "", "| data set | seconds | rows |", "|---|---:|---|"]
    lines += [f"| {name} | {info['seconds']} | {info['output'].split(' | ')[0]} |"
              for name, info in data.get("generation", {}).items()]
    lines += budgets_section(output) + fresh_section(output)
    lines += federation_section(data.get("federation") or {})
    (output / "README.md").write_text("\n".join(lines) + "\n")
    (output / "chart.svg").write_text(chart(data["rows"]))
    if output.resolve() == RESULTS_DIR:
        quote_in_readme(data, checks)
    return not all(met for _, met, _ in checks)


RESULTS_DIR = Path(__file__).resolve().parent / "results"
PROJECT_README = Path(__file__).resolve().parent.parent / "README.md"
QUOTE_START, QUOTE_END = "<!-- make bench: targets -->", "<!-- /make bench: targets -->"


def quote_in_readme(data: dict, checks: list[tuple[str, bool, str]]) -> None:
    """Put the targets table of the last full run into the project's README, between its two
    markers, so what the README quotes is what ``make bench`` measured (a run written elsewhere,
    such as the tests' small one, leaves the README alone)."""
    if not PROJECT_README.exists():
        return
    text = PROJECT_README.read_text()
    if QUOTE_START not in text or QUOTE_END not in text:
        return
    met = sum(1 for _, ok, _ in checks if ok)
    quoted = [QUOTE_START, "",
              f"Last `make bench` ({data['machine']['cores']} cores, load average at the end "
              f"{', '.join(f'{x:.1f}' for x in data['machine']['load'])}, {data['seconds']} s in all): "
              f"{met} of {len(checks)} targets met. Pages, memory and the federation's figures: "
              "[`benchmarks/results/README.md`](benchmarks/results/README.md).", "",
              "| target | met | measured |", "|---|---|---|"]
    quoted += [f"| {name} | {'yes' if ok else '**no**'} | {detail} |" for name, ok, detail in checks]
    quoted += ["", QUOTE_END]
    before, rest = text.split(QUOTE_START, 1)
    after = rest.split(QUOTE_END, 1)[1]
    PROJECT_README.write_text(before + "\n".join(quoted) + after)
