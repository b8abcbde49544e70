"""Partnership programmes and their yearly budgets.

A programme runs in a municipality, is owned by the municipality itself or by an
organisation there (a volunteer centre), may have a funder, and follows the rules of a
programme type that a plugin registers.
"""
from peewee import (BigIntegerField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, TextField)

from core import clock
from core.db import BaseModel
from core.models.changes import Shareable
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.scope import Columns

PROGRAMME_STATUSES = ("planned", "active", "ended")


class Programme(Shareable):
    name = CharField(max_length=200)
    slug = CharField(max_length=200, unique=True)
    programme_type = CharField(max_length=80, index=True)
    municipality = ForeignKeyField(Municipality, backref="programmes", on_delete="RESTRICT")
    owner_organisation = ForeignKeyField(Organisation, null=True, backref="owned_programmes",
                                         on_delete="RESTRICT")
    funder = ForeignKeyField(Organisation, null=True, backref="funded_programmes",
                             on_delete="RESTRICT")
    description = TextField(default="")
    start_date = DateField()
    end_date = DateField(null=True)
    status = CharField(max_length=20, default="active")
    created_at = DateTimeField(default=clock.now)

    # governed by its municipality and by the organisation that owns it (a volunteer centre)
    scope_rule = Columns(municipality="municipality", organisation="owner_organisation")

    class Meta:
        table_name = "programme"

    def __str__(self) -> str:
        return self.name


class ProgrammeBudget(BaseModel):
    """The money a programme may spend in one calendar year, in øre."""

    programme = ForeignKeyField(Programme, backref="budgets", on_delete="CASCADE")
    year = IntegerField()
    amount_ore = BigIntegerField()

    class Meta:
        table_name = "programme_budget"
        indexes = ((("programme", "year"), True),)


class BudgetTotal(BaseModel):
    """What a programme committed and paid in one budget year, in øre, kept by the database.

    ``fees_ore`` is the live sign-on fees granted that calendar year, ``grants_ore`` the live
    grants for the year, ``paid_ore`` the payment requests paid against the year's commitments.
    Triggers (migration 0015) change these in the transaction that writes the fee, grant or
    payment, whoever writes it (a rule, a soft delete, a bulk load), so the overview pages read
    a few rows instead of summing every payment. Never written by the application.
    """

    programme = ForeignKeyField(Programme, backref="budget_totals", on_delete="CASCADE")
    year = IntegerField()
    fees_ore = BigIntegerField(default=0)
    grants_ore = BigIntegerField(default=0)
    paid_ore = BigIntegerField(default=0)

    class Meta:
        table_name = "budget_total"
        indexes = ((("programme", "year"), True),)
