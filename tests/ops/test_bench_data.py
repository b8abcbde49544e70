"""``partnerskab bench-data``: the benchmark's data set, made by the project's own code through
the CLI, deterministic from its seed, consistent (payments within grants, grants within
budgets) and searchable, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import os

import pytest

from core import benchdata, db
from core.folding import fold
from tests.ops.conftest import cli, run_sql, with_schema

TABLES = {"municipality": "code, name", "organisation": "name, slug, kind, municipality_id, description",
          "organisation_target_group": "organisation_id, target_group", "programme_grant": "programme_id, "
          "organisation_id, year, amount_ore", "payment_request": "grant_id, amount_ore, status",
          "audit_entry": "action, object_id, scope"}


def digest_and_counts(url: str) -> tuple[str, dict[str, int]]:
    database = db.open_database(url)
    digest, counts = hashlib.sha256(), {}
    with database.connection_context():
        for table, columns in TABLES.items():
            rows = database.execute_sql(f"SELECT {columns} FROM {table} ORDER BY id").fetchall()
            counts[table] = len(rows)
            digest.update(repr(rows).encode())
        # payments never above their grant, grants never above the programme's budget for the year
        over_grant = database.execute_sql(
            "SELECT COUNT(*) FROM (SELECT g.id FROM programme_grant g JOIN payment_request p ON p.grant_id = g.id "
            "WHERE p.status <> 'cancelled' GROUP BY g.id, g.amount_ore HAVING SUM(p.amount_ore) > g.amount_ore) x"
        ).fetchone()[0]
        over_budget = database.execute_sql(
            "SELECT COUNT(*) FROM (SELECT b.id FROM programme_budget b JOIN programme_grant g ON "
            "g.programme_id = b.programme_id AND g.year = b.year GROUP BY b.id, b.amount_ore "
            "HAVING SUM(g.amount_ore) > b.amount_ore) x").fetchone()[0]
        assert (over_grant, over_budget) == (0, 0)
    if hasattr(database, "close_all"):
        database.close_all()
    return digest.hexdigest(), counts


def test_bench_data_is_deterministic_consistent_and_searchable(scratch_url, tmp_path):
    assert cli(scratch_url, tmp_path, "migrate").returncode == 0
    made = cli(scratch_url, tmp_path, "bench-data", "--scale", "1000")
    assert made.returncode == 0, made.stderr
    assert "98 municipalities, 1,000 organisations" in made.stdout and "2,000 payments" in made.stdout
    assert "10,000 audit rows" in made.stdout
    first, counts = digest_and_counts(scratch_url)
    assert counts["municipality"] == 98 and counts["organisation"] == 1000 and counts["audit_entry"] == 10_000

    again = cli(scratch_url, tmp_path, "bench-data", "--scale", "1000")
    assert again.returncode == 2 and "already holds organisations" in again.stderr
    for wrong in ("0", "-5", "many"):  # --organisations (a small set for tests) takes a positive count only
        refused = cli(scratch_url, tmp_path, "bench-data", "--organisations", wrong)
        assert refused.returncode == 2 and "a whole number from 1 to 10,000,000" in refused.stderr

    # the same seed into another empty database gives the same rows; another seed does not
    other = scratch_url.replace("scratch.sqlite3", "other.sqlite3") if scratch_url.startswith("sqlite") else None
    if other is None:
        base = os.environ["TEST_DATABASE_URL"]
        run_sql(base, "DROP SCHEMA IF EXISTS scratch_again CASCADE", "CREATE SCHEMA scratch_again")
        other = with_schema(base, "scratch_again")
    try:
        assert cli(other, tmp_path, "migrate").returncode == 0
        assert cli(other, tmp_path, "bench-data", "--scale", "1000").returncode == 0
        assert digest_and_counts(other)[0] == first
    finally:
        if not other.startswith("sqlite"):
            run_sql(os.environ["TEST_DATABASE_URL"], "DROP SCHEMA IF EXISTS scratch_again CASCADE")

    # the generated organisations are in the search index, folded: 'hoj' finds 'Høj…'
    database = db.open_database(scratch_url)
    with database.connection_context():
        expected = database.execute_sql(f"SELECT COUNT(*) FROM organisation WHERE name LIKE {database.param}",
                                        ("Høj%",)).fetchone()[0]
        if scratch_url.startswith("postgres"):
            sql = "SELECT COUNT(*) FROM organisation WHERE search_vector @@ to_tsquery('simple', 'hoj:*')"
        else:
            sql = "SELECT COUNT(*) FROM organisation_search WHERE organisation_search MATCH 'name:hoj*'"
        found = database.execute_sql(sql).fetchone()[0]
        if not scratch_url.startswith("postgres"):  # the index was rebuilt whole, facets included
            live = database.execute_sql("SELECT COUNT(*) FROM organisation WHERE deleted_at IS NULL").fetchone()[0]
            assert database.execute_sql("SELECT COUNT(*) FROM organisation_search").fetchone()[0] == live
            children = database.execute_sql(
                "SELECT COUNT(*) FROM organisation o JOIN organisation_target_group g ON g.organisation_id = o.id "
                "WHERE g.target_group = 'children' AND o.deleted_at IS NULL").fetchone()[0]
            faceted = database.execute_sql("SELECT COUNT(*) FROM organisation_search WHERE organisation_search "
                                           "MATCH 'facets: gchildren'").fetchone()[0]
            assert children > 0 and faceted == children
            triggers = database.execute_sql("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                            "name LIKE 'organisation_search%'").fetchone()[0]
            assert triggers == 7  # the index's five and its vocabulary's two, back after the load
            # the vocabulary holds every word of the index's text: 'hoj' stands for the 'hoj…' words
            words = {word for (word,) in database.execute_sql(
                "SELECT word FROM organisation_search_word WHERE word >= 'hoj' AND word < 'hok'").fetchall()}
            expanded = " OR ".join(f'"{word}"' for word in sorted(words))
            assert words and database.execute_sql(
                f"SELECT COUNT(*) FROM organisation_search WHERE organisation_search MATCH 'name: ({expanded})'"
            ).fetchone()[0] == found
    if hasattr(database, "close_all"):
        database.close_all()
    assert expected > 0 and found >= expected
    served = cli(scratch_url, tmp_path, "bench-data", "--scale", "bogus")
    assert served.returncode == 2 and "invalid choice" in served.stderr


def test_town_names_are_made_up_and_fold():
    names = {benchdata.town_name(i) for i in range(98)}
    assert len(names) == 98
    assert all(fold(name) for name in names)
