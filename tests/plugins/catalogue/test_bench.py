"""``partnerskab bench-data`` fills the catalogue too (its generator joins the core's through the
hook point of ``core.benchdata``): as many offers as organisations, in the search index, and
the catalogue's search answers them with the query count it has on the demo data."""
from __future__ import annotations

from core import db
from tests.ops.conftest import cli, scratch_url  # noqa: F401 (the fixture)


def test_bench_data_holds_searchable_offers(scratch_url, tmp_path):  # noqa: F811
    assert cli(scratch_url, tmp_path, "migrate").returncode == 0
    made = cli(scratch_url, tmp_path, "bench-data", "--scale", "1000")
    assert made.returncode == 0, made.stderr
    database = db.open_database(scratch_url)
    with database.connection_context():
        offers = database.execute_sql("SELECT COUNT(*) FROM catalogue_offer").fetchone()[0]
        assert offers == 1000
        groups = database.execute_sql("SELECT COUNT(DISTINCT offer_id) FROM catalogue_offer_target_group").fetchone()[0]
        sessions = database.execute_sql("SELECT COUNT(DISTINCT offer_id) FROM catalogue_offer_session").fetchone()[0]
        assert groups == sessions == 1000
        free = database.execute_sql("SELECT COUNT(*) FROM catalogue_offer WHERE cost_ore = 0 AND published "
                                    "AND status <> 'ended'").fetchone()[0]
        if scratch_url.startswith("postgres"):
            indexed = database.execute_sql("SELECT COUNT(*) FROM catalogue_offer WHERE facet_vector @@ "
                                           "to_tsquery('simple', 'free & public')").fetchone()[0]
        else:
            live = database.execute_sql("SELECT COUNT(*) FROM catalogue_offer_search").fetchone()[0]
            assert live == 1000  # the index was filled in one go after the load
            indexed = database.execute_sql("SELECT COUNT(*) FROM catalogue_offer_search WHERE catalogue_offer_search "
                                           "MATCH 'facets: \"free\" AND facets: \"public\"'").fetchone()[0]
            triggers = database.execute_sql("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND "
                                            "name LIKE 'catalogue_offer_search%'").fetchone()[0]
            assert triggers >= 3  # and its triggers are back
        assert free > 100 and indexed == free
    if hasattr(database, "close_all"):
        database.close_all()
