"""Live instances for the federation tests: three peers in their own processes (two on SQLite,
one on PostgreSQL when ``TEST_PEER_DATABASE_URL`` names a database of its own), each with its
own settings, database and secret key, its municipality's plugin and the capabilities whose feeds
the national instance harvests (federation, pathways); the national instance is the test session's app. Plus
three bad peers on loopback: one that is down, one that hangs, one that answers garbage."""
from __future__ import annotations

import dataclasses
import os
import select
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core import db
from core.settings import DEFAULT_CONFIG, ROOT
from plugins.federation import keys
from plugins.federation.models import Peer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass
class LivePeer:
    name: str
    base_url: str
    key: str
    database_url: str
    process: subprocess.Popen


PEERS = (("slagelse", "slagelse"), ("hillerod", "hillerod"), ("roskilde", "roskilde"))


def _environment(tmp, name: str, plugin: str, database_url: str) -> dict:
    base = {key: value for key, value in os.environ.items()
            if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    base.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=database_url, SECRET_KEY=f"peer-{name}-" + "x" * 40,
                PARTNERSKAB_PLUGINS=f"{plugin},federation,pathways", PARTNERSKAB_INSTANCE_DIR=str(tmp / name),
                PARTNERSKAB_SITE_NAME=f"Partnerskab {name}", PARTNERSKAB_LOG_LEVEL="warning")
    return base


@pytest.fixture(scope="session")
def live_peers(tmp_path_factory, app):
    tmp = tmp_path_factory.mktemp("peers")
    postgres = os.environ.get("TEST_PEER_DATABASE_URL", "")
    started = []
    for name, plugin in PEERS:
        database_url = (postgres if name == "roskilde" and postgres else f"sqlite:///{tmp / name}.sqlite3")
        port = free_port()
        process = subprocess.Popen([sys.executable, "-m", "tests.plugins.federation.peer_process", str(port)],
                                   cwd=ROOT, env=_environment(tmp, name, plugin, database_url),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started.append((name, port, database_url, process))
    peers = {}
    deadline = time.monotonic() + 120
    try:
        for name, port, database_url, process in started:
            line = ""
            while not line.startswith("READY ") and time.monotonic() < deadline:
                ready, _w, _x = select.select([process.stdout], [], [], 1)
                if ready:
                    line = process.stdout.readline()
                    if not line:
                        break
            assert line.startswith("READY "), f"peer {name} did not start: {process.stderr.read()[-3000:]}"
            base_url = f"http://127.0.0.1:{port}"
            _wait_for(base_url)
            peers[name] = LivePeer(name, base_url, line.split()[1], database_url, process)
        yield peers
    finally:
        for _name, _port, _url, process in started:
            process.terminate()
        for _name, _port, _url, process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            for stream in (process.stdout, process.stderr):
                stream.close()


def _wait_for(base_url: str) -> None:
    import httpx
    for _ in range(200):
        try:
            httpx.get(base_url + "/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.05)
    raise AssertionError(f"{base_url} does not answer")


@pytest.fixture(scope="session")
def registered_peers(live_peers, app):
    """The live peers registered with the national instance (the test session's app)."""
    with db.connection():
        for peer in live_peers.values():
            if not Peer.select().where(Peer.name == peer.name).exists():
                keys.register_peer(peer.name, peer.base_url, peer.key, "test")
    return live_peers


# --- bad peers ---------------------------------------------------------------------------------------

class _Server:
    def __init__(self, handler):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class _Garbage(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the standard library's name
        body = b"<html>this is not a feed</html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def garbage_server():
    server = _Server(_Garbage)
    yield server
    server.close()


@pytest.fixture(scope="session")
def hanging_server():
    """Accepts connections and never answers (until the test session ends)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()
    held = []

    def accept():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
                held.append(conn)
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    listener.close()
