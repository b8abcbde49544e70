"""Yearly counts over real HTTP: an association enters its count, the ±30 % note is asked for,
the consultant checks, another tenant sees nothing, the overview shows gaps as gaps and an
incomplete total as such, the demo adds up to the report's order of magnitude, and no page's
query count grows with the data."""
from __future__ import annotations

import datetime
import re

from playhouse.test_utils import count_queries

from core import db
from core.demo import DEMO_PASSWORD
from plugins.copenhagen import counts_demo
from plugins.membership_counts import rules
from plugins.membership_counts.models import MemberCount
from tests.core.views._lifecycle import make_account, make_organisation, people, text_of
from tests.plugins.network import make_network

__all__ = ["people"]

TODAY = datetime.date.today()
LAST_YEAR = TODAY.year - 1
METRIC = "members_under_25"


def problems(page: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', page, re.S)
    assert match, "no problems shown"
    return text_of(match.group(1))


def _form(year, value, note=""):
    return {"metric": METRIC, "year": str(year), "value": str(value), "note": note}


def test_an_association_enters_a_count_the_note_is_asked_for_and_the_consultant_checks(platform, people):
    network = make_network(platform, 2)
    organisation = network.organisations[0]
    page = f"/membership-counts/organisations/{organisation.id}"
    person = people(network.people[0], network.password)
    person.post(page, page, _form(LAST_YEAR - 1, 200))
    refused = person.post(page, page, _form(LAST_YEAR, 300), expect=422)
    assert "30 per cent" in problems(refused.text) and "+50" in problems(refused.text)
    with db.connection():
        assert not MemberCount.select().where(MemberCount.organisation == organisation.id,
                                              MemberCount.year == LAST_YEAR).exists()
    person.post(page, page, _form(LAST_YEAR, 300, "Ny afdeling på Amager"))
    shown = text_of(person.get(page))
    assert "Ny afdeling på Amager" in shown and "+50" in shown and "not checked yet" in shown
    for bad in ("-3", "2,5", "mange"):
        assert "value" in person.post(page, page, _form(LAST_YEAR, bad), expect=422).text
    # another association's person: its counts are not found
    other = people(network.people[1], network.password)
    assert other.client.get(page).status_code == 404
    assert other.client.post(page, data=_form(LAST_YEAR, 1)).status_code in (403, 404)
    staff = people(network.staff, network.password)
    staff.post(page, page + "/check", {"count": "all"})
    assert "not checked yet" not in text_of(staff.get(page)) and "checked" in text_of(staff.get(page))
    # the association's people may not check their own figures
    assert person.client.post(page + "/check", data={"count": "all", "csrf_token": person.token(person.get(page))}
                              ).status_code == 403


def test_the_overview_shows_gaps_as_gaps_and_an_incomplete_total(platform, people):
    network = make_network(platform, 3)
    a, b, _c = network.organisations
    with db.connection():
        for organisation, year, value in ((a, LAST_YEAR - 2, 100), (b, LAST_YEAR - 2, 50), (a, LAST_YEAR, 110)):
            rules.record_count(organisation, _form(year, value), "test", TODAY)
    staff = people(network.staff, network.password)
    page = staff.get(f"/membership-counts?programme={network.programme.slug}&metric={METRIC}")
    rows = {text_of(m.group(1)).strip(): text_of(m.group(2)) for m in
            re.finditer(r'<tr><th scope="row">(\d{4})</th>(.*?)</tr>', page, re.S)}
    assert "150*" in rows[str(LAST_YEAR - 2)] and "2 of 3" in rows[str(LAST_YEAR - 2)]
    assert "110*" in rows[str(LAST_YEAR)] and "1 of 3" in rows[str(LAST_YEAR)]
    assert "no figure" in rows[str(LAST_YEAR - 1)] and "0 of 3" in rows[str(LAST_YEAR - 1)], \
        "a year nobody reported is a gap, not 0"
    assert "<svg" in page and "<desc" in page
    assert "reported by 1 of 3 associations" in page


def test_the_demo_counts_add_up_to_the_reports_order_of_magnitude(dbconn):
    from core.models.organisation import Organisation
    from slugify import slugify
    assert sum(counts_demo.END_OF_2022.values()) == 18_340
    ids = [o.id for o in Organisation.select().where(
        Organisation.slug.in_([slugify(name)[:180] for name in counts_demo.END_OF_2022]))]
    assert len(ids) == 25
    totals = {year: sum(row.value for row in MemberCount.select().where(
        MemberCount.organisation.in_(ids), MemberCount.metric == METRIC, MemberCount.year == year))
        for year in (2021, 2022, 2023)}
    assert totals[2022] == 18_340
    assert 15_000 < totals[2021] < 18_340 and 17_000 < totals[2023] < 21_000
    assert all("illustrativ" in row.note for row in MemberCount.select().where(MemberCount.organisation.in_(ids)))
    missing_2021 = 25 - MemberCount.select().where(MemberCount.organisation.in_(ids),
                                                   MemberCount.year == 2021).count()
    assert missing_2021 == 1, "a count missing in 2021 shows the gap"


def test_the_demo_consultant_sees_the_report_figure(people):
    consultant = people("kbh-admin@partnerskab.test", DEMO_PASSWORD)
    page = text_of(consultant.get("/membership-counts?programme=kobenhavn-sociale-partnerskaber"))
    assert "18,340" in page or "18.340" in page


def test_the_pages_query_counts_do_not_grow_with_the_data(platform, people):
    network = make_network(platform, 2)
    staff = people(network.staff, network.password)
    overview = f"/membership-counts?programme={network.programme.slug}&metric={METRIC}"
    organisation_page = f"/membership-counts/organisations/{network.organisations[0].id}"

    def counts() -> list[int]:
        found = []
        for path in (overview, organisation_page, "/membership-counts"):
            staff.get(path)
            with count_queries() as counter:
                staff.get(path)
            found.append(counter.count)
        return found

    with db.connection():
        for year, organisation in enumerate(network.organisations):
            rules.record_count(organisation, _form(LAST_YEAR, 10 + year), "test", TODAY)
    small = counts()
    from core.rules import registry
    for n in range(6):
        organisation = make_organisation(platform, f"Vækstforening {n}", "0101")
        with db.connection():
            registry.add_membership(programme=network.programme, organisation=organisation, role="partner",
                                    joined_on=TODAY, actor="test")
            for year in range(LAST_YEAR - 4, LAST_YEAR + 1):
                rules.record_count(organisation, _form(year, 100 + year % 7), "test", TODAY)
        if n == 0:
            with db.connection():
                for year in range(LAST_YEAR - 4, LAST_YEAR):
                    rules.record_count(network.organisations[0], _form(year, 10), "test", TODAY)
    assert counts() == small


def test_a_person_outside_the_programme_sees_no_counts_of_it(platform, people):
    network = make_network(platform, 1)
    with db.connection():
        rules.record_count(network.organisations[0], _form(LAST_YEAR, 42), "test", TODAY)
    outsider = people(make_account("municipality_admin", municipality="0265"), network.password)
    assert outsider.client.get(f"/membership-counts/organisations/{network.organisations[0].id}").status_code == 404
    assert network.programme.name not in outsider.get("/membership-counts")


def test_the_to_do_lists_ask_for_the_count_and_for_the_check(platform, people):
    network = make_network(platform, 1)
    organisation = network.organisations[0]
    person = people(network.people[0], network.password)
    todo = text_of(person.get("/todo"))
    assert f"{organisation.name}: Members under 25 {LAST_YEAR}" in todo
    page = f"/membership-counts/organisations/{organisation.id}"
    person.post(page, page, _form(LAST_YEAR, 64))
    assert f"{organisation.name}: Members under 25 {LAST_YEAR}" not in text_of(person.get("/todo"))
    staff = people(network.staff, network.password)
    assert "Yearly counts to check" in text_of(staff.get("/todo"))  # (the first 30 associations, by name)
    # the programme's and the organisation's pages carry the counts' blocks
    assert "64" in text_of(staff.get(f"/organisations/{organisation.slug}"))
