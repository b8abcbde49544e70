"""Yearly counts for ``partnerskab bench-data`` (``core.benchdata``'s hook point for plugin
tables): a million counts at national scale — members under 25 and volunteers for five years
for every organisation, about as many as 100,000 organisations give — written in bulk, the same
every time from the generation's seeded randomness."""
from __future__ import annotations

from core import benchdata, db

YEARS = (2021, 2022, 2023, 2024, 2025)
METRICS = ("members_under_25", "volunteers")


def generate(gen: benchdata.Generation) -> int:
    """Write the counts; 0 when this plugin's table is not there (the plugin is not enabled)."""
    if not db.database.table_exists("membership_count"):
        return 0
    factor = min(1.0, len(gen.organisation_ids) / benchdata.SCALES["national"]) if gen.organisation_ids else 0
    wanted = int(benchdata.NATIONAL["yearly_counts"] * factor)
    rnd = gen.rnd
    first = benchdata._max_id("membership_count") + 1
    clock = benchdata.CLOCK.replace(tzinfo=None)

    def rows():
        made = 0
        for organisation_id in gen.organisation_ids:
            if organisation_id == 0:
                continue
            base = rnd.randint(20, 2000)
            for metric in METRICS:
                size = base if metric == "members_under_25" else max(1, base // rnd.randint(8, 20))
                for year in YEARS:
                    if made >= wanted:
                        return
                    size = max(0, int(size * rnd.uniform(0.85, 1.2)))
                    checked = benchdata.CLOCK.date() if rnd.random() < 0.8 else None
                    yield (first + made, metric, organisation_id, year, size, "", checked, clock)
                    made += 1

    count = benchdata.bulk_insert("membership_count", ("id", "metric", "organisation_id", "year", "value", "note",
                                                       "checked_on", "updated_at"), rows())
    benchdata._move_sequences(["membership_count"])
    return count
