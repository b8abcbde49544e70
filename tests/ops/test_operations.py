"""What an operator relies on: backup and restore of a live database, /metrics for Prometheus
behind a token or a trusted address, /healthz naming the failing part, and JSON logs whose lines
carry the request id the error page shows."""
from __future__ import annotations

import json

import httpx
import pytest

from core import metrics
from tests.ops.conftest import ServerProcess, cli

EMAIL, PASSWORD = "kbh-admin@partnerskab.test", "demo-partnerskab-2025"


def _csrf(text: str) -> str:
    return text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _create_organisation(client: httpx.Client, name: str) -> None:
    form = client.get("/manage/organisations/new")
    assert form.status_code == 200, form.status_code
    response = client.post("/manage/organisations/new", data={
        "csrf_token": _csrf(form.text), "name": name, "kind": "association", "municipality": "0101",
        "city": "København"})
    assert response.status_code in (302, 303), response.text[-2000:]


def _names(client: httpx.Client, q: str) -> str:
    return client.get("/organisations", params={"q": q}).text


def test_backup_and_restore_round_trip_on_a_live_server(migrated, tmp_path):
    url, instance = migrated
    server = ServerProcess(url, instance).start()
    try:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            login = client.get("/login")
            assert client.post("/login", data={"email": EMAIL, "password": PASSWORD,
                                               "csrf_token": _csrf(login.text)}).status_code in (302, 303)
            _create_organisation(client, "Backupforeningen Før")
            backup_file = tmp_path / "backups" / "before.backup"
            made = cli(url, instance, "backup", str(backup_file))  # while the server runs
            assert made.returncode == 0, made.stderr
            assert backup_file.stat().st_size > 0 and "backed up" in made.stdout
            _create_organisation(client, "Backupforeningen Efter")
            assert "Backupforeningen Efter" in _names(client, "backupforeningen")

            refused = cli(url, instance, "restore", str(backup_file))
            assert refused.returncode == 2 and "--yes" in refused.stderr
            restored = cli(url, instance, "restore", str(backup_file), "--yes")
            assert restored.returncode == 0, restored.stderr
            # the running server serves the restored data: the row made after the backup is gone
            text = _names(client, "backupforeningen")
            assert "Backupforeningen Før" in text and "Backupforeningen Efter" not in text
            assert client.get("/healthz").json()["status"] == "ok"
            missing = cli(url, instance, "restore", str(tmp_path / "nope.backup"), "--yes")
            assert missing.returncode == 1 and "no backup file" in missing.stderr
    finally:
        server.stop()


def test_metrics_count_requests_by_route_for_trusted_addresses(http, app, platform):
    metrics.reset()
    for _ in range(3):
        http.get("/organisations", params={"q": "basket"})
    http.get("/organisations/no-such-organisation")
    text = http.get("/metrics").text  # the test client is on 127.0.0.1, a trusted address
    assert 'route="/organisations",status="200"} 3' in text
    assert 'route="/organisations/{slug:str}",status="404"} 1' in text
    assert 'partnerskab_http_request_duration_seconds_bucket{' in text and 'le="+Inf"} 3' in text
    assert 'partnerskab_db_pool_connections{' in text and 'state="max"}' in text
    assert "# TYPE partnerskab_job_runs_total counter" in text
    for line in text.splitlines():  # every sample line is "name{labels} value"
        if line and not line.startswith("#"):
            float(line.rsplit(" ", 1)[1])


def test_metrics_refuse_others_without_the_token(http, platform):
    original = platform.settings
    try:
        platform.settings = original.replace(metrics_addresses=(), metrics_token="s3cret-token-for-prometheus")
        assert http.get("/metrics").status_code == 403
        assert http.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
        good = http.get("/metrics", headers={"Authorization": "Bearer s3cret-token-for-prometheus"})
        assert good.status_code == 200 and good.headers["content-type"].startswith("text/plain; version=0.0.4")
        platform.settings = original.replace(metrics_addresses=(), metrics_token="")
        assert http.get("/metrics", headers={"Authorization": "Bearer x"}).status_code == 403
    finally:
        platform.settings = original


def test_healthz_names_the_failing_part(http, platform, tmp_path):
    healthy = http.get("/healthz").json()
    assert healthy["failing"] == [] and set(healthy["checks"]) == {"database", "migrations", "pool", "instance_dir"}
    original = platform.settings
    try:
        not_a_folder = tmp_path / "instance-file"
        not_a_folder.write_text("a file where the instance folder should be")
        platform.settings = original.replace(instance_dir=not_a_folder)
        sick = http.get("/healthz")
        assert sick.status_code == 503
        body = sick.json()
        assert body["failing"] == ["instance_dir"] and body["status"] == "degraded"
        assert body["checks"]["database"]["ok"] is True
    finally:
        platform.settings = original


def test_json_logs_carry_the_request_id(migrated):
    url, instance = migrated
    server = ServerProcess(url, instance, PARTNERSKAB_LOG_FORMAT="json", PARTNERSKAB_LOG_LEVEL="info").start()
    try:
        response = httpx.get(server.base + "/organisations", params={"q": "basket"}, timeout=30)
        request_id = response.headers["x-request-id"]
        missing = httpx.get(server.base + "/organisations/nobody-here", timeout=30)
    finally:
        server.stop()
    entries = [json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")]
    mine = [entry for entry in entries if entry.get("request_id") == request_id]
    assert mine and mine[0]["logger"] == "partnerskab.access"
    assert mine[0]["status"] == 200 and mine[0]["route"] == "/organisations" and mine[0]["duration_ms"] >= 0
    assert any(entry.get("request_id") == missing.headers["x-request-id"] and entry.get("status") == 404
               for entry in entries)
    assert all({"time", "level", "logger", "message"} <= set(entry) for entry in entries)
