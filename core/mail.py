"""Sending mail: ``send(platform, to=..., subject=..., body=...)`` is the one way the platform
does it, whoever calls (invitations, password resets, plugins' notices).

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

import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from core.models.outbox import OutboxMessage

log = logging.getLogger("partnerskab.mail")
SMTP_TIMEOUT = 20  # seconds, for connecting and for each reply


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


def build_message(settings, *, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = _clean_header(settings.smtp_from, 254)
    message["To"] = _recipient(to)
    message["Subject"] = _clean_header(subject, 300)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = parseaddr(message["From"])[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body)
    return message


def tls_context() -> ssl.SSLContext:
    """The context for STARTTLS: the system's trusted certificates, host name checked."""
    return ssl.create_default_context()


def send(platform, *, to: str, subject: str, body: str) -> None:
    """Send one plain-text mail (SMTP when configured, else the outbox)."""
    settings = platform.settings
    message = build_message(settings, to=to, subject=subject, body=body)
    if settings.smtp_host:
        _send_smtp(settings, message)
        log.info("mail sent over SMTP to %s: %s", message["To"], message["Subject"])
        return
    OutboxMessage.create(sender=str(message["From"]), recipient=str(message["To"]),
                         subject=str(message["Subject"]), body=body)
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
    """The newest messages in the outbox, newest first, optionally for one recipient."""
    query = OutboxMessage.select().order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    if to:
        query = query.where(OutboxMessage.recipient == to.strip().lower())
    return list(query.limit(max(1, min(limit, 1000))))


__all__ = ["MailError", "build_message", "outbox", "send"]
