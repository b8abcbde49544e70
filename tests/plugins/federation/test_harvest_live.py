"""Harvesting live instances: three peers in their own processes (two SQLite, one PostgreSQL
when available) and the national instance (the test session's app), over real HTTP.

Shown here: a full harvest then an incremental one; running it twice changes nothing; a
deletion and an un-sharing arrive as deletions; editing a child (a budget) republishes its
parent; edits interleaved with a harvest lose nothing and duplicate nothing; a peer that is
down, one that hangs and one that answers garbage each get a report while the others
complete; a new epoch resyncs and sweeps what vanished; the report reaches the peer; counts
from 1 to 4 never reach the national side; ``partnerskab harvest`` prints a line per peer."""
from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import threading

import pytest

from core import db
from core.settings import DEFAULT_CONFIG, ROOT
from plugins.federation import keys, national, signing
from plugins.federation.harvest import Connection, Options, harvest_all
from plugins.federation.kinds import kinds_for
from plugins.federation.models import HarvestCursor, HarvestedItem, HarvestRun, Peer
from plugins.federation.national import Filters
from plugins.federation.suppression import is_small
from tests.core.views._manage import ADMIN, log_in, new_client
from tests.core.auth.conftest import csrf_from

FAST = Options(connect_timeout=2.0, read_timeout=2.0, peer_deadline=60.0, run_deadline=120.0)
LIVE = ("hillerod", "roskilde", "slagelse")


def harvest(platform, *names, options=FAST, **kwargs):
    reports = harvest_all(platform, peer_names=list(names) or None, options=options, **kwargs)
    return {report.peer: report for report in reports}


def national_state(name: str) -> dict[str, dict[str, dict]]:
    with db.connection():
        peer = Peer.get(Peer.name == name)
        state: dict[str, dict[str, dict]] = {}
        for item in HarvestedItem.select().where(HarvestedItem.peer == peer.id):
            state.setdefault(item.kind, {})[item.item_id] = json.loads(item.data)
    return state


def table_snapshot() -> list:
    with db.connection():
        return sorted((i.peer_id, i.kind, i.item_id, i.modified, i.data, i.changed_at.isoformat())
                      for i in HarvestedItem.select())


def oracle(platform, live) -> dict[str, dict[str, dict]]:
    """The peer's current state, read from change number 0 with a connection of our own."""
    instance_id, kid, secret = signing.parse_key(live.key)
    peer = Peer(name=live.name, base_url=live.base_url, instance_id=instance_id)
    import time
    connection = Connection(peer, [(kid, secret)], FAST, time.monotonic() + 60, time.time, time.sleep)
    state: dict[str, dict[str, dict]] = {}
    try:
        # the kinds this peer offers: a kind of a plugin the national instance has and the peer
        # does not enable (surveys, yearly counts ...) is not the peer's to answer
        offered = {entry.get("key") for entry in connection.request("GET", "/federation/v1/")["kinds"]}
        for key in (key for key in kinds_for(platform) if key in offered):
            after, items = 0, {}
            while True:
                page = connection.request("GET", f"/federation/v1/feeds/{key}?afterChangeNumber={after}&limit=50")
                if not page["items"]:
                    break
                for item in page["items"]:
                    if item["state"] == "updated":
                        items[item["id"]] = item["data"]
                    else:
                        items.pop(item["id"], None)
                after = page["items"][-1]["modified"]
            state[key] = items
    finally:
        connection.close()
    return {key: value for key, value in state.items() if value}


def logged_in(live):
    return log_in(new_client(live.base_url), ADMIN)


@contextlib.contextmanager
def admin_of(live):
    client = logged_in(live)
    try:
        yield client
    finally:
        client.close()


def post(client, path: str, data: dict, token_from: str = "/manage/federation"):
    token = csrf_from(client.get(token_from).text)
    return client.post(path, data={**data, "csrf_token": token})


def set_budget(client, programme: str, year: int, kroner: int):
    response = post(client, f"/manage/programmes/{programme}/budget", {"year": str(year), "amount": str(kroner)},
                    token_from=f"/manage/programmes/{programme}/budget")
    assert response.status_code == 303, response.text[:2000]


def remove_first_member(client, programme: str) -> str:
    page = client.get(f"/manage/programmes/{programme}/network").text
    membership_id = re.search(rf'/manage/programmes/{programme}/network/(\d+)/remove', page).group(1)
    response = post(client, f"/manage/programmes/{programme}/network/{membership_id}/remove", {},
                    token_from=f"/manage/programmes/{programme}/network")
    assert response.status_code == 303
    return membership_id


def add_a_member(client, programme: str) -> bool:
    page = client.get(f"/manage/programmes/{programme}/network").text
    options = re.findall(r'<option value="(\d+)"', page.split('id="f-organisation"', 1)[1].split("</select>", 1)[0])
    if not options:
        return False
    response = post(client, f"/manage/programmes/{programme}/network",
                    {"organisation": options[0], "role": "partner", "joined_on": ""},
                    token_from=f"/manage/programmes/{programme}/network")
    assert response.status_code == 303, response.text[:2000]
    return True


SLAGELSE_PROGRAMME = "slagelse-faellesskabsalliancen"
HILLEROD_PROGRAMME = "hillerod-tuff"


# --- the tests, in order (each builds on what the one before harvested) ---------------------------

def test_a_full_harvest_then_an_incremental_one(platform, registered_peers):
    first = harvest(platform, *LIVE)
    for name in LIVE:
        assert first[name].status == "ok", first[name].line()
        assert first[name].updated > 0 and first[name].pages > 0
        assert national_state(name) == oracle(platform, registered_peers[name]), name
    kinds = national_state("slagelse")
    assert {"programmes", "organisations", "memberships", "money", "partner_counts"} <= set(kinds)
    # nothing about a person: no email or phone of an organisation, no free-text notes on money
    for data in kinds["organisations"].values():
        assert "email" not in data and "phone" not in data
    for data in kinds["money"].values():
        assert "note" not in data and "purpose" not in data

    with db.connection():
        cursors = {c.kind: c.after for c in HarvestCursor.select().join(Peer).where(Peer.name == "slagelse")}
    assert all(after > 0 for after in cursors.values())
    before = table_snapshot()
    second = harvest(platform, *LIVE)
    for name in LIVE:
        assert (second[name].status, second[name].updated, second[name].deleted, second[name].pages) == ("ok", 0, 0, 0)
    assert table_snapshot() == before, "running the harvest twice changed the harvested data"


def test_the_report_reaches_the_peer(platform, registered_peers):
    with db.connection():
        newest = HarvestRun.select().join(Peer).where(Peer.name == "hillerod").order_by(HarvestRun.id.desc()).first()
    assert newest.delivered and newest.status == "ok"
    with admin_of(registered_peers["hillerod"]) as client:
        page = client.get("/manage/federation").text
    reports = page.split('id="reports"', 1)[1]
    assert "national" in reports and "<td>ok</td>" in reports


def test_a_deletion_and_an_unsharing_arrive_as_deletions(platform, registered_peers):
    with admin_of(registered_peers["slagelse"]) as client:
        removed = remove_first_member(client, SLAGELSE_PROGRAMME)
        assert removed in national_state("slagelse")["memberships"]
        # stop sharing money for Slagelse Kommune: keep everything else ticked
        page = client.get("/manage/federation").text
        scopes = re.findall(r'name="scope" value="([^"]+)"', page)
        ticked = [value for value in re.findall(r'name="share" value="([^"]+)" checked', page) if not value.endswith("|money")]
        assert scopes and ticked
        response = client.post("/manage/federation", data={"scope": scopes, "share": ticked, "csrf_token": csrf_from(page)})
        assert response.status_code == 303
        report = harvest(platform, "slagelse")["slagelse"]
        assert report.status == "ok" and report.deleted > 0
        state = national_state("slagelse")
        assert removed not in state["memberships"]
        assert "money" not in state, "un-shared money must be deleted on the national side"
        assert state == oracle(platform, registered_peers["slagelse"])
        # sharing it again brings it back
        page = client.get("/manage/federation").text
        ticked = re.findall(r'name="share" value="([^"]+)"', page)
        client.post("/manage/federation", data={"scope": scopes, "share": ticked, "csrf_token": csrf_from(page)})
        harvest(platform, "slagelse")
        assert national_state("slagelse")["money"]


def test_editing_a_child_republishes_its_parent(platform, registered_peers):
    with admin_of(registered_peers["slagelse"]) as client:
        set_budget(client, SLAGELSE_PROGRAMME, 2027, 123_456)
    report = harvest(platform, "slagelse")["slagelse"]
    assert report.kinds["programmes"]["updated"] == 1
    programme = next(p for p in national_state("slagelse")["programmes"].values() if p["slug"] == SLAGELSE_PROGRAMME)
    assert {"year": 2027, "amount_ore": 12_345_600} in programme["budgets"]


def test_edits_interleaved_with_a_harvest_lose_nothing_and_duplicate_nothing(platform, registered_peers):
    live = registered_peers["hillerod"]
    client, other = logged_in(live), logged_in(live)
    # a new epoch would resync; instead read again from 0 in small pages while editing between pages
    with db.connection():
        HarvestCursor.update(after=0).where(HarvestCursor.peer == Peer.get(Peer.name == "hillerod").id).execute()
    edits = {"n": 0}

    def between_pages(peer, kind, items):
        if edits["n"] < 6:
            edits["n"] += 1
            set_budget(client, HILLEROD_PROGRAMME, 2030 + edits["n"], 1000 + edits["n"])
            if edits["n"] % 2:
                add_a_member(client, HILLEROD_PROGRAMME)
            else:
                remove_first_member(client, HILLEROD_PROGRAMME)

    stop = threading.Event()
    failures = []

    def concurrent_writer():
        year = 2040
        while not stop.is_set() and year < 2052:
            try:
                set_budget(other, HILLEROD_PROGRAMME, year, 500 + year)
            except Exception as exc:  # noqa: BLE001 - reported below
                failures.append(repr(exc))
                return
            year += 1

    writer = threading.Thread(target=concurrent_writer)
    writer.start()
    try:
        report = harvest(platform, "hillerod", options=Options(connect_timeout=2, read_timeout=5, page_limit=3,
                                                                peer_deadline=60, run_deadline=120),
                         on_page=between_pages)["hillerod"]
    finally:
        stop.set()
        writer.join(timeout=30)
        client.close()
        other.close()
    assert not failures, failures
    assert report.status == "ok" and report.pages > 6 and edits["n"] == 6
    harvest(platform, "hillerod")  # picks up what changed after the run passed it
    state = national_state("hillerod")
    assert state == oracle(platform, live)
    programme = next(p for p in state["programmes"].values() if p["slug"] == HILLEROD_PROGRAMME)
    assert {b["year"] for b in programme["budgets"]} >= {2031, 2036, 2040}
    with db.connection():  # one row per item, whatever happened during the run
        rows = list(HarvestedItem.select(HarvestedItem.kind, HarvestedItem.item_id)
                    .join(Peer).where(Peer.name == "hillerod").tuples())
    assert len(rows) == len(set(rows))


def test_bad_peers_each_get_a_report_while_the_others_complete(platform, registered_peers, garbage_server,
                                                               hanging_server):
    from tests.plugins.federation.conftest import free_port
    fake_key = signing.format_key("0" * 32, "abcdef01", "s" * 43)
    with db.connection():
        for name, url in (("down", f"http://127.0.0.1:{free_port()}"), ("hangs", hanging_server),
                          ("garbage", garbage_server.base_url)):
            if not Peer.select().where(Peer.name == name).exists():
                keys.register_peer(name, url, fake_key, "test")
    try:
        reports = harvest(platform)
        assert reports["down"].status == "failed" and reports["down"].message.startswith("down:")
        assert reports["hangs"].status == "failed" and reports["hangs"].message.startswith("timeout:")
        assert reports["garbage"].status == "failed" and reports["garbage"].message.startswith("bad-signature:")
        for name in LIVE:
            assert reports[name].status == "ok", reports[name].line()
        with db.connection():
            for name in ("down", "hangs", "garbage"):
                run = HarvestRun.select().join(Peer).where(Peer.name == name).order_by(HarvestRun.id.desc()).first()
                assert run.status == "failed" and run.message
                assert Peer.get(Peer.name == name).last_success_at is None
        # the dashboard shows each peer's freshness, the bad ones never harvested
        with db.connection():
            fresh = {entry["peer"].name: entry for entry in national.freshness()}
        assert fresh["down"]["stale"] and not fresh["slagelse"]["stale"]
    finally:
        with db.connection():
            for name in ("down", "hangs", "garbage"):
                keys.set_peer_active(Peer.get(Peer.name == name), False, "test")


def test_a_new_epoch_resyncs_and_sweeps_what_vanished(platform, registered_peers):
    live = registered_peers["roskilde"]
    with db.connection():
        peer = Peer.get(Peer.name == "roskilde")
        generation = peer.generation
        HarvestedItem.create(peer=peer.id, kind="programmes", item_id="999999", modified=1, generation=generation,
                             data="{}", municipality_code="0265")
    with admin_of(live) as client:
        response = post(client, "/manage/federation/epoch", {})
    assert response.status_code == 303
    before = national_state("roskilde")
    report = harvest(platform, "roskilde")["roskilde"]
    assert report.status == "ok" and report.updated == 0, "the same data again changes nothing"
    with db.connection():
        assert Peer.get(Peer.name == "roskilde").generation == generation + 1
        assert not HarvestedItem.select().where(HarvestedItem.item_id == "999999").exists()
    after = national_state("roskilde")
    before["programmes"].pop("999999")
    assert after == before == oracle(platform, live)


def test_counts_below_five_never_appear_on_the_national_side(platform, registered_peers):
    with db.connection():
        values = [v for (v,) in HarvestedItem.select(HarvestedItem.value)
                  .where(HarvestedItem.kind == "partner_counts").tuples()]
        table = national.partner_counts(Filters())
    assert values and not any(is_small(v) for v in values)
    assert table.rows and not any(is_small(v) for v in table.published_values())
    # Slagelse's network is small: its count is suppressed at the source, not just hidden here
    suppressed = [data for data in national_state("slagelse")["partner_counts"].values() if data["suppressed"]]
    assert all(data["count"] is None for data in suppressed)


def test_the_command_line_harvest_prints_a_line_per_peer(settings, registered_peers, tmp_path):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    env.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=settings.database_url,
               PARTNERSKAB_INSTANCE_DIR=str(settings.instance_dir), PARTNERSKAB_PLUGINS=",".join(settings.plugins))
    result = subprocess.run([sys.executable, "-m", "core.cli", "harvest", "--read-timeout", "5"], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for name in LIVE:
        assert any(line.startswith(f"{name}: ok — 0 updated, 0 deleted") for line in lines), lines
    assert not any(line.startswith(("down:", "hangs:")) for line in lines), "inactive peers are not harvested"
