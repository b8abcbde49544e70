"""Knowledge across instances, live: a Slagelse instance and a Hillerød instance, each in its own
process with its own SQLite database and the knowledge and federation plugins, and the national
coordinator's instance (the test session's app).

- Over HTTP: the national instance harvests both; only what is shared nationally arrives (not the
  network's or the municipality's learnings, never a comment); its search folds Danish letters
  ('hillerod' finds Hillerød); a learning made private on its instance arrives as a deletion and
  leaves the national search; harvesting again changes nothing; the overview counts by focus area.
- In Chromium, by clicking and typing only: Slagelse's coordinator writes a learning and shares it
  nationally; the national instance harvests; the national coordinator searches for it and finds
  it next to the same method from Hillerød's library.

The peers are registered for each test and removed after it, with everything harvested from
them, so the federation's own tests find the national instance as they expect it; what the
federation tests' own peers left harvested (they stay for the session) may sit beside it.
"""
from __future__ import annotations

import re
import select
import subprocess
import sys
import time
import uuid

import httpx
import pytest

from core import db
from core.demo import DEMO_PASSWORD
from core.settings import ROOT
from plugins.federation import keys
from plugins.federation.harvest import Options, harvest_all
from plugins.federation.models import HarvestCursor, HarvestedItem, HarvestRun, Peer, PeerKey
from plugins.knowledge import national
from plugins.knowledge.models import HarvestedKnowledge
from tests.core.auth.conftest import csrf_from
from tests.core.views._manage import log_in, new_client
from tests.plugins.federation.conftest import _environment, _wait_for, free_port

pytestmark = pytest.mark.browser

FAST = Options(connect_timeout=2.0, read_timeout=5.0, peer_deadline=60.0, run_deadline=120.0)
INSTANCES = {"knowledge-slagelse": "slagelse,knowledge", "knowledge-hillerod": "hillerod,knowledge"}
SLAGELSE_COORDINATOR = "slagelse-frivilligcenter@partnerskab.test"
NATIONAL = "national@partnerskab.test"
HILLEROD_METHOD = "TUFF-brobygning: fra første samtale til fast plads i et fællesskab"


@pytest.fixture(scope="module")
def instances(tmp_path_factory, app):
    """The two instances' processes: name -> (base URL, the key they gave the harvester 'national')."""
    tmp = tmp_path_factory.mktemp("knowledge-peers")
    started = []
    for name, plugins in INSTANCES.items():
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "tests.plugins.federation.peer_process", str(port)],
                                   cwd=ROOT, env=_environment(tmp, name, plugins, f"sqlite:///{tmp / name}.sqlite3"),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append((name, port, process))
    found = {}
    deadline = time.monotonic() + 120
    try:
        for name, port, process in started:
            line = ""
            while not line.startswith("READY ") and time.monotonic() < deadline:
                ready, _w, _x = select.select([process.stdout], [], [], 1)
                if ready:
                    line = process.stdout.readline()
                    if not line:
                        break
            assert line.startswith("READY "), f"{name} did not start: {process.stderr.read()[-3000:]}"
            base_url = f"http://127.0.0.1:{port}"
            _wait_for(base_url)
            found[name] = (base_url, line.split()[1])
        yield found
    finally:
        for _name, _port, process in started:
            process.terminate()
        for _name, _port, process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            for stream in (process.stdout, process.stderr):
                stream.close()


@pytest.fixture
def registered(instances, platform):
    """The instances registered as peers of the national instance, for one test."""
    with db.connection():
        for name, (base_url, key) in instances.items():
            keys.register_peer(name, base_url, key, "test")
    yield instances
    with db.connection(), db.database.atomic():
        peers = [peer.id for peer in Peer.select().where(Peer.name.in_(list(INSTANCES)))]
        items = HarvestedItem.select(HarvestedItem.id).where(HarvestedItem.peer.in_(peers))
        HarvestedKnowledge.delete().where(HarvestedKnowledge.item.in_(items)).execute()
        HarvestedItem.delete().where(HarvestedItem.peer.in_(peers)).execute()
        for model in (HarvestCursor, HarvestRun, PeerKey):
            model.delete().where(model.peer.in_(peers)).execute()
        Peer.delete().where(Peer.id.in_(peers)).execute()


def harvest(platform) -> dict:
    reports = harvest_all(platform, peer_names=list(INSTANCES), options=FAST)
    with db.connection():
        national.sync(platform)
    return {report.peer: report for report in reports}


def indexed(kind: str | None = None) -> dict[str, HarvestedKnowledge]:
    with db.connection():
        query = HarvestedKnowledge.select().where(HarvestedKnowledge.peer.in_(list(INSTANCES)))
        if kind:
            query = query.where(HarvestedKnowledge.kind == kind)
        return {row.title: row for row in query}


def peer_client(base_url: str, email: str) -> httpx.Client:
    return log_in(new_client(base_url), email)


def browser_log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("E-mailadresse").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    assert page.url == base_url + "/me", f"{email} did not get in: {page.url}"


def test_the_national_instance_harvests_what_is_shared_and_searches_it(registered, platform, live_server):
    reports = harvest(platform)
    assert {report.status for report in reports.values()} == {"ok"}, {p: r.message for p, r in reports.items()}
    learnings = indexed("learnings")
    assert {"De unge planlægger selv åbent hus", "Systematisk social brobygning i TUFF",
            "Lokale fællesskaber som træningsbane"} <= set(learnings)
    # the network's and the municipality's learnings stay home; comments never travel
    assert "Hjælpetrænere blandt de unge" not in learnings
    assert "Sign on fee åbner døren – kontakten holder foreningen" not in learnings
    assert "kommunens opfølgning" not in " ".join(row.body for row in learnings.values())
    methods = indexed("methods")
    assert methods[HILLEROD_METHOD].municipality_name == "Hillerød Kommune"

    coordinator = log_in(new_client(live_server), NATIONAL)
    for query in ("hillerod", "Hillerød", "hilleroed"):
        page = coordinator.get("/national/learnings", params={"q": query})
        assert page.status_code == 200 and "Systematisk social brobygning i TUFF" in page.text, query
    overview = coordinator.get("/national")
    block = overview.text[overview.text.index('id="knowledge-national-block"'):]
    assert 'id="knowledge-focus-table"' in block and "knowledge-focus-chart" in block

    # harvesting again changes nothing
    again = harvest(platform)
    assert all(report.updated == 0 and report.deleted == 0 for report in again.values()), again

    # made private on its own instance: a deletion on the national side, gone from the search
    # (the same demo learning may also have come from another Slagelse instance the session
    # harvested, the federation tests' peer: only this instance's copy must go)
    shown_before = coordinator.get("/national/learnings", params={"q": "planlægger"}).text.count(
        "De unge planlægger selv åbent hus")
    assert shown_before >= 1
    base_url, _key = registered["knowledge-slagelse"]
    slagelse = peer_client(base_url, SLAGELSE_COORDINATOR)
    listing = slagelse.get("/learnings", params={"q": "planlægger åbent hus"})
    learning_id = re.search(r'<h2><a href="/learnings/(\d+)">', listing.text).group(1)
    form = slagelse.get(f"/learnings/{learning_id}/edit")
    values = dict(re.findall(r'<input id="f-(title)" name="title" type="text" value="([^"]*)"', form.text))
    programme = re.search(r'<option value="(\d+)" selected>Fællesskabsalliancen', form.text).group(1)
    response = slagelse.post(f"/learnings/{learning_id}/edit", data={
        "title": values["title"], "summary": "Nu kun for kommunen.", "visibility": "municipality",
        "programme": programme, "csrf_token": csrf_from(form.text)})
    assert response.status_code == 303
    reports = harvest(platform)
    assert reports["knowledge-slagelse"].deleted >= 1
    assert "De unge planlægger selv åbent hus" not in indexed("learnings")
    shown_after = coordinator.get("/national/learnings", params={"q": "planlægger"}).text.count(
        "De unge planlægger selv åbent hus")
    assert shown_after < shown_before
    slagelse.close()
    coordinator.close()


def test_journey_a_learning_shared_nationally_is_found_next_to_the_same_method(page, registered, platform,
                                                                                live_server):
    base_url, _key = registered["knowledge-slagelse"]
    marker = uuid.uuid4().hex[:6]
    title = f"Brobygning med ungeguider {marker}"

    # Slagelse's coordinator writes the learning on Slagelse's instance, in Danish
    browser_log_in(page, base_url, SLAGELSE_COORDINATOR)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Erfaringer").click()
    page.get_by_role("link", name="Skriv en erfaring").click()
    page.get_by_label("Titel").fill(title)
    page.get_by_label("Hvad I lærte, i en sætning eller to").fill(
        "To unge guider fulgte nye unge til deres første træning, og de fleste kom igen.")
    page.get_by_label("Hele historien").fill("Guiderne mødte de unge på produktionsskolen og gik med **første gang**.")
    page.get_by_role("radio", name=re.compile("^Nationalt")).check()
    page.get_by_label("Partnerskab", exact=True).select_option(label="Fællesskabsalliancen")
    page.get_by_label("Indsatsområde", exact=True).select_option(label="Brobygning til fællesskaber og foreninger")
    page.get_by_label("Målgruppe", exact=True).select_option(label="Unge på 16–24 år")
    page.get_by_label("Metode", exact=True).select_option(label="Social brobygning: en, der matcher og følger de unge")
    page.get_by_role("button", name="Gem erfaringen").click()
    page.wait_for_url(re.compile(r"/learnings/\d+\?saved=created"))
    assert page.locator("h1").inner_text() == title
    assert page.get_by_role("status").inner_text() == "Erfaringen blev gemt."
    assert page.locator("#learning-body strong").inner_text() == "første gang"

    # the national instance harvests Slagelse's and Hillerød's instances
    reports = harvest(platform)
    assert {report.status for report in reports.values()} == {"ok"}

    # the national coordinator searches and finds it beside Hillerød's method of the same kind
    browser_log_in(page, live_server, NATIONAL)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Nationalt overblik").click()
    page.get_by_label("Søg i de høstede erfaringer og metoder").fill(f"brobygning ungeguider {marker}")
    page.get_by_label("Søg i de høstede erfaringer og metoder").press("Enter")
    page.wait_for_url(re.compile(r"/national/learnings\?q="))
    result = page.locator("#national-results > li", has_text=title)
    assert result.count() == 1
    assert "Slagelse Kommune" in result.inner_text()
    # Hillerød's method beside it; the same method may also have come from another harvested
    # instance (the federation tests' peers, when they ran first), each listed with its municipality
    beside = result.locator(".same-method li", has_text=HILLEROD_METHOD)
    assert beside.count() >= 1 and all("Hillerød Kommune" in text for text in beside.all_inner_texts())
    beside.first.get_by_role("link").click()
    assert page.locator("h1").inner_text() == HILLEROD_METHOD
    assert page.get_by_role("heading", name="Trinene").count() == 1
