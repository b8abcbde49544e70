"""The mail outbox for the platform administrator: what the platform would have mailed when
no SMTP server is configured (the demo's invitation and reset links are read here)."""
from __future__ import annotations

from core import mail
from core.web.pages import render
from core.web.routing import page

PAGE_LIMIT = 50


def outbox_page(request):
    to = request.query_params.get("to", "").strip()[:254]
    messages = mail.outbox(limit=PAGE_LIMIT, to=to or None)
    smtp = bool(request.app.state.platform.settings.smtp_host)
    return render(request, "admin/outbox.html", {"messages": messages, "to": to, "smtp": smtp},
                  headers={"Cache-Control": "no-store"})


def routes():
    return [page("/admin/outbox", outbox_page, name="outbox", permission="outbox.read")]
