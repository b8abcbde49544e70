"""The platform's one time convention: aware UTC in Python, UTC in the database.

Every moment the platform makes (``now()``) or reads back from a table is an *aware* datetime
in UTC, so Python never compares an aware value with a naive one (a ``TypeError`` at best, a
silently wrong answer where a naive value was local time at worst). The database keeps UTC
without a zone, the same way on both backends: SQLite as text ``YYYY-MM-DD HH:MM:SS[.ffffff]``
(so text comparisons order correctly) and PostgreSQL in ``TIMESTAMP`` columns (the session's
zone is UTC besides: ``core.db.open_database``). ``UtcDateTimeField`` does the translation at
the edge: it stores any datetime as naive UTC (a naive one is taken to be UTC already) and
reads values back as aware UTC. ``core.db.BaseModel`` makes every ``DateTimeField`` of every
table — the core's and the plugins' — such a field, so a model cannot opt out by accident.

Dates (``DateField``: a grant's year, a fee's day) are calendar days, not moments: they have
no zone and are not touched. What a person sees is local time (``core.i18n.local_time``).
"""
from __future__ import annotations

import datetime

from peewee import DateTimeField

UTC = datetime.timezone.utc


def now() -> datetime.datetime:
    """This moment, aware, in UTC: the default of every timestamp column and of every rule."""
    return datetime.datetime.now(UTC)


def as_utc(value):
    """``value`` as an aware UTC datetime (a naive one is taken to be UTC); other values as they are."""
    if not isinstance(value, datetime.datetime):
        return value
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def stored(value):
    """``value`` as the database keeps it: a naive datetime in UTC; other values as they are."""
    if not isinstance(value, datetime.datetime):
        return value
    return value if value.tzinfo is None else value.astimezone(UTC).replace(tzinfo=None)


class UtcDateTimeField(DateTimeField):
    """A timestamp column: written as naive UTC, read as aware UTC, on SQLite and PostgreSQL."""

    def db_value(self, value):
        return stored(super().db_value(value))

    def python_value(self, value):
        return as_utc(super().python_value(value))
