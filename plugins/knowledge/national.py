"""The national side: learnings and methods harvested from other instances, searchable and
counted by focus area.

The federation keeps every harvested item in ``HarvestedItem`` (its data as the peer published
it, checked by ``feed.validate_*``). ``sync`` keeps this plugin's ``HarvestedKnowledge`` rows —
the same items as the search reads them, with their full-text index — in step with those: new
and changed items (another change number) are written, items that are gone (a deletion, an
un-sharing, a sweep after a new epoch, a removed peer) are dropped. It runs every hour as a job
and, for a bounded batch, when a national page is opened, so a harvest shows at once.

Every function runs a fixed number of queries, whatever the data.
"""
from __future__ import annotations

import json

from peewee import JOIN, fn

from core.db import database
from plugins.knowledge import search
from plugins.knowledge.models import HarvestedKnowledge

KINDS = ("learnings", "methods")
BATCH = 500
PAGE_SIZE = 20


def available(platform) -> bool:
    """Harvesting happens only where the federation plugin is enabled."""
    return platform.pm.has_plugin("federation")


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _row(item, peer_name: str) -> dict:
    data = json.loads(item.data)
    focus = data.get("focus_area") or {}
    titles = focus.get("title") or {}
    municipality = data.get("municipality") or {}
    if item.kind == "methods":
        body = "\n".join(_text(data.get(field)) for field in ("what", "for_whom", "steps", "what_it_takes", "evidence"))
        summary, method_key = _text(data.get("what"))[:500], _text(data.get("method_key"))
    else:
        body, summary, method_key = _text(data.get("body")), _text(data.get("summary")), _text(data.get("method"))
    created = _text(data.get("created"))
    return {"item": item.id, "modified": item.modified, "kind": item.kind, "peer": peer_name[:100],
            "remote_id": item.item_id[:100], "title": _text(data.get("title"))[:200], "summary": summary,
            "body": body, "municipality_code": _text(municipality.get("code"))[:4],
            "municipality_name": _text(municipality.get("name"))[:100],
            "organisation_name": _text((data.get("organisation") or {}).get("name"))[:200],
            "programme_name": _text((data.get("programme") or {}).get("name"))[:200],
            "focus_area": _text(focus.get("key"))[:120], "focus_area_da": _text(titles.get("da"))[:200],
            "focus_area_en": _text(titles.get("en"))[:200], "target_group": _text(data.get("target_group"))[:40],
            "method_key": method_key[:40], "url": _text(data.get("url"))[:300],
            "year": int(created[:4]) if created[:4].isdecimal() else None}


def sync(platform, limit: int | None = None) -> tuple[int, int]:
    """Bring the index up to date (at most ``limit`` new or changed items); returns (written, dropped)."""
    if not available(platform):
        return 0, 0
    from plugins.federation.models import HarvestedItem, Peer
    with database.atomic():
        gone = (HarvestedKnowledge.delete()
                .where(HarvestedKnowledge.item.not_in(HarvestedItem.select(HarvestedItem.id)
                                                      .where(HarvestedItem.kind.in_(KINDS))))
                .execute())
        stale = (HarvestedItem.select(HarvestedItem, Peer.name)
                 .join(Peer)
                 .join_from(HarvestedItem, HarvestedKnowledge, JOIN.LEFT_OUTER,
                            on=(HarvestedKnowledge.item == HarvestedItem.id))
                 .where(HarvestedItem.kind.in_(KINDS),
                        HarvestedKnowledge.id.is_null() | (HarvestedKnowledge.modified != HarvestedItem.modified))
                 .order_by(HarvestedItem.id))
        if limit is not None:
            stale = stale.limit(limit)
        rows = [_row(item, item.peer.name) for item in stale]
        if rows:
            ids = [row["item"] for row in rows]
            HarvestedKnowledge.delete().where(HarvestedKnowledge.item.in_(ids)).execute()
            for start in range(0, len(rows), BATCH):
                HarvestedKnowledge.insert_many(rows[start:start + BATCH]).execute()
    return len(rows), gone


def search_items(query: str, focus_area: str = "", kind: str = "", page: int = 1) -> tuple[list, bool]:
    """A page of harvested learnings and methods matching the query, newest first; and whether
    there are more."""
    rows = HarvestedKnowledge.select()
    condition = search.match(HarvestedKnowledge, query)
    if condition is not None:
        rows = rows.where(condition)
    if focus_area:
        rows = rows.where(HarvestedKnowledge.focus_area == focus_area)
    if kind in KINDS:
        rows = rows.where(HarvestedKnowledge.kind == kind)
    found = list(rows.order_by(HarvestedKnowledge.kind, HarvestedKnowledge.id.desc())
                 .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1))
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE


def methods_beside(method_keys: set[str], limit: int = 200) -> dict[str, list[HarvestedKnowledge]]:
    """Harvested methods of each kind of method, from every instance: one query."""
    if not method_keys:
        return {}
    found: dict[str, list] = {}
    for row in (HarvestedKnowledge.select()
                .where(HarvestedKnowledge.kind == "methods", HarvestedKnowledge.method_key.in_(sorted(method_keys)))
                .order_by(HarvestedKnowledge.municipality_name, HarvestedKnowledge.title).limit(limit)):
        found.setdefault(row.method_key, []).append(row)
    return found


def by_focus_area() -> list[dict]:
    """Per focus area (as published, by key), how many learnings and methods were harvested:
    one grouped query. Items without a focus area come last."""
    table: dict[str, dict] = {}
    for key, da, en, kind, count in (
            HarvestedKnowledge.select(HarvestedKnowledge.focus_area, fn.MAX(HarvestedKnowledge.focus_area_da),
                                      fn.MAX(HarvestedKnowledge.focus_area_en), HarvestedKnowledge.kind,
                                      fn.COUNT(HarvestedKnowledge.id))
            .group_by(HarvestedKnowledge.focus_area, HarvestedKnowledge.kind).tuples()):
        entry = table.setdefault(key, {"key": key, "da": da or "", "en": en or "", "learnings": 0, "methods": 0})
        entry[kind] = int(count)
    return sorted(table.values(), key=lambda entry: (entry["key"] == "", entry["da"] or entry["key"]))


def publishing_peers(platform) -> tuple[list[str], list[str]]:
    """(peers harvested for learnings, active peers that publish no learnings): the chart says
    which instances are missing rather than counting them as zero."""
    if not available(platform):
        return [], []
    from plugins.federation.models import HarvestCursor, Peer
    peers = list(Peer.select(Peer.id, Peer.name).where(Peer.active == True).order_by(Peer.name))  # noqa: E712
    read = {peer_id for (peer_id,) in HarvestCursor.select(HarvestCursor.peer)
            .where(HarvestCursor.kind == "learnings").tuples()}
    return [p.name for p in peers if p.id in read], [p.name for p in peers if p.id not in read]


def item_data(item_id: int) -> dict | None:
    """The harvested item's data as the peer published it (checked on harvest)."""
    from plugins.federation.models import HarvestedItem
    row = HarvestedItem.get_or_none(HarvestedItem.id == item_id)
    return json.loads(row.data) if row is not None else None
