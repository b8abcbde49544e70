"""The national coordinator's dashboard and the administrators' federation pages, over HTTP:
who may see them, the filters, the tables and charts, the CSV and Excel downloads, the
national 360Giving package (valid against the standard), the sharing form (audited, scoped),
registering a peer with a key shown once, and that no page's query count grows with the data."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from core import db
from core.models.audit import AuditEntry
from plugins.federation.models import HarvestedItem, Peer, ShareSetting
from plugins.federation.suppression import is_small
from tests.core.auth.conftest import csrf_from
from tests.core.test_exports import validator  # noqa: F401 - the 360Giving schema, as a fixture
from tests.core.views._manage import ADMIN, KBH_ADMIN, KBH_CONSULTANT, NATIONAL, log_in, new_client


@pytest.fixture(scope="module")
def harvested(platform, registered_peers):
    from plugins.federation.harvest import Options, harvest_all
    with db.connection():
        empty = not HarvestedItem.select().join(Peer).where(Peer.name == "slagelse").exists()
    if empty:
        harvest_all(platform, peer_names=list(registered_peers), options=Options(read_timeout=5))
    return registered_peers


@pytest.fixture
def national_client(live_server):
    client = log_in(new_client(live_server), NATIONAL)
    yield client
    client.close()


def test_only_the_national_coordinator_and_the_administrator_see_the_dashboard(live_server, harvested):
    for email, expected in ((NATIONAL, 200), (ADMIN, 200), (KBH_ADMIN, 403), (KBH_CONSULTANT, 403)):
        client = log_in(new_client(live_server), email)
        assert client.get("/national/harvest").status_code == expected, email
        assert client.get("/national/money.csv").status_code == expected, email
        client.close()
    anonymous = new_client(live_server)
    assert anonymous.get("/national/harvest").status_code == 303  # to the login page
    anonymous.close()


def test_the_dashboard_shows_every_municipality_with_tables_charts_and_freshness(national_client, harvested):
    page = national_client.get("/national/harvest").text
    for municipality in ("Slagelse Kommune", "Hillerød Kommune", "Roskilde Kommune"):
        assert municipality in page
    assert page.count('role="img"') >= 3 and "<desc" in page  # charts with a text alternative
    freshness = page.split('id="freshness"', 1)[1].split("</table>", 1)[0]
    for name in ("slagelse", "hillerod", "roskilde"):
        assert f">{name}</th>" in freshness
    assert 'href="/national/harvest" ' not in page  # nav link present but no broken self-links
    counts = page.split('id="partner-counts"', 1)[1].split("</table>", 1)[0]
    numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', counts)]
    assert numbers and not any(is_small(n) for n in numbers), "a count from 1 to 4 reached the national page"


def test_filters_narrow_the_figures(national_client, harvested):
    everything = national_client.get("/national/harvest").text
    slagelse = national_client.get("/national/harvest", params={"municipality": "0330"}).text
    assert "Roskilde Kommune</th>" in everything and "Roskilde Kommune</th>" not in slagelse
    assert "Slagelse Kommune</th>" in slagelse
    year = national_client.get("/national/harvest", params={"year": "1990"}).text
    assert "No money harvested for this choice." in year
    bad = national_client.get("/national/harvest", params={"year": "last year", "municipality": "x"})
    assert bad.status_code == 400 and "Give a year such as 2025" in bad.text


def test_downloads_in_csv_and_excel(national_client, harvested):
    csv_text = national_client.get("/national/money.csv", params={"municipality": "0219"}).content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("Instance;Municipality;Programme") and len(lines) > 1  # Danish Excel: ';' 
    assert all("Hillerød Kommune" in line for line in lines[1:])
    response = national_client.get("/national/programmes.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "Instance" and sheet.max_row > 3
    counts = national_client.get("/national/partner-counts.csv").content.decode("utf-8-sig").splitlines()[1:]
    assert counts and not any(is_small(int(v)) for v in (line.rsplit(";", 1)[1] for line in counts) if v)
    assert national_client.get("/national/money.pdf").status_code == 404


def test_the_national_360giving_package_validates(national_client, harvested, validator):  # noqa: F811
    package = national_client.get("/national/360giving.json").json()
    errors = sorted(validator.iter_errors(package), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    assert len(package["grants"]) >= 3
    ids = [grant["id"] for grant in package["grants"]]
    assert len(ids) == len(set(ids))
    with db.connection():
        harvested_money = HarvestedItem.select().where(HarvestedItem.kind == "money").count()
    assert len(ids) == harvested_money, "every harvested grant and fee is in the package"


def test_sharing_is_scoped_audited_and_refuses_a_forged_scope(live_server, platform):
    client = log_in(new_client(live_server), KBH_ADMIN)
    page = client.get("/manage/federation").text
    scopes = re.findall(r'name="scope" value="([^"]+)"', page)
    assert len(scopes) == 1, "a municipality administrator manages their own municipality only"
    assert 'id="harvesters"' not in page
    token = csrf_from(page)
    with db.connection():
        copenhagen = ShareSetting.select().where(ShareSetting.scope == scopes[0])
        before = {(row.kind, row.shared) for row in copenhagen}
    response = client.post("/manage/federation", data={"scope": scopes, "share": [f"{scopes[0]}|programmes"],
                                                        "csrf_token": token})
    assert response.status_code == 303
    with db.connection():
        after = {row.kind: row.shared for row in ShareSetting.select().where(ShareSetting.scope == scopes[0])}
        assert after["programmes"] and not after["money"]
        assert AuditEntry.select().where(AuditEntry.action == "federation.unshare",
                                         AuditEntry.scope == scopes[0]).exists()
    forged = client.post("/manage/federation", data={"scope": ["instance"], "share": ["instance|organisations"],
                                                      "csrf_token": token})
    assert forged.status_code == 403
    empty = client.post("/manage/federation", data={"csrf_token": token})
    assert empty.status_code == 422 and "The form lists no municipality to save" in empty.text
    # put it back as it was
    client.post("/manage/federation", data={"scope": scopes, "share": [f"{scopes[0]}|{kind}" for kind, shared
                                                                       in before if shared], "csrf_token": token})
    client.close()


def test_an_administrator_lets_a_harvester_in_and_registers_a_peer(live_server):
    admin = log_in(new_client(live_server), ADMIN)
    page = admin.get("/manage/federation").text
    made = admin.post("/manage/federation/harvesters", data={"name": "Views test harvester",
                                                              "csrf_token": csrf_from(page)})
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    key = re.search(r'value="(pkf1\.[^"]+)"', made.text).group(1)
    again = admin.get("/manage/federation").text
    assert "Views test harvester" in again and key not in again, "a key is shown once"
    bad = admin.post("/manage/federation/peers", data={"name": "x", "base_url": "ftp://nowhere", "key": "secret",
                                                       "csrf_token": csrf_from(again)})
    assert bad.status_code == 422 and 'id="f-base_url-error"' in bad.text and 'id="f-key-error"' in bad.text
    assert 'value="secret"' not in bad.text, "a key typed into a refused form is not sent back"
    registered = admin.post("/manage/federation/peers", data={"name": "Views test peer", "base_url": live_server,
                                                              "key": key, "csrf_token": csrf_from(again)})
    assert registered.status_code == 303
    peer_page = admin.get(registered.headers["location"]).text
    assert "Views test peer" in peer_page and key.split(".")[3] not in peer_page
    # the instance harvests itself: the button runs a real harvest and shows the run
    harvested = admin.post(registered.headers["location"].split("?")[0] + "/harvest",
                           data={"csrf_token": csrf_from(peer_page)})
    assert harvested.status_code == 303
    runs = admin.get(harvested.headers["location"]).text.split('id="runs"', 1)[1]
    assert "<td>ok</td>" in runs
    peer_id = registered.headers["location"].split("/")[-1].split("?")[0]
    admin.post(f"/manage/federation/peers/{peer_id}/active", data={"active": "0", "csrf_token": csrf_from(peer_page)})
    admin.close()


def test_the_dashboard_query_count_does_not_grow_with_the_data(platform, harvested, live_server):
    from peewee import Database
    counted = []
    original = Database.execute_sql

    def counting(self, sql, params=None, *args, **kwargs):
        counted.append(sql)
        return original(self, sql, params, *args, **kwargs)

    monkey = pytest.MonkeyPatch()
    monkey.setattr(Database, "execute_sql", counting)
    try:
        with db.connection():
            from plugins.federation import national
            from plugins.federation.national import Filters
            counted.clear()
            national.programmes(Filters()), national.partners(Filters()), national.money(Filters())
            national.partner_counts(Filters()), national.freshness(), national.choices()
            few = len(counted)
            peer = Peer.get(Peer.name == "slagelse")
            for n in range(30):
                HarvestedItem.create(peer=peer.id, kind="money", item_id=f"extra-{n}", modified=1, data="{}",
                                     municipality_code="0330", municipality_name="Slagelse Kommune",
                                     category="grant", year=2024, value=100)
            counted.clear()
            national.programmes(Filters()), national.partners(Filters()), national.money(Filters())
            national.partner_counts(Filters()), national.freshness(), national.choices()
            assert len(counted) == few
            HarvestedItem.delete().where(HarvestedItem.item_id.startswith("extra-")).execute()
    finally:
        monkey.undo()


def test_a_peer_not_harvested_for_90_days_is_stale_and_its_data_stays(harvested):
    import datetime

    from plugins.federation import national
    from plugins.federation.harvest import is_stale
    from core import clock
    with db.connection():
        peer = Peer.get(Peer.name == "hillerod")
        kept = peer.last_success_at
        items = HarvestedItem.select().where(HarvestedItem.peer == peer.id).count()
        assert not is_stale(peer)
        assert is_stale(peer, clock.now() + datetime.timedelta(days=91))
        Peer.update(last_success_at=clock.now() - datetime.timedelta(days=91)).where(Peer.id == peer.id).execute()
        try:
            entry = next(e for e in national.freshness() if e["peer"].name == "hillerod")
            assert entry["stale"] and entry["total"] == items > 0
        finally:
            Peer.update(last_success_at=kept).where(Peer.id == peer.id).execute()
