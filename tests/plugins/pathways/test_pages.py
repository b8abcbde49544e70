"""The pathway pages over HTTP, on the real stack: a partner's people enter and correct their
counts (whole numbers, flows that add up, a message per field, nothing half-written), the
coordinator sees them exact and checks them, the public sees checked counts added up and small
ones hidden; nobody outside the partnership sees or changes anything; every write is audited;
the pages' query counts do not grow with the data."""
from __future__ import annotations

import html
import re

from playhouse.test_utils import count_queries

from core import db
from core.models.audit import AuditEntry
from plugins.pathways.models import PathwayCount, PathwayReport
from tests.core.auth.conftest import csrf_from
from tests.plugins.pathways.conftest import (COORDINATOR, GOOD_H1, GOOD_H2, OTHER_COORDINATOR, counts_form,
                                             make_partner, wipe_reports)

RBBC_PERSON = "rbbc-ressourceperson@partnerskab.test"


def report_path(partnership) -> str:
    return f"/programmes/{partnership.slug}/pathway/report"


def post_report(client, partnership, data: dict):
    """Post the report form as the browser would: with its token and, unless the test names
    another, the organisation the form offers."""
    form = client.get(report_path(partnership)).text
    offered = re.search(r'name="organisation" value="(\d+)"', form)
    defaults = {"organisation": offered.group(1)} if offered else {}
    return client.post(report_path(partnership), data={**defaults, **data, "csrf_token": csrf_from(form)})


def field_errors(page: str) -> dict[str, str]:
    return {name: html.unescape(text) for name, text in
            re.findall(r'<p class="field-error" id="f-([\w-]+)-error"><span class="visually-hidden">[^<]*</span>([^<]*)</p>',
                       page)}


def stored(partnership) -> dict:
    with db.connection():
        return {(r.organisation_id, r.period, r.status, r.revision): {c.step: (c.entered, c.moved_on, c.left)
                                                                       for c in r.counts}
                for r in PathwayReport.select().where(PathwayReport.programme == partnership.programme.id)}


def test_a_partner_reports_the_coordinator_checks_and_the_public_sees_it_added_up(partnership, client_for):
    wipe_reports(partnership.programme)
    a, b = partnership.partners
    person = client_for(partnership.people[0])
    form = person.get(report_path(partnership)).text
    assert 'id="f-first_contact-entered"' in form and 'id="f-volunteer-moved_on"' not in form  # the last step
    assert a.name in form and b.name not in form  # only their own organisation
    saved = post_report(person, partnership, counts_form("2024-H1", GOOD_H1))
    assert saved.status_code == 303 and "saved=pathway-recorded" in saved.headers["location"]
    assert stored(partnership) == {(a.id, "2024-H1", "submitted", 1): GOOD_H1}
    with db.connection():
        entry = AuditEntry.select().where(AuditEntry.action == "pathway.report").order_by(AuditEntry.id.desc()).first()
    assert entry.actor.endswith(partnership.people[0]) and '"first_contact": {"entered": 12' in entry.after

    # the partner sees its own counts exact; the public sees nothing until the coordinator checks them
    own = person.get(f"/programmes/{partnership.slug}/pathway/figures?year=2024").text
    assert "waiting to be checked" in own and "Mark as checked" not in own
    public = client_for().get(f"/programmes/{partnership.slug}/pathway").text
    assert "No checked counts yet." in public

    coordinator = client_for(COORDINATOR)
    page = coordinator.get(f"/programmes/{partnership.slug}/pathway/figures?year=2024").text
    steps = page.split('id="steps-2024-H1"', 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<td class="num" data-label="[^"]+">(\d+)</td>', steps)[:6] == ["0", "12", "8", "2", "12", "2"]
    report_id = re.search(rf'/programmes/{partnership.slug}/pathway/reports/(\d+)/check', page).group(1)
    checked = coordinator.post(f"/programmes/{partnership.slug}/pathway/reports/{report_id}/check",
                               data={"csrf_token": csrf_from(page)})
    assert checked.status_code == 303 and "saved=pathway-checked" in checked.headers["location"]
    again = coordinator.post(f"/programmes/{partnership.slug}/pathway/reports/{report_id}/check",
                             data={"csrf_token": csrf_from(page)})
    assert "saved=pathway-already-checked" in again.headers["location"]
    assert list(stored(partnership)) == [(a.id, "2024-H1", "checked", 1)]

    public = client_for().get(f"/programmes/{partnership.slug}/pathway").text
    entered = public.split('id="published-2024-entered"', 1)[1].split("</table>", 1)[0]
    cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', entered, re.S)
    assert cells == ["12", "9", '<span class="muted">hidden</span>', '<span class="muted">hidden</span>']
    assert "counts of 1 partner" in public and "No checked counts yet for:" in public  # the other half-year
    shown = [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', public)]
    assert shown and not any(0 < n < 5 for n in shown)
    assert 'role="img"' in public and "hidden" in public.split("<desc", 1)[1].split("</desc>", 1)[0]


def test_inconsistent_or_malformed_counts_are_refused_with_a_message_per_field(partnership, client_for):
    wipe_reports(partnership.programme)
    person = client_for(partnership.people[0])
    bad = counts_form("2024-H1", {**GOOD_H1, "first_contact": (12, 11, 2)})  # 13 out of 12
    bad["participant-left"] = "-3"
    bad["co_developer-entered"] = "lots"
    response = post_report(person, partnership, bad)
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert errors["participant-left"] == "Give a number from 0 to 100000"
    assert errors["co_developer-entered"] == "'lots' is not a whole number"
    assert stored(partnership) == {}
    response = post_report(person, partnership, counts_form("2024-H1", {**GOOD_H1, "first_contact": (12, 11, 2)}))
    assert response.status_code == 422
    assert field_errors(response.text)["first_contact-moved_on"].startswith(
        "First contact: moved on (11) and left (2) add up to more than the young people at the step in "
        "First half of 2024: 12")
    assert "There is a problem" in response.text and 'href="#f-first_contact-moved_on"' in response.text
    for period in ("2024-H3", "2024", "2023-H2", "2099-H1", ""):
        response = post_report(person, partnership, counts_form(period, GOOD_H1))
        assert response.status_code == 422, period
        assert field_errors(response.text).get("period") == "Choose a period from the list", field_errors(response.text)
    assert stored(partnership) == {}


def test_a_correction_replaces_the_counts_is_audited_and_is_checked_again(partnership, client_for):
    wipe_reports(partnership.programme)
    a = partnership.partners[0]
    person = client_for(partnership.people[0])
    assert post_report(person, partnership, counts_form("2024-H1", GOOD_H1)).status_code == 303
    # the second half-year leans on what the first carries over: 2 at first contact from before, 2 new, 4 move on
    later = {"first_contact": (2, 4, 0), "participant": (4, 0, 0), "co_developer": (0, 0, 0), "volunteer": (0, 0, 0)}
    assert post_report(person, partnership, counts_form("2024-H2", later)).status_code == 303
    prefilled = person.get(report_path(partnership), params={"organisation": a.id, "period": "2024-H1"}).text
    assert 'value="12"' in prefilled and "Counts for this period exist already (version 1)" in prefilled
    corrected = {**GOOD_H1, "first_contact": (13, 8, 2)}
    response = post_report(person, partnership, counts_form("2024-H1", corrected))
    assert response.status_code == 303 and "saved=pathway-corrected" in response.headers["location"]
    assert stored(partnership)[(a.id, "2024-H1", "submitted", 2)] == corrected
    with db.connection():
        entry = AuditEntry.select().where(AuditEntry.action == "pathway.correct").order_by(AuditEntry.id.desc()).first()
    assert '"first_contact": {"entered": 12, "left": 2, "moved_on": 8}' in entry.before
    assert '"revision": 2' in entry.after

    # a correction that would leave the second half-year inconsistent is refused, naming it
    breaking = {**GOOD_H1, "first_contact": (12, 8, 4)}  # adds up itself, but carries nobody over to H2
    response = post_report(person, partnership, counts_form("2024-H1", breaking))
    assert response.status_code == 422
    message = field_errors(response.text)["period"]
    assert message == ("With these counts, the report for Second half of 2024 no longer adds up: First contact: "
                       "moved on (4) and left (0) add up to more than the young people at the step in Second half "
                       "of 2024: 2 (0 from before and 2 who entered). Change these counts, or correct that report "
                       "first")
    assert stored(partnership)[(a.id, "2024-H1", "submitted", 2)] == corrected


def test_nobody_outside_the_partnership_sees_or_changes_its_counts(partnership, client_for):
    wipe_reports(partnership.programme)
    a, b = partnership.partners
    owner = client_for(partnership.people[0])
    assert post_report(owner, partnership, counts_form("2024-H1", GOOD_H1)).status_code == 303
    with db.connection():
        report = PathwayReport.get(PathwayReport.programme == partnership.programme.id)
    figures = f"/programmes/{partnership.slug}/pathway/figures"
    check = f"/programmes/{partnership.slug}/pathway/reports/{report.id}/check"

    other_partner = client_for(partnership.people[1])  # B's board member: the same programme, another partner
    page = other_partner.get(figures).text
    assert a.name not in page and 'id="steps-2024-H1"' not in page
    assert f'/pathway/reports/{report.id}/check' not in page
    refused = post_report(other_partner, partnership, counts_form("2024-H1", GOOD_H1, organisation=a.id))
    assert refused.status_code == 422 and field_errors(refused.text)["organisation"] == \
        "Choose an organisation from the list"
    assert other_partner.post(check, data={"csrf_token": csrf_from(page)}).status_code == 403

    stranger = client_for(OTHER_COORDINATOR)  # Slagelse's coordinator
    assert stranger.get(figures).status_code == 404
    assert stranger.post(check, data={"csrf_token": csrf_from(stranger.get("/me").text)}).status_code == 404
    rbbc = client_for(RBBC_PERSON)  # a resource person of a club in another programme
    assert rbbc.get(report_path(partnership)).status_code == 404
    assert rbbc.get(figures).status_code == 404
    anonymous = client_for()
    assert anonymous.get(figures).status_code == 303  # to the login page
    assert list(stored(partnership)) == [(a.id, "2024-H1", "submitted", 1)]


def test_a_programme_without_a_pathway_says_so_and_takes_no_counts(client_for):
    """Roskilde's programme type declares no pathway: its partners' people (and the administrator)
    get a page that says so, not a form; a post changes nothing."""
    roskilde = "/programmes/roskilde-sociale-partnerskabsforeninger/pathway"
    admin = client_for("admin@partnerskab.test")
    for path in (roskilde, roskilde + "/figures", roskilde + "/report"):
        page = admin.get(path)
        assert page.status_code == 200 and "This programme's type declares no pathway." in html.unescape(page.text), path
        assert 'name="period"' not in page.text
    before = stored_count()
    refused = admin.post(roskilde + "/report", data={"period": "2024-H1", "csrf_token": csrf_from(page.text)})
    assert refused.status_code == 409 and "declares no pathway" in refused.text
    assert stored_count() == before
    assert client_for(OTHER_COORDINATOR).get(roskilde + "/report").status_code == 403  # reports are the partners'


def stored_count() -> int:
    with db.connection():
        return PathwayReport.select().count()


def test_the_to_do_pages_name_what_waits(partnership, client_for):
    wipe_reports(partnership.programme)
    person = client_for(partnership.people[0])
    todo = html.unescape(person.get("/todo").text)
    assert "Pathway counts to report" in todo and f"{partnership.programme.name}: " in todo
    link = re.search(rf'href="(/programmes/{partnership.slug}/pathway/report\?organisation=\d+&amp;period=[\w-]+)"',
                     person.get("/todo").text).group(1)
    period = html.unescape(link).rsplit("=", 1)[1]
    assert person.get(html.unescape(link)).status_code == 200
    assert post_report(person, partnership, counts_form(period, {"first_contact": (1, 0, 0), "participant": (0, 0, 0),
                                                                  "co_developer": (0, 0, 0), "volunteer": (0, 0, 0)})).status_code == 303
    assert f"{partnership.programme.name}: " not in html.unescape(person.get("/todo").text)
    coordinator = html.unescape(client_for(COORDINATOR).get("/todo").text)
    assert "Pathway counts to check" in coordinator and partnership.partners[0].name in coordinator


def test_query_counts_do_not_grow_with_partners_and_periods(partnership, client_for, platform):
    wipe_reports(partnership.programme)
    coordinator = client_for(COORDINATOR)
    person = client_for(partnership.people[0])
    paths = {"figures (coordinator)": (coordinator, f"/programmes/{partnership.slug}/pathway/figures?year=2024"),
             "figures (partner)": (person, f"/programmes/{partnership.slug}/pathway/figures?year=2024"),
             "public": (coordinator, f"/programmes/{partnership.slug}/pathway?year=2024"),
             "programme page": (coordinator, f"/programmes/{partnership.slug}"),
             "report form": (person, report_path(partnership)),
             "to do (coordinator)": (coordinator, "/todo"), "to do (partner)": (person, "/todo")}

    def queries() -> dict[str, int]:
        found = {}
        for name, (client, path) in paths.items():
            client.get(path)
            with count_queries() as counter:
                assert client.get(path).status_code == 200, path
            found[name] = counter.count
        return found

    def report_and_check(organisation_id: int, period: str, flows):
        from core import authz
        from core.auth.web import actor_for
        from core.models.account import Account
        from plugins.pathways import rules
        with db.connection():
            admin = actor_for(platform, Account.get(Account.email == "admin@partnerskab.test"))
            report = rules.record(platform, programme=partnership.programme, organisation_id=organisation_id,
                                  period_key=period, raw_counts=counts_form(period, flows), actor=admin)
            rules.check(platform, report, admin)
            assert authz.can(admin, rules.CHECK, report)

    report_and_check(partnership.partners[0].id, "2024-H1", GOOD_H1)
    before = queries()
    extra, emails = [], []
    with db.connection():
        for n in range(4):
            organisation, email = make_partner(platform, partnership.programme, f"Pathway Ekstra {n} {partnership.slug}")
            extra.append(organisation)
            emails.append(email)
    try:
        for organisation in [*partnership.partners, *extra]:
            for period, flows in (("2024-H1", GOOD_H1), ("2024-H2", GOOD_H2), ("2025-H1", GOOD_H2)):
                if (organisation, period) != (partnership.partners[0], "2024-H1"):
                    report_and_check(organisation.id, period, flows)
        with db.connection():
            assert PathwayReport.select().where(PathwayReport.programme == partnership.programme.id).count() == 18
        after = queries()
        assert after == before, (before, after)
        assert max(before.values()) <= 25, before  # a handful per page, with every demo plugin's blocks on it
    finally:
        wipe_reports(partnership.programme)
        from tests.plugins.pathways.conftest import remove_partners
        remove_partners(partnership.programme, extra, emails)
