"""Reach without watching people: an offer's page opened by the public raises one counter per
offer and day, and nothing about the visitor — no cookie, no address, no browser, no id —
is stored in any table or written to any log line."""
from __future__ import annotations

import datetime
import logging
import uuid

from core import db
from plugins.catalogue.models import OfferVisit
from plugins.catalogue.views_public import danish_today
from tests.plugins.catalogue.conftest import ENGLISH, offer_id

TITLE = "Stolegymnastik for seniorer"


def visits_today(number: int) -> int:
    with db.connection():
        row = OfferVisit.get_or_none(OfferVisit.offer == number, OfferVisit.day == danish_today())
        return row.visits if row else 0


def every_value_in_the_database() -> str:
    """Every row of every table, as text."""
    with db.connection():
        tables = db.database.get_tables()
        assert "catalogue_offer_visit" in tables and "organisation" in tables
        chunks = []
        for table in tables:
            cursor = db.database.execute_sql(f'SELECT * FROM "{table}"')
            chunks.extend(repr(row) for row in cursor.fetchall())
        return "\n".join(chunks)


def test_visits_are_counted_and_nothing_identifying_is_kept(http, client_as, caplog):
    caplog.set_level(logging.DEBUG)
    number = offer_id(TITLE)
    marker = uuid.uuid4().hex[:12]
    address = f"198.51.100.{int(marker[:2], 16) % 200 + 1}"
    agent = f"Mozilla/5.0 VisitorMarker-{marker}"
    referrer = f"https://example.org/from-{marker}"
    before = visits_today(number)
    for _ in range(3):
        response = http.get(f"/offers/{number}", headers={**ENGLISH, "User-Agent": agent, "X-Forwarded-For": address,
                                                          "X-Real-IP": address, "Referer": referrer},
                            params={"back": f"/offers?q={marker}"})
        assert response.status_code == 200
        assert "set-cookie" not in response.headers  # no cookie for a visitor
    assert visits_today(number) == before + 3
    # a HEAD, the calendar and the list are not visits of the page
    http.head(f"/offers/{number}")
    http.get(f"/offers/{number}/calendar.ics")
    http.get("/offers", params={"q": "stolegymnastik"})
    assert visits_today(number) == before + 3
    # staff looking at it are not the public it is meant to reach
    client_as("roskilde-admin@partnerskab.test").get(f"/offers/{number}")
    assert visits_today(number) == before + 3

    stored = every_value_in_the_database()
    for trace in (marker, address, agent, "198.51.100."):
        assert trace not in stored, trace
    # the server's log lines (the test's own HTTP client logs what it sent: not the server's)
    server_records = [record for record in caplog.records if not record.name.startswith(("httpx", "httpcore"))]
    assert any(record.name == "partnerskab.access" for record in server_records), \
        "the access log wrote nothing: the test would prove nothing"
    logged = "\n".join(f"{record.name} {record.getMessage()} {vars(record)}" for record in server_records)
    for trace in (marker, address, agent):
        assert trace not in logged, trace
    # the counter row is all there is: offer, day, number
    with db.connection():
        columns = [column.name for column in db.database.get_columns("catalogue_offer_visit")]
    assert sorted(columns) == ["day", "id", "offer_id", "visits"]


def test_counting_is_one_row_per_offer_and_day(dbconn):
    from plugins.catalogue import rules
    number = offer_id("It-hjælp for seniorer")
    day = datetime.date(2020, 2, 29)
    for _ in range(4):
        rules.count_visit(number, day)
    rows = list(OfferVisit.select().where(OfferVisit.offer == number, OfferVisit.day == day))
    assert [row.visits for row in rows] == [4]
    OfferVisit.delete().where(OfferVisit.offer == number, OfferVisit.day == day).execute()
