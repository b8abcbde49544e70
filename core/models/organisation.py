"""Organisations: associations, volunteer centres, municipal units, schools, housing
associations, national bodies, and the target groups each works with."""
from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from core import clock
from core.db import BaseModel
from core.models.changes import Shareable
from core.models.municipality import Municipality
from core.scope import Columns

ORGANISATION_KINDS = (
    "association", "volunteer_centre", "municipal_unit", "school_institution",
    "housing_association", "national_body", "other",
)


class Organisation(Shareable):
    name = CharField(max_length=200)
    slug = CharField(max_length=200, unique=True)
    kind = CharField(max_length=40, index=True)
    cvr = CharField(max_length=8, null=True, unique=True)
    municipality = ForeignKeyField(Municipality, backref="organisations", null=True,
                                   on_delete="RESTRICT", index=True)
    description = TextField(default="")
    street = CharField(max_length=200, default="")
    postcode = CharField(max_length=4, default="")
    city = CharField(max_length=100, default="")
    email = CharField(max_length=200, default="")
    phone = CharField(max_length=40, default="")
    website = CharField(max_length=300, default="")
    created_at = DateTimeField(default=clock.now)
    updated_at = DateTimeField(default=clock.now)

    # governed by its municipality and by itself
    scope_rule = Columns(municipality="municipality", organisation="id", own="id")

    class Meta:
        table_name = "organisation"

    def __str__(self) -> str:
        return self.name


class OrganisationTargetGroup(BaseModel):
    organisation = ForeignKeyField(Organisation, backref="target_group_rows", on_delete="CASCADE")
    target_group = CharField(max_length=40, index=True)

    class Meta:
        table_name = "organisation_target_group"
        indexes = ((("organisation", "target_group"), True),)
