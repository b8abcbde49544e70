"""The federation scenario of ``make bench`` at a tiny size, so the benchmark cannot break
unnoticed: one peer of 100 organisations served by uvicorn, its feeds walked signed, a full
harvest and an incremental one in processes of their own, the national dashboards timed beside
their SQL, the report written."""
from __future__ import annotations

import json

from benchmarks import run


def test_the_federation_benchmark_measures_feeds_and_harvests(tmp_path):
    output = tmp_path / "results"
    assert run.main(["--only", "federation", "--federation-organisations", "100", "--federation-peers", "1",
                     "--output", str(output)]) == 0
    report = json.loads((output / "results.json").read_text())["federation"]
    publish, full, incremental = report["publish"], report["full"], report["incremental"]
    assert publish["items"] > 100 and publish["items_per_second"] > 0
    assert {"programmes", "organisations", "memberships", "money"} <= set(publish["kinds"])
    assert publish["kinds"]["organisations"]["items"] == 100
    assert publish["server_peak_memory_mb"] > 0
    # the harvest wrote every live item the walk saw, then found nothing new
    assert full["updated"] == publish["items"] - sum(kind["deleted"] for kind in publish["kinds"].values())
    assert full["items_per_second"] > 0 and full["peak_rss_mb"] >= full["rss_before_mb"] > 0
    assert (incremental["updated"], incremental["pages"]) == (0, 0) and incremental["peak_rss_mb"] > 0
    readme = (output / "README.md").read_text()
    assert "## Federation: feeds and harvest" in readme and "incremental (nothing new)" in readme
    # the national dashboards, as the national coordinator sees them, beside the SQL they ran
    dashboards = report["dashboards"]
    assert set(dashboards) == {"/national", "/national/harvest", "/national/learnings",
                               "/national/learnings?q=brobygning"}
    for path, result in dashboards.items():
        assert result["queries"] > 0 and result["page_ms"] > 0 and result["sql_ms"] > 0, path
        assert result["ratio"] > 0  # the page over its SQL (from the unrounded times)
    assert "### The national dashboards on the harvested instance" in readme
    assert "national dashboard /national: within 2× of its raw SQL" in readme
