"""Learnings (and a method for every hundredth) in ``partnerskab bench-data``: 100,000 at national
scale, as many as the scale's organisations below it. Registered with the core's hook point
(``core.benchdata.register_generator``) when the plugin is imported; it writes nothing on a
database without the plugin's tables (the plugin not migrated there).

Rows go in by the thousands like the core's (``bulk_insert``), with the search index's upkeep
taken away during the load and the index built again in one statement, as the core does for
organisations. The texts are made of the same syllables and words as the core's names: no real
place, no person, no child.
"""
from __future__ import annotations

import importlib
import random

from core import benchdata, db
from plugins.knowledge import vocabulary

NATIONAL_LEARNINGS = 100_000
METHOD_EVERY = 100
VISIBILITY_WEIGHTS = (("network", 35), ("municipality", 25), ("national", 30), ("public", 10))
FOCUS = [f"general:{key}" for key in vocabulary.GENERAL_FOCUS_AREAS]
METHODS = [key for key in vocabulary.METHODS if key != "other"]
OPENINGS = ["Da vi startede", "Efter det første år", "Sammen med skolen", "På netværksmødet", "I sommerferien",
            "Med de nye frivillige"]
LESSONS = ["kom der flere unge", "blev flere hængende", "fandt forældrene vej", "fik trænerne mere ro",
           "blev samarbejdet fastere", "lærte vi at spørge de unge først"]
TABLES = ("knowledge_learning", "knowledge_method")


def _migration():
    return importlib.import_module("plugins.knowledge.migrations.0001_knowledge")


def _suspend() -> callable:
    """Take the index's per-row upkeep away; the function returned builds it again."""
    migration = _migration()
    if db.is_postgres():
        for table in TABLES:
            db.database.execute_sql(f"DROP INDEX IF EXISTS {table}_search_vector")

        def restore() -> None:
            for table in TABLES:
                db.database.execute_sql(migration.postgres_index(table))
        return restore
    for table in TABLES:
        for statement in migration.sqlite_drop_triggers(table):
            db.database.execute_sql(statement)

    def restore() -> None:
        for table in TABLES:
            db.database.execute_sql(f"DELETE FROM {table}_search")
            for statement in migration.sqlite_fill(table) + migration.sqlite_triggers(table):
                db.database.execute_sql(statement)
    return restore


def generate(gen: benchdata.Generation) -> int:
    if not db.database.table_exists("knowledge_learning"):
        return 0
    count = min(gen.organisations, NATIONAL_LEARNINGS)
    rnd = random.Random(gen.rnd.random())
    restore = _suspend()
    first = benchdata._max_id("knowledge_learning") + 1
    first_method = benchdata._max_id("knowledge_method") + 1
    visibilities = [key for key, _weight in VISIBILITY_WEIGHTS]
    weights = [weight for _key, weight in VISIBILITY_WEIGHTS]
    programmes = gen.programme_ids or [None]
    # two programmes per municipality, in the order the core made them
    municipality_of = {pid: gen.municipality_ids[index // 2 % len(gen.municipality_ids)]
                       for index, pid in enumerate(gen.programme_ids)}
    organisations = len(gen.organisation_ids)
    methods: list[tuple] = []

    def rows():
        for offset in range(count):
            learning_id = first + offset
            town = benchdata.town_name(rnd.randrange(480))
            activity = rnd.choice(benchdata.ACTIVITIES)
            title = f"{activity} i {town}: {rnd.choice(LESSONS)}"
            summary = f"{rnd.choice(OPENINGS)} {rnd.choice(LESSONS)} i {activity.lower()}holdet."
            body = (f"{rnd.choice(OPENINGS)} {rnd.choice(LESSONS)}.\n\n- {rnd.choice(LESSONS)}\n- "
                    f"{rnd.choice(LESSONS)}\n\n{town}, {rnd.choice(benchdata.GROUP_WORDS)}.")
            method = rnd.choice(METHODS)
            visibility = rnd.choices(visibilities, weights)[0]
            programme_id = rnd.choice(programmes)
            municipality_id = municipality_of.get(programme_id) or rnd.choice(gen.municipality_ids)
            organisation_id = rnd.randrange(1, organisations + 1) if organisations and rnd.random() < 0.7 else None
            if offset % METHOD_EVERY == 0:
                methods.append((first_method + len(methods), gen.next_change(), None, learning_id,
                                f"Metode: {title}"[:200], method, summary, "", body, "", "", municipality_id,
                                organisation_id, programme_id, rnd.choice(FOCUS), "", visibility, None, "",
                                benchdata.CLOCK, benchdata.CLOCK))
            yield (learning_id, gen.next_change(), None, title[:200], summary, body, municipality_id, organisation_id,
                   programme_id, "", "", "", rnd.choice(FOCUS), "", method, visibility, None, "", "", True,
                   benchdata.CLOCK, benchdata.CLOCK)

    written = benchdata.bulk_insert("knowledge_learning", (
        "id", "change_number", "deleted_at", "title", "summary", "body", "municipality_id", "organisation_id",
        "programme_id", "meeting_ref", "meeting_label", "meeting_url", "focus_area", "target_group", "method",
        "visibility", "author_id", "author_name", "source", "illustrative", "created_at", "updated_at"), rows())
    benchdata.bulk_insert("knowledge_method", (
        "id", "change_number", "deleted_at", "learning_id", "title", "method_key", "what", "for_whom", "steps",
        "what_it_takes", "evidence", "municipality_id", "organisation_id", "programme_id", "focus_area",
        "target_group", "visibility", "author_id", "author_name", "created_at", "updated_at"), methods)
    restore()
    benchdata._move_sequences(TABLES)
    gen.counts["methods"] = len(methods)
    return written
