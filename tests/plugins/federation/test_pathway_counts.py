"""The pathway counts (plugins/pathways) in the national feeds: Slagelse's and Hillerød's live
instances publish their checked counts, suppressed; the national instance harvests them and
shows them on ``/national/pathways`` added up across municipalities, with what any instance hid
still hidden, to the national coordinator only; its query count does not grow with the items."""
from __future__ import annotations

import json
import re

from playhouse.test_utils import count_queries

from core import db
from plugins.federation.models import HarvestedItem, Peer
from plugins.federation.suppression import is_small
from tests.core.views._manage import ADMIN, KBH_ADMIN, NATIONAL, log_in, new_client

TYPES = {"slagelse": "slagelse-faellesskabsalliancen", "hillerod": "hillerod-tuff"}


def _harvest(platform):
    from plugins.federation.harvest import Options, harvest_all
    return harvest_all(platform, peer_names=list(TYPES), options=Options(read_timeout=5))


def test_the_counts_are_harvested_from_each_instance_suppressed(platform, registered_peers):
    reports = _harvest(platform)
    assert all(report.status == "ok" for report in reports), [report.line() for report in reports]
    with db.connection():
        for name, programme_type in TYPES.items():
            items = list(HarvestedItem.select().join(Peer).where(Peer.name == name, HarvestedItem.kind == "pathway_counts"))
            assert items, name
            assert {item.programme_type for item in items} == {programme_type}
            for item in items:
                data = json.loads(item.data)
                assert item.category == data["measure"] and item.year == data["year"]
                assert (item.value, item.suppressed) == (data["count"], data["suppressed"])
                assert not is_small(item.value) and not any(is_small(c["count"]) for c in data["periods"].values())


def year_shown() -> int:
    """The year the national view chooses when none is asked for: the newest harvested."""
    return max(item.year for item in HarvestedItem.select(HarvestedItem.year).where(HarvestedItem.kind == "pathway_counts"))


def test_the_national_view_adds_up_and_keeps_hidden_what_was_hidden(platform, registered_peers, live_server):
    _harvest(platform)
    for email, status in ((NATIONAL, 200), (ADMIN, 200), (KBH_ADMIN, 403)):
        client = log_in(new_client(live_server), email)
        try:
            assert client.get("/national/pathways").status_code == status, email
        finally:
            client.close()
    client = log_in(new_client(live_server), NATIONAL)
    try:
        assert 'href="/national/pathways"' in client.get("/national").text
        page = client.get("/national/pathways", params={"programme_type": "hillerod-tuff"}).text
        table = page.split('id="national-pathway-table"', 1)[1].split("</table>", 1)[0]
        assert "Hillerød Kommune" in table and "1. First contact: entered" in table
        numbers = [int(n) for n in re.findall(r'<td class="num"[^>]*>(\d+)</td>', table)]
        assert numbers and not any(is_small(n) for n in numbers)
        assert "hidden" in table and 'role="img"' in page
        # Hillerød's demo year: 12 + 8 + 5 entered in the first half-year, 10 + 6 (checked) in the second; other
        # tests may register further instances that publish Hillerød's programme too (the session's app harvesting
        # itself), so the page must show the sum of every harvested item for the row
        with db.connection():
            newest = year_shown()
            entered = [(item.peer.name, item.value) for item in HarvestedItem.select(HarvestedItem, Peer).join(Peer).where(
                HarvestedItem.kind == "pathway_counts", HarvestedItem.programme_type == "hillerod-tuff",
                HarvestedItem.category == "entered", HarvestedItem.municipality_name == "Hillerød Kommune")
                if json.loads(item.data)["step"]["key"] == "first_contact" and item.year == newest]
        assert ("hillerod", 41) in entered
        first = re.search(r'<th scope="row">1\. First contact: entered</th>(.*?)</tr>', table, re.S).group(1)
        total = str(sum(value for _peer, value in entered))
        assert re.findall(r'>(\d+)</td>', first) == [total, total]  # Hillerød, and all municipalities
        bad = client.get("/national/pathways", params={"programme_type": "nowhere", "year": "20x5"})
        assert bad.status_code == 400 and "Choose a programme type from the list" in bad.text
    finally:
        client.close()


def test_the_national_views_query_count_does_not_grow_with_the_items(platform, registered_peers, live_server):
    _harvest(platform)
    client = log_in(new_client(live_server), NATIONAL)

    def queries() -> int:
        client.get("/national/pathways")
        with count_queries() as counter:
            assert client.get("/national/pathways").status_code == 200
        return counter.count
    before = queries()
    with db.connection():
        peer = Peer.get(Peer.name == "hillerod")
        template = HarvestedItem.get(HarvestedItem.peer == peer.id, HarvestedItem.kind == "pathway_counts")
        for n in range(25):
            HarvestedItem.create(peer=peer.id, kind="pathway_counts", item_id=f"extra-{n}", modified=1,
                                 data=template.data, municipality_code="0219", municipality_name="Hillerød Kommune",
                                 programme_type=template.programme_type, category=template.category,
                                 year=template.year, value=template.value, suppressed=template.suppressed)
    try:
        assert queries() == before
    finally:
        with db.connection():
            HarvestedItem.delete().where(HarvestedItem.item_id.startswith("extra-")).execute()
        client.close()
