"""``make bench``'s report: the targets it checks, and the quote of its targets table in the
project's README, which only a run written to ``benchmarks/results`` makes."""
from __future__ import annotations

from benchmarks import report

DATA = {
    "rows": [], "machine": {"cores": 2, "load": [0.5, 0.4, 0.3]}, "seconds": 1000,
    "settings": {"connections": 16, "seconds": 3, "rounds": 2},
    "export": {"rows": 1_000_002, "seconds": 9.7, "rows_per_second": 103_000, "peak_memory_mb": 78.0,
               "memory_before_mb": 76.0},
    "federation": {"peers": 2, "organisations": 100_000,
                   "full": {"updated": 549_560, "seconds": 300.0, "rss_before_mb": 58.0, "peak_rss_mb": 87.0},
                   "dashboards": {"/national": {"page_ms": 30.0, "sql_ms": 20.0, "ratio": 1.5, "queries": 9},
                                  "/national/harvest": {"page_ms": 90.0, "sql_ms": 20.0, "ratio": 4.5,
                                                        "queries": 6}}},
}


def test_the_targets_name_what_was_met_and_what_was_not():
    checks = {name: met for name, met, _ in report.targets(DATA)}
    assert checks["CSV export of 1,000,000 audit rows: ≥ 50,000 rows/s"] is True
    assert checks["national dashboard /national: within 2× of its raw SQL"] is True
    assert checks["national dashboard /national/harvest: within 2× of its raw SQL"] is False
    assert checks["harvest of 2 peers × 100,000 organisations in minutes with flat memory"] is True


def test_the_readme_quotes_the_targets_between_its_markers(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Project\n\nBefore.\n\n{report.QUOTE_START}\nold table\n{report.QUOTE_END}\n\nAfter.\n")
    monkeypatch.setattr(report, "PROJECT_README", readme)
    report.quote_in_readme(DATA, report.targets(DATA))
    text = readme.read_text()
    assert "old table" not in text and text.startswith("# Project\n\nBefore.") and text.endswith("After.\n")
    quoted = text[text.index(report.QUOTE_START):text.index(report.QUOTE_END)]
    assert "4 of 5 targets met" in quoted  # the export twice, two dashboards, the harvest
    assert "| national dashboard /national/harvest: within 2× of its raw SQL | **no** | 90.0 ms against 20.0 ms" in quoted
    report.quote_in_readme(DATA, report.targets(DATA))  # again: the same text, not a second copy
    assert readme.read_text() == text


def test_a_run_written_elsewhere_leaves_the_readme_alone(tmp_path, monkeypatch):
    readme = tmp_path / "README.md"
    readme.write_text(f"{report.QUOTE_START}\nkept\n{report.QUOTE_END}\n")
    monkeypatch.setattr(report, "PROJECT_README", readme)
    (tmp_path / "out").mkdir()
    report.write({**DATA, "federation": {}}, tmp_path / "out")
    assert "kept" in readme.read_text()
    assert (tmp_path / "out" / "README.md").exists()
