"""Change numbers and tombstones for records that other instances harvest.

The national coordinator's instance will read incremental feeds in the style of OpenActive's
RPDE: every shareable row carries the change number it got in its last write transaction, and
a deleted row stays as a tombstone (``deleted_at`` set) so a feed can tell harvesters to drop
it. The number comes from one counter row, bumped inside the write transaction, so numbers
grow in the order writers take the lock.
"""
from peewee import BigIntegerField, CharField, DateTimeField

from core import clock
from core.db import BaseModel, database


class ChangeCounter(BaseModel):
    name = CharField(primary_key=True, max_length=40)
    value = BigIntegerField(default=0)


def next_change_number() -> int:
    """Take the next change number; call inside the write transaction that changes the row."""
    if not database.in_transaction():
        raise RuntimeError("change numbers are taken inside a write transaction")
    updated = (ChangeCounter.update(value=ChangeCounter.value + 1)
               .where(ChangeCounter.name == "global")
               .returning(ChangeCounter.value).execute())
    rows = list(updated)
    if rows:
        return rows[0].value
    ChangeCounter.insert(name="global", value=1).execute()
    return 1


def touch(model, *conditions) -> int:
    """Give the matching shareable rows new change numbers without changing them, so feeds
    publish them again: a child that a feed embeds in its parent changed (a programme's
    budget), or what an instance shares changed. Call inside the write transaction; returns
    how many rows were touched."""
    ids = [row_id for (row_id,) in model.select(model.id).where(*conditions).order_by(model.id).tuples()]
    for row_id in ids:
        model.update(change_number=next_change_number()).where(model.id == row_id).execute()
    return len(ids)


class Shareable(BaseModel):
    """A row that feeds may publish: a change number and a soft delete."""

    change_number = BigIntegerField(default=0, index=True)
    deleted_at = DateTimeField(null=True)

    def save(self, *args, **kwargs):
        self.change_number = next_change_number()
        return super().save(*args, **kwargs)

    def soft_delete(self) -> None:
        self.deleted_at = clock.now()
        self.save()

    @classmethod
    def live(cls):
        """Rows not deleted: what pages show."""
        return cls.select().where(cls.deleted_at.is_null())
