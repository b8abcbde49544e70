"""Mail the platform would have sent, kept in the database when no SMTP server is configured.

The embedded default has no mail server, so ``core.mail.send`` writes each message here
instead; the platform administrator reads them at ``/admin/outbox`` and operators with
``partnerskab outbox``, which is how a demo gets its invitation and reset links offline.
With SMTP configured nothing is stored: the links in these mails are credentials.

A message's attachments (a calendar invitation, say) are kept beside it, byte for byte, so
the outbox shows them and lets the administrator download them as the recipient would get them.
"""
from peewee import BlobField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from core import clock
from core.db import BaseModel
from core.scope import InstanceOnly


class OutboxMessage(BaseModel):
    created_at = DateTimeField(default=clock.now, index=True)
    sender = CharField(max_length=254)
    recipient = CharField(max_length=254, index=True)  # stripped and lower-cased
    subject = CharField(max_length=300)
    body = TextField()

    # mail in the outbox belongs to the instance, to no municipality or organisation: only an
    # instance-wide role (the platform administrator, ``outbox.read``) sees it
    scope_rule = InstanceOnly()

    class Meta:
        table_name = "outbox_message"


class OutboxAttachment(BaseModel):
    message = ForeignKeyField(OutboxMessage, backref="attachments", on_delete="CASCADE")
    position = IntegerField()  # 1, 2, … in the order the message carries them
    filename = CharField(max_length=200)
    content_type = CharField(max_length=200)  # with its parameters, e.g. 'text/calendar; method=REQUEST'
    size = IntegerField()
    data = BlobField()

    class Meta:
        table_name = "outbox_attachment"
        indexes = ((("message", "position"), True),)
