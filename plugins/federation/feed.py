"""One page of a kind's feed in the style of OpenActive's RPDE (change-number strategy).

``?afterChangeNumber=N&limit=L`` gives the items changed after N, ordered by change number
(then item id), each ``updated`` (with its data) or ``deleted`` (id and change number only);
``next`` repeats the query after the last item, and the last page is empty with ``next``
pointing at itself. An item is ``deleted`` when its row is a tombstone or its share scope is
not shared (so un-sharing reaches harvesters as deletions).

The rows, the share settings and the data are read in one snapshot (a read transaction;
REPEATABLE READ on PostgreSQL), so a kind that reads several tables cannot mix two moments:
change numbers are taken inside write transactions, which commit in the order they took them,
so nothing can appear later below a cursor a harvester already passed.
"""
from __future__ import annotations

import contextlib

from core.db import database, is_postgres
from plugins.federation.kinds import FeedKind
from plugins.federation.sharing import shared_scopes

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
FEED_PATH = "/federation/v1/feeds/{kind}"


@contextlib.contextmanager
def snapshot():
    if is_postgres():
        with database.atomic(isolation_level="REPEATABLE READ"):
            yield
    else:
        with database.atomic(lock_type="DEFERRED"):
            yield


def next_url(kind: str, after: int, limit: int) -> str:
    return f"{FEED_PATH.format(kind=kind)}?afterChangeNumber={after}&limit={limit}"


def page(kind: FeedKind, after: int, limit: int) -> dict:
    if kind.prepare is not None:
        kind.prepare()
    with snapshot():
        rows = kind.scan(after, limit)
        shared = shared_scopes().get(kind.key, set())
        published = [row.item_id for row in rows if row.live and row.scope in shared]
        data = kind.load(published) if published else {}
    items = []
    for row in rows:
        content = data.get(row.item_id) if row.live and row.scope in shared else None
        item = {"state": "updated" if content is not None else "deleted", "kind": kind.key,
                "id": row.item_id, "modified": row.modified}
        if content is not None:
            item["data"] = content
        items.append(item)
    last = rows[-1].modified if rows else after
    return {"items": items, "next": next_url(kind.key, last, limit)}
