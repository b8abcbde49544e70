"""Mail the platform would have sent, kept in the database when no SMTP server is configured.

The embedded default has no mail server, so ``core.mail.send`` writes each message here
instead; the platform administrator reads them at ``/admin/outbox`` and operators with
``partnerskab outbox``, which is how a demo gets its invitation and reset links offline.
With SMTP configured nothing is stored: the links in these mails are credentials.
"""
from peewee import CharField, DateTimeField, TextField

from core.db import BaseModel
from core.models.account import utcnow


class OutboxMessage(BaseModel):
    created_at = DateTimeField(default=utcnow, index=True)
    sender = CharField(max_length=254)
    recipient = CharField(max_length=254, index=True)  # stripped and lower-cased
    subject = CharField(max_length=300)
    body = TextField()

    class Meta:
        table_name = "outbox_message"
