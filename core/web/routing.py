"""Routes whose handlers run in a worker thread holding one database connection.

Views are plain functions; ``page`` wraps one so the connection is opened and returned in the
same thread that runs the queries (peewee connections are per thread), one per request.
"""
from __future__ import annotations

import functools

from starlette.routing import Route

from core import db


def page(path: str, endpoint, *, name: str | None = None, methods=("GET",)) -> Route:
    @functools.wraps(endpoint)
    def with_connection(request):
        with db.connection():
            return endpoint(request)

    return Route(path, with_connection, name=name or endpoint.__name__, methods=list(methods))
