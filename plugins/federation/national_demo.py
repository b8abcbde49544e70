"""``make run-national``: the national coordinator's instance beside the demo, on port 8001.

It runs ``config/national.toml`` as a demo (its own SQLite file and generated secret under
``instance/national``, no second factor, the demo accounts ``national@partnerskab.test`` and
``admin@partnerskab.test``), lets it in at the demo instance (a harvester key made in the demo's
database), registers the demo instance as a peer at http://127.0.0.1:8000 and harvests it
before serving — so the dashboard starts with the demo's data. When the demo server is not
running, a temporary one is started on a free port for that first harvest and stopped again;
later harvests (``Harvest now`` on the peer's page, or ``partnerskab harvest`` with the same
settings) read the running demo at port 8000.

Run only after ``make demo`` (the Makefile's ``run-national`` depends on it).
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time

import httpx

from core import db
from core import platform as platform_module
from core import settings as settings_module
from core.settings import ROOT

DEMO_URL = "http://127.0.0.1:8000"
PEER_NAME = "demo"


def national_settings(port: int):
    instance = ROOT / "instance" / "national"
    return settings_module.load(settings_module.CONFIG_DIR / "national.toml", environ={},
                                database_url=f"sqlite:///{instance / 'partnerskab.sqlite3'}", instance_dir=instance,
                                demo=True, base_url=f"http://127.0.0.1:{port}", require_two_factor_roles=(),
                                host="127.0.0.1", port=port, workers=1, log_level="warning")


def _answers(url: str) -> bool:
    try:
        return httpx.get(url + "/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_key() -> str:
    """A key for the harvester 'national' in the demo instance's database."""
    from plugins.federation import keys
    from plugins.federation.models import Harvester
    demo = platform_module.build(settings_module.load(settings_module.DEFAULT_CONFIG, environ={}))
    with db.connection():
        client = Harvester.get_or_none(Harvester.name == "national")
        if client is None:
            return keys.create_client(demo, "national", "make run-national")[1]
        return keys.new_client_key(demo, client, "make run-national")


def prepare(port: int) -> None:
    from core.demo import Demo
    from plugins.federation import keys
    from plugins.federation.harvest import harvest_all
    from plugins.federation.models import Peer
    settings = national_settings(port)
    national = platform_module.build(settings)
    with db.connection():
        db.migrate(national.migration_sources)
        with db.database.atomic():
            Demo(national).account("national@partnerskab.test", "Peter Skov", "national_coordinator")
            Demo(national).account("admin@partnerskab.test", "Platform Administrator", "platform_admin")
        registered = Peer.select().where(Peer.name == PEER_NAME).exists()
    if not registered:
        key = demo_key()
        national = platform_module.build(settings)  # bind the national database again
        with db.connection():
            keys.register_peer(PEER_NAME, DEMO_URL, key, "make run-national")
    temporary = None
    try:
        if not _answers(DEMO_URL):
            temporary_port = _free_port()
            temporary = subprocess.Popen([sys.executable, "-m", "core.cli", "serve", "--port", str(temporary_port)],
                                         cwd=ROOT, env={k: v for k, v in os.environ.items()
                                                        if not k.startswith("PARTNERSKAB_") and k != "DATABASE_URL"}
                                         | {"PARTNERSKAB_LOG_LEVEL": "warning"})
            url = f"http://127.0.0.1:{temporary_port}"
            for _ in range(100):
                if _answers(url):
                    break
                time.sleep(0.1)
            print(f"the demo is not running at {DEMO_URL}: harvesting a temporary copy of it at {url}")
            with db.connection():
                Peer.update(base_url=url).where(Peer.name == PEER_NAME).execute()
        try:
            harvest_all(national, peer_names=[PEER_NAME], progress=print)
        finally:
            with db.connection():
                Peer.update(base_url=DEMO_URL).where(Peer.name == PEER_NAME).execute()
    finally:
        if temporary is not None:
            temporary.terminate()
            temporary.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    prepare(args.port)
    import uvicorn

    from core.app import create_app
    print(f"the national instance: http://127.0.0.1:{args.port}/national (national@partnerskab.test, "
          "password demo-partnerskab-2025)")
    uvicorn.run(create_app(national_settings(args.port)), host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
