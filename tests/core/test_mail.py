"""Mail: the outbox when no SMTP server is set (and the CLI and the page that show it), and
SMTP with STARTTLS, a login and certificate checking against a small SMTP server started here."""
from __future__ import annotations

import base64
import os
import shutil
import socketserver
import ssl
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes
from email.policy import default as default_policy
from types import SimpleNamespace

import pytest

from core import db, mail
from core import settings as settings_module
from core.demo import DEMO_PASSWORD
from core.models.outbox import OutboxMessage
from core.settings import DEFAULT_CONFIG, ROOT, ConfigError
from tests.core.auth.conftest import client_factory, login, make_account  # noqa: F401 (fixtures)

EXE = ROOT / ".venv" / "bin" / "partnerskab"


def unique_address() -> str:
    return f"mail-{uuid.uuid4().hex[:10]}@example.org"


# --- the outbox -------------------------------------------------------------------------------

def test_without_smtp_the_mail_goes_to_the_outbox(platform, dbconn):
    assert not platform.settings.smtp_host
    to = unique_address()
    mail.send(platform, to=f"  {to.upper()} ", subject="Velkommen\r\nBcc: spy@example.org", body="Hej\nLinje 2\n")
    [message] = mail.outbox(to=to)
    assert message.recipient == to
    assert message.subject == "Velkommen Bcc: spy@example.org"  # one line: no header of its own
    assert message.body == "Hej\nLinje 2\n"
    assert message.sender == platform.settings.smtp_from


def test_the_outbox_lists_newest_first_and_filters(platform, dbconn):
    to = unique_address()
    for n in range(3):
        mail.send(platform, to=to, subject=f"number {n}", body="x")
    assert [m.subject for m in mail.outbox(to=to, limit=2)] == ["number 2", "number 1"]
    assert all(m.recipient == to for m in mail.outbox(to=to))


def test_a_recipient_must_be_one_address(platform, dbconn):
    for bad in ("", "not an address", "a@example.org, b@example.org", "Eve <eve@example.org>"):
        with pytest.raises(ValueError):
            mail.send(platform, to=bad, subject="x", body="x")


@pytest.fixture
def cli(settings, app, tmp_path):
    base = {key: value for key, value in os.environ.items()
            if not key.startswith("PARTNERSKAB_") and key not in {"DATABASE_URL", "SECRET_KEY", "PORT"}}
    base.update(PARTNERSKAB_CONFIG=str(DEFAULT_CONFIG), DATABASE_URL=settings.database_url,
                PARTNERSKAB_INSTANCE_DIR=str(tmp_path / "instance"))

    def run(*args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([str(EXE), *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120)
        assert "Traceback" not in result.stdout + result.stderr, result.stderr
        return result
    return run


def test_cli_prints_the_newest_messages(platform, cli):
    to, other = unique_address(), unique_address()
    with db.connection():
        mail.send(platform, to=to, subject="first", body="the first body")
        mail.send(platform, to=to, subject="second", body="the second body\nhttps://example.org/x")
        mail.send(platform, to=other, subject="someone else's", body="other")
    result = cli("outbox", "--to", to.upper())
    assert result.returncode == 0
    assert result.stdout.index("Subject: second") < result.stdout.index("Subject: first")
    assert f"To: {to}" in result.stdout and "the second body\nhttps://example.org/x" in result.stdout
    assert "someone else's" not in result.stdout
    limited = cli("outbox", "--to", to, "--limit", "1")
    assert "Subject: second" in limited.stdout and "Subject: first" not in limited.stdout
    assert "Subject: someone else's" in cli("outbox", "--limit", "1").stdout
    assert "is empty" in cli("outbox", "--to", unique_address()).stdout
    assert cli("outbox", "--limit", "0").returncode == 2


def test_the_outbox_page_is_for_the_platform_administrator_only(platform, make_account, client_factory):
    to = unique_address()
    with db.connection():
        mail.send(platform, to=to, subject="Til <administratoren>", body="Klik:\nhttps://example.org/invitations/abc\n")
    admin = client_factory()
    assert login(admin, "admin@partnerskab.test", DEMO_PASSWORD).status_code == 303
    page = admin.get("/admin/outbox", params={"to": to})
    assert page.status_code == 200
    assert "Til &lt;administratoren&gt;" in page.text
    assert '<a href="https://example.org/invitations/abc">' in page.text
    assert page.headers["cache-control"] == "no-store"
    assert 'href="/admin/outbox"' in admin.get("/me").text
    for role, municipality in (("municipality_admin", "0101"), ("consultant", "0101")):
        other = client_factory()
        login(other, make_account(role=role, municipality=municipality))
        assert other.get("/admin/outbox").status_code == 403
        assert 'href="/admin/outbox"' not in other.get("/me").text
    anonymous = client_factory()
    assert anonymous.get("/admin/outbox").headers["location"].startswith("/login")


# --- settings ---------------------------------------------------------------------------------

def test_the_smtp_password_comes_only_from_the_environment(tmp_path):
    config = tmp_path / "mail.toml"
    config.write_text('smtp_host = "smtp.example.org"\nsmtp_password = "hunter2 hunter2"\n')
    with pytest.raises(ConfigError, match="PARTNERSKAB_SMTP_PASSWORD"):
        settings_module.load(config, environ={"PARTNERSKAB_INSTANCE_DIR": str(tmp_path)})
    config.write_text('smtp_host = "smtp.example.org"\n')
    loaded = settings_module.load(config, environ={"PARTNERSKAB_INSTANCE_DIR": str(tmp_path),
                                                   "PARTNERSKAB_SMTP_PASSWORD": "from the environment"})
    assert loaded.smtp_password == "from the environment" and loaded.smtp_starttls is True


# --- SMTP -------------------------------------------------------------------------------------

class FakeSMTPHandler(socketserver.StreamRequestHandler):
    """Enough SMTP for smtplib: EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        server = self.server
        session = {"tls": False, "user": None, "from": None, "to": []}
        self.reply("220 fake.smtp.test ESMTP")
        while True:
            raw = self.rfile.readline(4096)
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                features = ["fake.smtp.test"]
                if server.tls_context is not None and not session["tls"]:
                    features.append("STARTTLS")
                if server.credentials:
                    features.append("AUTH PLAIN")
                features.append("8BITMIME")
                for feature in features[:-1]:
                    self.reply(f"250-{feature}")
                self.reply(f"250 {features[-1]}")
            elif verb == "STARTTLS" and server.tls_context is not None:
                self.reply("220 go ahead")
                self.rfile.close()
                self.wfile.close()
                self.connection = server.tls_context.wrap_socket(self.connection, server_side=True)
                self.rfile = self.connection.makefile("rb")
                self.wfile = self.connection.makefile("wb")
                session["tls"] = True
            elif verb == "AUTH":
                _, mechanism, *initial = line.split(" ")
                decoded = base64.b64decode(initial[0]).split(b"\0") if initial else []
                if mechanism.upper() == "PLAIN" and len(decoded) == 3 and \
                        (decoded[1].decode(), decoded[2].decode()) == server.credentials:
                    session["user"] = decoded[1].decode()
                    self.reply("235 authenticated")
                else:
                    self.reply("535 authentication failed")
            elif verb == "MAIL":
                session["from"], session["to"] = line.split(":", 1)[1].strip(), []
                self.reply("250 ok")
            elif verb == "RCPT":
                session["to"].append(line.split(":", 1)[1].strip())
                self.reply("250 ok")
            elif verb == "DATA":
                self.reply("354 end with .")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if data in (b".\r\n", b""):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                server.received.append({**session, "data": b"".join(lines)})
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            else:
                self.reply("502 not implemented")

    def finish(self):
        try:
            super().finish()
        finally:
            self.connection.close()


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls_context=None, credentials=None):
        super().__init__(("127.0.0.1", 0), FakeSMTPHandler)
        self.tls_context = tls_context
        self.credentials = credentials
        self.received: list[dict] = []
        self.errors: list[BaseException] = []

    def handle_error(self, request, client_address):
        """Keep a failed connection's error (a refused handshake is expected in some tests)."""
        self.errors.append(sys.exc_info()[1])


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (openssl), as (cert file, key file)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture
def smtp_server(certificate):
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    servers = []

    def start(tls: bool = True, credentials=("mailer", "smtp secret")):
        server = FakeSMTPServer(context if tls else None, credentials)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return server
    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def trust_test_certificate(monkeypatch, certificate):
    monkeypatch.setattr(mail, "tls_context", lambda: ssl.create_default_context(cafile=str(certificate[0])))


def smtp_platform(settings, server, **changes):
    values = dict(smtp_host="127.0.0.1", smtp_port=server.server_address[1], smtp_user="mailer",
                  smtp_password="smtp secret", smtp_from="Partnerskab <noreply@partnerskab.test>",
                  smtp_starttls=True)
    values.update(changes)
    return SimpleNamespace(settings=settings.replace(**values))


def test_smtp_with_starttls_and_login(settings, smtp_server, trust_test_certificate, dbconn):
    server = smtp_server()
    to = unique_address()
    before = OutboxMessage.select().count()
    mail.send(smtp_platform(settings, server), to=to, subject="Invitation til Partnerskab",
              body="Hej Søren,\nåbn linket:\nhttps://example.org/invitations/xyz\n")
    [received] = server.received
    assert received["tls"] is True and received["user"] == "mailer"
    assert received["from"] == "<noreply@partnerskab.test>" and received["to"] == [f"<{to}>"]
    message = message_from_bytes(received["data"], policy=default_policy)
    assert message["To"] == to and message["Subject"] == "Invitation til Partnerskab"
    assert message["From"] == "Partnerskab <noreply@partnerskab.test>" and message["Message-ID"]
    body = message.get_content().replace("\r\n", "\n")
    assert body == "Hej Søren,\nåbn linket:\nhttps://example.org/invitations/xyz\n"
    assert OutboxMessage.select().count() == before  # sent, so not kept


def test_smtp_without_starttls_or_login_when_so_configured(settings, smtp_server, dbconn):
    server = smtp_server(tls=False, credentials=None)
    mail.send(smtp_platform(settings, server, smtp_starttls=False, smtp_user="", smtp_password=""),
              to=unique_address(), subject="plain", body="x")
    [received] = server.received
    assert received["tls"] is False and received["user"] is None


def test_starttls_refuses_a_server_that_does_not_offer_it(settings, smtp_server, dbconn):
    server = smtp_server(tls=False)
    with pytest.raises(mail.MailError):
        mail.send(smtp_platform(settings, server), to=unique_address(), subject="x", body="x")
    assert server.received == []


def test_starttls_verifies_the_certificate(settings, smtp_server, dbconn):
    server = smtp_server()  # self-signed, and this test does not trust it
    with pytest.raises(mail.MailError):
        mail.send(smtp_platform(settings, server), to=unique_address(), subject="x", body="x")
    assert server.received == []
    deadline = time.monotonic() + 5
    while not server.errors and time.monotonic() < deadline:
        time.sleep(0.02)
    assert isinstance(server.errors[0], ssl.SSLError)  # the client refused the handshake


def test_a_wrong_smtp_password_is_a_mail_error(settings, smtp_server, trust_test_certificate, dbconn):
    server = smtp_server()
    with pytest.raises(mail.MailError):
        mail.send(smtp_platform(settings, server, smtp_password="wrong"), to=unique_address(), subject="x",
                  body="x")
    assert server.received == []


def test_an_unreachable_server_is_a_mail_error(settings, dbconn):
    server = SimpleNamespace(server_address=("127.0.0.1", 9))
    with pytest.raises(mail.MailError):
        mail.send(smtp_platform(settings, server), to=unique_address(), subject="x", body="x")


def test_mail_is_the_only_sender():
    """No other module of the core speaks SMTP: ``core.mail.send`` is the one way out."""
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "core").rglob("*.py")
                 if path.name != "mail.py" and "smtplib" in path.read_text(encoding="utf-8")]
    assert offenders == []
    assert sys.modules["core.mail"] is mail
