"""Money that reaches an organisation through a programme, always in integer øre.

Rows are written only through ``core.rules.money``, which checks caps and budgets inside
the write transaction.
"""
from peewee import BigIntegerField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from core import clock
from core.models.changes import Shareable
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Via


class SignOnFee(Shareable):
    """A one-off fee paid to an organisation for joining a programme's network."""

    programme = ForeignKeyField(Programme, backref="sign_on_fees", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, backref="sign_on_fees", on_delete="RESTRICT")
    amount_ore = BigIntegerField()
    granted_on = DateField()
    note = CharField(max_length=500, default="")
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("programme", organisation="organisation")

    class Meta:
        table_name = "sign_on_fee"


class Grant(Shareable):
    """A yearly grant to an organisation in a programme (e.g. for a resource person)."""

    programme = ForeignKeyField(Programme, backref="grants", on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, backref="grants", on_delete="RESTRICT")
    year = IntegerField()
    amount_ore = BigIntegerField()
    purpose = CharField(max_length=500, default="")
    created_at = DateTimeField(default=clock.now)

    scope_rule = Via("programme", organisation="organisation")

    class Meta:
        table_name = "programme_grant"
        indexes = ((("programme", "organisation", "year"), True),)
