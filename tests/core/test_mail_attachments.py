"""Mail with attachments (a calendar invitation, say): sent over SMTP as MIME parts, or kept
in the outbox byte for byte, where the administrator sees and downloads them."""
from __future__ import annotations

import re
import uuid
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from core import db, mail
from core.demo import DEMO_PASSWORD
from core.mail import Attachment
from core.models.outbox import OutboxAttachment
from tests.core.auth.conftest import client_factory, login, make_account  # noqa: F401 (fixtures)
from tests.core.test_mail import certificate, cli, smtp_platform, smtp_server  # noqa: F401 (fixtures)

ICS = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Partnerskab//test//DA\r\nMETHOD:REQUEST\r\n"
       b"BEGIN:VEVENT\r\nUID:meeting-1@partnerskab.test\r\nSEQUENCE:0\r\nSUMMARY:Netv\xc3\xa6rksm\xc3\xb8de\r\n"
       b"DTSTART:20300101T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
INVITATION = Attachment("netværksmøde.ics", "text/calendar; method=REQUEST; charset=utf-8", ICS)


def unique_address() -> str:
    return f"attach-{uuid.uuid4().hex[:10]}@example.org"


def test_the_outbox_keeps_attachments_byte_for_byte(platform, dbconn):
    to = unique_address()
    pdf = Attachment("referat.pdf", "application/pdf", b"%PDF-1.4 \x00\xff binary")
    mail.send(platform, to=to, subject="Invitation", body="Se vedhæftet.", attachments=[INVITATION, pdf])
    [message] = mail.outbox(to=to)
    assert [(a.position, a.filename, a.content_type, a.size) for a in message.attachment_list] == [
        (1, "netværksmøde.ics", "text/calendar; method=REQUEST; charset=utf-8", len(ICS)),
        (2, "referat.pdf", "application/pdf", len(pdf.data))]
    assert bytes(mail.outbox_attachment(message.attachment_list[1].id).data) == pdf.data
    mail.send(platform, to=to, subject="Uden", body="Ingen bilag.")
    assert mail.outbox(to=to)[0].attachment_list == []


@pytest.mark.parametrize("attachment", [
    dict(filename="a.ics", content_type="text/calendar", data="not bytes"),
    dict(filename="../etc/passwd", content_type="text/plain", data=b"x"),
    dict(filename="", content_type="text/plain", data=b"x"),
    dict(filename="a.txt", content_type="text/plain\r\nBcc: spy@example.org", data=b"x"),
    dict(filename="a.txt", content_type="nonsense", data=b"x"),
    dict(filename="big.bin", content_type="application/octet-stream", data=b"x" * (mail.MAX_ATTACHMENT_BYTES + 1)),
])
def test_a_bad_attachment_is_refused_before_anything_is_sent(attachment):
    with pytest.raises(ValueError):
        Attachment(**attachment)


def test_the_outbox_page_shows_and_serves_attachments(platform, client_factory, make_account):
    to = unique_address()
    page_html = Attachment("side.html", "text/html", b"<script>alert(1)</script>")
    with db.connection():
        mail.send(platform, to=to, subject="Mødeinvitation", body="Hej", attachments=[INVITATION, page_html])
        message = mail.outbox(to=to)[0]
    admin = client_factory()
    assert login(admin, "admin@partnerskab.test", DEMO_PASSWORD).status_code == 303
    text = admin.get("/admin/outbox", params={"to": to}).text
    first, second = message.attachment_list
    link = f"/admin/outbox/attachments/{first.id}"
    assert f'<a href="{link}" download>netværksmøde.ics</a>' in text
    assert re.search(rf"text/calendar; method=REQUEST; charset=utf-8, {len(ICS)} (bytes|byte)", text)
    download = admin.get(link)
    assert download.status_code == 200 and download.content == ICS
    assert download.headers["content-type"].startswith("text/calendar")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''netv%C3%A6rksm%C3%B8de.ics" in download.headers["content-disposition"]
    active = admin.get(f"/admin/outbox/attachments/{second.id}")
    assert active.headers["content-type"] == "application/octet-stream"  # never rendered on this site
    assert active.headers["x-content-type-options"] == "nosniff"
    assert admin.get(f"/admin/outbox/attachments/{second.id + 1000}").status_code == 404
    consultant = client_factory()
    login(consultant, make_account(role="consultant", municipality="0101"))
    assert consultant.get(link).status_code == 403
    assert client_factory().get(link).headers["location"].startswith("/login")


def test_smtp_carries_the_attachments(settings, smtp_server, dbconn):
    server = smtp_server(tls=False, credentials=None)
    to = unique_address()
    before = OutboxAttachment.select().count()
    mail.send(smtp_platform(settings, server, smtp_starttls=False, smtp_user="", smtp_password=""),
              to=to, subject="Mødeinvitation", body="Hej, se invitationen.", attachments=[INVITATION])
    [received] = server.received
    message = message_from_bytes(received["data"], policy=default_policy)
    assert message.get_content_type() == "multipart/mixed"
    assert message.get_body(("plain",)).get_content().strip() == "Hej, se invitationen."
    [part] = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    assert part.get_filename() == "netværksmøde.ics"
    assert part.get_payload(decode=True) == ICS
    assert OutboxAttachment.select().count() == before  # sent, so not kept


def test_the_outbox_command_lists_attachments(platform, cli):
    to = unique_address()
    with db.connection():
        mail.send(platform, to=to, subject="Mødeinvitation", body="Hej", attachments=[INVITATION])
    result = cli("outbox", "--to", to)
    assert result.returncode == 0
    assert f"[attachment 1: netværksmøde.ics, text/calendar; method=REQUEST; charset=utf-8, {len(ICS)} bytes]" \
        in result.stdout
