"""An organisation's place in a programme's network: partner, local actor or coordinator."""
from peewee import CharField, DateField, ForeignKeyField

from core.models.changes import Shareable
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.scope import Via

MEMBERSHIP_ROLES = ("partner", "local_actor", "coordinator")


class Membership(Shareable):
    programme = ForeignKeyField(Programme, backref="memberships", on_delete="CASCADE")
    organisation = ForeignKeyField(Organisation, backref="memberships", on_delete="CASCADE")
    role = CharField(max_length=20)
    joined_on = DateField(null=True)
    left_on = DateField(null=True)

    scope_rule = Via("programme", organisation="organisation")

    class Meta:
        table_name = "membership"
        indexes = ((("programme", "organisation"), True),)
