"""A Danish municipality, known by its official 4-digit code (e.g. 0101) and its name."""
from peewee import CharField

from core.db import BaseModel
from core.scope import Columns


class Municipality(BaseModel):
    code = CharField(max_length=4, unique=True)
    name = CharField(max_length=100)
    region = CharField(max_length=100, default="")
    slug = CharField(max_length=100, unique=True)

    scope_rule = Columns(municipality="id")  # a municipality governs itself

    class Meta:
        table_name = "municipality"

    def __str__(self) -> str:
        return self.name
