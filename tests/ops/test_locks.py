"""Lock errors are told apart from other database errors: those are retried and, if they persist,
answered "busy" (503), never shown as "database is locked" or a deadlock."""
from __future__ import annotations

import sqlite3

import peewee

from core import db


class _PgError(Exception):
    def __init__(self, message: str, sqlstate: str):
        super().__init__(message)
        self.sqlstate = sqlstate


def test_lock_errors_are_recognised():
    assert db.is_lock_error(sqlite3.OperationalError("database is locked"))
    assert db.is_lock_error(peewee.OperationalError("database table is locked"))
    assert db.is_lock_error(_PgError("deadlock detected", "40P01"))
    assert db.is_lock_error(_PgError("could not serialize access", "40001"))
    try:
        try:
            raise sqlite3.OperationalError("database is locked")
        except sqlite3.OperationalError as inner:
            raise peewee.OperationalError("wrapped") from inner
    except peewee.OperationalError as outer:
        assert db.is_lock_error(outer)


def test_other_errors_are_not_lock_errors():
    assert not db.is_lock_error(sqlite3.OperationalError("no such table: organisation"))
    assert not db.is_lock_error(peewee.IntegrityError("UNIQUE constraint failed"))
    assert not db.is_lock_error(_PgError("syntax error", "42601"))
    assert not db.is_lock_error(ValueError("database is locked"))
