"""Lists in pages: keyset pagination by id, with a ``next`` link.

Every list operation takes ``limit`` and ``after`` (``PAGINATION``) and answers one page in id
order after ``after`` plus the link to the next page, so a client walks any list in bounded
requests and a page costs the same query however deep it is (no OFFSET).
"""
from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urlencode

from core.api.params import MAX_ID, Param

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

PAGINATION = (
    Param("limit", kind="int", description="How many items per page (default 50)", minimum=1, maximum=MAX_LIMIT),
    Param("after", kind="int", description="Continue after this id (from the `next` link)", minimum=0,
          maximum=MAX_ID),
)


def page_of(call, query, id_field, serialize: Callable[[Any], dict], extra: dict | None = None) -> dict:
    """One page of ``query`` in id order after ``after``, and the link to the next page
    (``call`` is the operation's ``core.api.base.Ctx``)."""
    limit = call.params.get("limit") or DEFAULT_LIMIT
    after = call.params.get("after") or 0
    rows = list(query.where(id_field > after).order_by(id_field).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    next_link = None
    if more:
        kept = {key: value for key, value in call.request.query_params.items() if key not in ("after", "limit")}
        next_link = f"{call.request.url.path}?{urlencode({**kept, 'limit': limit, 'after': rows[-1].id})}"
    return {"items": [serialize(row) for row in rows], "next": next_link, **(extra or {})}
