"""Offers for ``partnerskab bench-data`` (``core.benchdata``'s hook point for plugins' tables): as
many offers as organisations, up to 100,000 (the national data set of issue 12; a country of
1,000,000 organisations keeps that many too, as the learnings do), spread over the municipalities and six
districts each, with target groups, weekly times and some joint offers, written in bulk and the
same every time (the generation's seeded randomness and fixed clock) but for the dates offers
were last checked, which count back from the day the data is made.

The search words and facet tokens are made by the same functions as the rules use
(``plugins.catalogue.facets``). On SQLite the index triggers are taken away during the load and
the index is filled in one statement afterwards, as the core does for organisations.
"""
from __future__ import annotations

import datetime
import importlib
import random

from core import benchdata, db
from plugins.catalogue import facets, rules
from plugins.catalogue.models import CATEGORIES

DISTRICTS = ("Midtby", "Nord", "Syd", "Øst", "Vest", "Strand")
TITLES = {"sport": ["{a} for begyndere", "{a} om lørdagen", "{a} for piger", "Motions-{a}"],
          "culture": ["Kor og sang", "Teaterværksted", "Tegneskole", "Band for unge"],
          "community": ["Fællesspisning", "Seniorklub", "Besøgsven", "Strikkecafé"],
          "learning": ["Lektiecafé", "It-hjælp", "Dansk-café", "Lær at programmere"],
          "health": ["Stolegymnastik", "Gåklub", "Walk and talk", "Yoga for alle"],
          "nature": ["Naturvandring", "Fuglekiggeri", "Spejder", "Havefællesskab"],
          "support": ["Samtalegruppe", "Pårørendegruppe", "Rådgivning for unge", "Mentorordning"],
          "other": ["Åbent hus", "Frivilligcafé", "Byttemarked", "Reparationscafé"]}
GROUPS_BY_AGE = [((0, 12), ["children", "families"]), ((10, 17), ["youth"]), ((16, 24), ["youth_16_24"]),
                 ((18, 64), ["adults"]), ((60, 120), ["elderly"]), ((0, 120), ["families", "adults"])]
COLUMNS = ("id", "change_number", "deleted_at", "organisation_id", "municipality_id", "steward_id", "kind", "title",
           "description", "category", "min_age", "max_age", "eligibility", "cost_ore", "cost_note", "schedule_note",
           "starts_on", "ends_on", "street", "postcode", "city", "district_id", "latitude", "longitude", "mode",
           "online_url", "wheelchair", "languages", "what_to_bring", "how_to_join", "contact_role", "contact_name",
           "contact_consent", "contact_email", "contact_phone", "status", "published", "last_checked", "ended_on",
           "created_at", "updated_at", "search_text", "facets", "indexed_at")


def _migration():
    return importlib.import_module("plugins.catalogue.migrations.0001_catalogue")


def _suspend_index():
    """SQLite: drop the index triggers; the function returned fills the index and brings them back."""
    if db.is_postgres():
        return lambda: None
    migration = _migration()
    for statement in migration.SQLITE_DOWN[:3]:
        db.database.execute_sql(statement)

    def restore():
        db.database.execute_sql("DELETE FROM catalogue_offer_search")
        db.database.execute_sql("INSERT INTO catalogue_offer_search(rowid, body, facets) SELECT id, search_text, "
                                "facets FROM catalogue_offer WHERE deleted_at IS NULL")
        for statement in migration.SQLITE_UP[1:]:
            db.database.execute_sql(statement)
    return restore


NATIONAL_OFFERS = 100_000


def generate(gen: benchdata.Generation) -> int:
    rnd = random.Random(gen.rnd.random() + 11)
    count = min(gen.organisations, NATIONAL_OFFERS)
    if not count or not gen.municipality_ids:
        return 0
    clock = benchdata.CLOCK.replace(tzinfo=None)
    # the "last checked" dates count back from the day the data is made (not the fixed clock):
    # the public sees offers checked within 12 months, so a fixed date would leave a catalogue
    # made today all stale a year on; everything else is the same every time
    today = rules.local_today()
    towns = {mid: benchdata.town_name(index) for index, mid in enumerate(gen.municipality_ids)}
    first_district = benchdata._max_id("catalogue_district") + 1
    districts, by_municipality = [], {}
    for mid in gen.municipality_ids:
        for name in DISTRICTS:
            district_id = first_district + len(districts)
            label = f"{towns[mid]} {name}"
            districts.append((district_id, mid, label, facets.fold(label)[:80]))
            by_municipality.setdefault(mid, []).append((district_id, label))
    benchdata.bulk_insert("catalogue_district", ("id", "municipality_id", "name", "key"), districts)
    names = dict(db.database.execute_sql("SELECT id, name FROM organisation").fetchall())
    municipality_of = dict(db.database.execute_sql("SELECT id, municipality_id FROM organisation").fetchall())
    first_offer = benchdata._max_id("catalogue_offer") + 1
    group_rows, session_rows, partner_rows = [], [], []
    first_group = benchdata._max_id("catalogue_offer_target_group") + 1
    first_session = benchdata._max_id("catalogue_offer_session") + 1
    first_partner = benchdata._max_id("catalogue_offer_partner") + 1
    organisation_ids = list(gen.organisation_ids)[-count:] if len(gen.organisation_ids) >= count else \
        list(gen.organisation_ids)

    def rows():
        for offset in range(count):
            offer_id = first_offer + offset
            organisation_id = rnd.choice(organisation_ids)
            municipality_id = municipality_of.get(organisation_id)
            district_id, district_name = (rnd.choice(by_municipality[municipality_id]) if municipality_id
                                          in by_municipality else (None, ""))
            category = rnd.choice(CATEGORIES)
            (low, high), groups = rnd.choice(GROUPS_BY_AGE)
            if rnd.random() < 0.3:
                groups = [*groups, "volunteers"] if rnd.random() < 0.3 else groups
            kind = "volunteer_role" if "volunteers" in groups else "activity"
            title = rnd.choice(TITLES[category]).format(a=rnd.choice(benchdata.ACTIVITIES))
            cost = 0 if rnd.random() < 0.6 else rnd.choice([100, 200, 300, 450, 600]) * 100
            mode = rnd.choices(["in_person", "online", "both"], [85, 5, 10])[0]
            status = rnd.choices(["active", "paused", "ended"], [90, 5, 5])[0]
            published = rnd.random() < 0.95
            checked = today - datetime.timedelta(days=rnd.randrange(0, 500))
            days = sorted(rnd.sample(range(1, 8), rnd.choice([1, 1, 1, 2])))
            partners = []
            if rnd.random() < 0.05:
                partner = rnd.choice(organisation_ids)
                if partner != organisation_id:
                    partners.append(partner)
            for group in groups:
                group_rows.append((first_group + len(group_rows), offer_id, group))
            for day in days:
                hour = rnd.randrange(9, 20)
                session_rows.append((first_session + len(session_rows), offer_id, day, None, f"{hour:02d}:00",
                                     f"{hour + 1:02d}:30"))
            for partner in partners:
                partner_rows.append((first_partner + len(partner_rows), offer_id, partner))
            town = towns.get(municipality_id, "")
            values = {"kind": kind, "category": category, "status": status, "organisation_id": organisation_id,
                      "published": published, "municipality_id": municipality_id, "district_id": district_id,
                      "cost_ore": cost, "mode": mode, "wheelchair": False, "title": title, "city": town,
                      "description": f"{title} i {town}.", "eligibility": ""}
            created = clock - datetime.timedelta(days=rnd.randrange(0, 3000))
            yield (offer_id, gen.next_change(), None, organisation_id, municipality_id, None, kind, title,
                   values["description"], category, low, high, "", cost, "", "", None, None,
                   f"{town}vej {rnd.randint(1, 120)}", f"{rnd.randint(1000, 9990)}", town, district_id, None, None,
                   mode, "", False, "dansk", "", "Mød op.", "Træneren", "", False, "", "", status, published,
                   checked, today if status == "ended" else None, created, created,
                   facets.search_text_for(values, names.get(organisation_id, ""), district_name),
                   facets.facets_for(values, groups, days, partners), clock)

    restore = _suspend_index()
    written = benchdata.bulk_insert("catalogue_offer", COLUMNS, rows())
    benchdata.bulk_insert("catalogue_offer_target_group", ("id", "offer_id", "target_group"), group_rows)
    benchdata.bulk_insert("catalogue_offer_session", ("id", "offer_id", "weekday", "on_date", "starts_at", "ends_at"),
                          session_rows)
    benchdata.bulk_insert("catalogue_offer_partner", ("id", "offer_id", "organisation_id"), partner_rows)
    restore()
    benchdata._move_sequences(["catalogue_district", "catalogue_offer", "catalogue_offer_target_group",
                               "catalogue_offer_session", "catalogue_offer_partner"])
    return written
