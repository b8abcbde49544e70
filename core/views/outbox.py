"""The mail outbox for the platform administrator: what the platform would have mailed when
no SMTP server is configured (the demo's invitation and reset links are read here), with each
message's attachments listed and downloadable as the recipient would get them."""
from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.responses import Response

from core import mail
from core.web.pages import render
from core.web.routing import page

PAGE_LIMIT = 50
# Types a browser would render or run on this site's origin are downloaded as plain bytes.
ACTIVE_TYPES = ("text/html", "application/xhtml", "image/svg", "text/xml", "application/xml", "text/javascript",
                "application/javascript")


def outbox_page(request):
    to = request.query_params.get("to", "").strip()[:254]
    messages = mail.outbox(limit=PAGE_LIMIT, to=to or None)
    smtp = bool(request.app.state.platform.settings.smtp_host)
    return render(request, "admin/outbox.html", {"messages": messages, "to": to, "smtp": smtp},
                  headers={"Cache-Control": "no-store"})


def outbox_attachment(request):
    attachment = mail.outbox_attachment(request.path_params["outbox_attachment_id"])
    if attachment is None:
        raise HTTPException(404)
    content_type = attachment.content_type
    if content_type.lower().startswith(ACTIVE_TYPES):
        content_type = "application/octet-stream"
    ascii_name = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in attachment.filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(attachment.filename)}"
    return Response(bytes(attachment.data), media_type=content_type,
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store",
                             "X-Content-Type-Options": "nosniff"})


def routes():
    return [page("/admin/outbox", outbox_page, name="outbox", permission="outbox.read"),
            page("/admin/outbox/attachments/{outbox_attachment_id:id}", outbox_attachment,
                 name="outbox_attachment", permission="outbox.read")]
