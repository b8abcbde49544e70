"""The SQL a page runs, captured from peewee's query log: the bare page and the national
dashboards' comparison run exactly these statements alone."""
from __future__ import annotations

import logging


class Capture(logging.Handler):
    """Peewee's query log: every statement with its parameters."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.statements: list[tuple[str, list]] = []

    def emit(self, record):
        if isinstance(record.msg, tuple) and len(record.msg) == 2:
            sql, params = record.msg
            self.statements.append((sql, [_jsonable(p) for p in (params or [])]))


def _jsonable(value):
    if isinstance(value, (str, int, float, type(None))):
        return value
    return str(value)
