"""Sending mail: ``send(platform, to=..., subject=..., body=..., attachments=...)`` is the one
way the platform does it, whoever calls (invitations, password resets, plugins' notices and
calendar invitations). An attachment is ``Attachment(filename, content_type, data)``: the
content type may carry parameters (``text/calendar; method=REQUEST``), the data is bytes.

With ``smtp_host`` set the message goes to that server over SMTP: STARTTLS first (unless
``smtp_starttls`` is off; the server's certificate is verified), then a login when
``smtp_user`` is set, with ``smtp_password``, which only the environment may give
(``PARTNERSKAB_SMTP_PASSWORD``). Without a server the message is kept in the outbox table
(``core.models.outbox``) for the platform administrator (``/admin/outbox``) and operators
(``partnerskab outbox``), so the demo works offline.

The caller holds the database connection (every page and CLI command does). A message the
SMTP server does not take raises ``MailError`` after a log line; the caller decides whether
the person may know (an invitation: yes; a password reset: never, it would tell whether the
address has an account).
"""
from __future__ import annotations

import dataclasses
import logging
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from core.models.outbox import OutboxAttachment, OutboxMessage

log = logging.getLogger("partnerskab.mail")
SMTP_TIMEOUT = 20  # seconds, for connecting and for each reply
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # each; mail servers refuse far less than they should
_CONTENT_TYPE = re.compile(r"^([a-z0-9!#$&^_.+-]+)/([a-z0-9!#$&^_.+-]+)((?:\s*;\s*[a-z0-9_.-]+=(?:\"[^\"]*\"|[^;\s]+))*)\s*$",
                           re.I)


@dataclasses.dataclass(frozen=True)
class Attachment:
    """A file a mail carries: its name, its content type (with parameters) and its bytes."""

    filename: str
    content_type: str
    data: bytes

    def __post_init__(self):
        if not isinstance(self.data, (bytes, bytearray)):
            raise ValueError("an attachment's data is bytes")
        if len(self.data) > MAX_ATTACHMENT_BYTES:
            raise ValueError(f"an attachment is at most {MAX_ATTACHMENT_BYTES} bytes")
        if not _CONTENT_TYPE.match(self.content_type):
            raise ValueError(f"not a content type: {self.content_type!r}")
        name = _clean_header(self.filename, 200)
        if not name or "/" in name or "\\" in name:
            raise ValueError(f"not a file name: {self.filename!r}")

    @property
    def parts(self) -> tuple[str, str, dict[str, str]]:
        """Main type, subtype and parameters (``text``, ``calendar``, ``{"method": "REQUEST"}``)."""
        match = _CONTENT_TYPE.match(self.content_type)
        params = {}
        for item in filter(None, (p.strip() for p in match.group(3).split(";"))):
            key, _, value = item.partition("=")
            params[key.strip().lower()] = value.strip().strip('"')
        return match.group(1).lower(), match.group(2).lower(), params


class MailError(Exception):
    """The mail server could not be reached or did not accept the message."""


def _clean_header(value: str, limit: int) -> str:
    """One line: a newline in a subject or an address would start a header of its own."""
    return " ".join(str(value).split())[:limit]


def _recipient(to: str) -> str:
    address = _clean_header(to, 254).strip().lower()
    _name, parsed = parseaddr(address)
    if not parsed or "@" not in parsed or parsed != address:
        raise ValueError(f"not a single email address: {to!r}")
    return address


def build_message(settings, *, to: str, subject: str, body: str,
                  attachments: tuple[Attachment, ...] | list[Attachment] = ()) -> EmailMessage:
    message = EmailMessage()
    message["From"] = _clean_header(settings.smtp_from, 254)
    message["To"] = _recipient(to)
    message["Subject"] = _clean_header(subject, 300)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(message["From"])[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    for attachment in attachments:
        maintype, subtype, params = attachment.parts
        message.add_attachment(bytes(attachment.data), maintype=maintype, subtype=subtype,
                               filename=_clean_header(attachment.filename, 200), params=params)
    return message


def tls_context() -> ssl.SSLContext:
    """The context for STARTTLS: the system's trusted certificates, host name checked."""
    return ssl.create_default_context()


def send(platform, *, to: str, subject: str, body: str,
         attachments: tuple[Attachment, ...] | list[Attachment] = ()) -> None:
    """Send one plain-text mail with its attachments (SMTP when configured, else the outbox)."""
    settings = platform.settings
    message = build_message(settings, to=to, subject=subject, body=body, attachments=attachments)
    if settings.smtp_host:
        _send_smtp(settings, message)
        log.info("mail sent over SMTP to %s: %s", message["To"], message["Subject"])
        return
    from core.db import database
    with database.atomic():
        kept = OutboxMessage.create(sender=str(message["From"]), recipient=str(message["To"]),
                                    subject=str(message["Subject"]), body=body)
        for position, attachment in enumerate(attachments, 1):
            OutboxAttachment.create(message=kept, position=position, filename=_clean_header(attachment.filename, 200),
                                    content_type=attachment.content_type, size=len(attachment.data),
                                    data=bytes(attachment.data))
    log.info("mail kept in the outbox for %s: %s", message["To"], message["Subject"])


def _send_smtp(settings, message: EmailMessage) -> None:
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT) as server:
            server.ehlo()
            if settings.smtp_starttls:
                server.starttls(context=tls_context())
                server.ehlo()
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password)
            server.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:  # ssl.SSLError is an OSError
        log.error("mail to %s could not be sent through %s:%s: %s: %s", message["To"], settings.smtp_host,
                  settings.smtp_port, type(exc).__name__, exc)
        raise MailError(str(exc)) from exc


def outbox(*, limit: int = 20, to: str | None = None) -> list[OutboxMessage]:
    """The newest messages in the outbox, newest first, optionally for one recipient; each with
    ``attachment_list`` (name, type and size, not the bytes), read in one more query."""
    query = OutboxMessage.select().order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if to:
        query = query.where(OutboxMessage.recipient == to.strip().lower())
    messages = list(query.limit(max(1, min(limit, 1000))))
    by_message: dict[int, list] = {message.id: [] for message in messages}
    if messages:
        for row in (OutboxAttachment.select(OutboxAttachment.id, OutboxAttachment.message, OutboxAttachment.position,
                                            OutboxAttachment.filename, OutboxAttachment.content_type,
                                            OutboxAttachment.size)
                    .where(OutboxAttachment.message.in_(list(by_message)))
                    .order_by(OutboxAttachment.message, OutboxAttachment.position)):
            by_message[row.message_id].append(row)
    for message in messages:
        message.attachment_list = by_message[message.id]
    return messages


def outbox_attachment(attachment_id: int) -> OutboxAttachment | None:
    return OutboxAttachment.get_or_none(OutboxAttachment.id == attachment_id)


__all__ = ["Attachment", "MailError", "build_message", "outbox", "outbox_attachment", "send"]
