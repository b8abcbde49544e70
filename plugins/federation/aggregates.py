"""Published counts: computed from the instance's own rows, suppressed (``suppression``), and
kept as rows of their own so a count gets a change number when — and only when — its
published value changes, and a tombstone when it disappears.

``aggregate_kind`` turns a function that computes a table of counts into a ``FeedKind``: later
plugins publish membership counts, survey results or pathway counts the same way. The table
is refreshed just before a feed page is served (``prepare``), inside one write transaction.
A kind that can say cheaply whether its sources changed (``fingerprint``: a few indexed maxima
and counts) is computed again only when they did, so a harvester walking many pages, or coming
back to find nothing new, does not pay for a GROUP BY over every source row on each page.

The count published today is partners per programme type per municipality.
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable

from peewee import fn

from core import clock
from core.db import database, is_postgres
from core.i18n import lazy_gettext as _
from core.models.changes import ChangeCounter, touch
from core.models.membership import Membership
from core.models.municipality import Municipality
from core.models.programme import Programme
from plugins.federation import kinds as k
from plugins.federation.kinds import INSTANCE_SCOPE, FeedKind, Invalid, Row, municipality_scope
from plugins.federation.models import AggregateSource, PublishedAggregate
from plugins.federation.suppression import THRESHOLD, is_small, suppress_table

TOTAL = "*"


def _lock_counter() -> None:
    """Writers of change numbers queue here (SQLite's write transaction already queues them)."""
    if is_postgres():
        list(ChangeCounter.select().where(ChangeCounter.name == "global").for_update())


def refresh(kind: str, current: dict[str, tuple[int | None, dict]]) -> int:
    """Store ``{key: (municipality id, data)}`` as the published rows of ``kind``; returns how
    many rows changed. Unchanged rows keep their change numbers."""
    changed = 0
    with database.atomic():
        _lock_counter()
        existing = {row.key: row for row in PublishedAggregate.select().where(PublishedAggregate.kind == kind)}
        for key, (municipality_id, data) in current.items():
            text = json.dumps(data, sort_keys=True, ensure_ascii=False)
            row = existing.get(key)
            if row is not None and row.deleted_at is None and row.data == text and row.municipality_id == municipality_id:
                continue
            row = row or PublishedAggregate(kind=kind, key=key)
            row.data, row.municipality_id, row.deleted_at = text, municipality_id, None
            row.save()
            changed += 1
        for key, row in existing.items():
            if key not in current and row.deleted_at is None:
                row.deleted_at = clock.now()
                row.save()
                changed += 1
    return changed


def municipalities_fingerprint() -> str:
    """The municipalities' codes and names (published with every count), as one short text."""
    rows = Municipality.select(Municipality.id, Municipality.code, Municipality.name).order_by(Municipality.id).tuples()
    return hashlib.sha256(json.dumps(list(rows), ensure_ascii=False).encode()).hexdigest()[:16]


def max_change(model) -> int:
    """The newest change number of a shareable model (an index lookup): it grows with every save,
    soft delete and ``touch``."""
    return int(model.select(fn.MAX(model.change_number)).scalar() or 0)


def refresh_if_changed(kind: str, compute: Callable[[], dict], fingerprint: Callable[[], str]) -> bool:
    """Compute and store ``kind`` again unless its sources' fingerprint is the one it was last
    computed from; returns whether it computed. The fingerprint is read before computing, so a
    change that lands while computing makes the next call compute again, never the reverse."""
    current = fingerprint()
    stored = AggregateSource.get_or_none(AggregateSource.kind == kind)
    if stored is not None and stored.fingerprint == current:
        return False
    refresh(kind, compute())
    with database.atomic():
        (AggregateSource.insert(kind=kind, fingerprint=current, computed_at=clock.now())
         .on_conflict(conflict_target=[AggregateSource.kind],
                      update={AggregateSource.fingerprint: current, AggregateSource.computed_at: clock.now()})
         .execute())
    return True


def aggregate_kind(key: str, label, description, compute: Callable[[], dict[str, tuple[int | None, dict]]],
                   validate: Callable[[dict], dict], facets: Callable[[dict], dict],
                   fingerprint: Callable[[], str] | None = None) -> FeedKind:
    """A feed kind of counts computed by ``compute``; ``fingerprint`` (optional) says cheaply
    whether what ``compute`` reads changed (see ``refresh_if_changed``)."""
    def scan(after: int, limit: int) -> list[Row]:
        query = (PublishedAggregate.select(PublishedAggregate.key, PublishedAggregate.change_number,
                                           PublishedAggregate.deleted_at, PublishedAggregate.municipality_id)
                 .where(PublishedAggregate.kind == key, PublishedAggregate.change_number > after)
                 .order_by(PublishedAggregate.change_number, PublishedAggregate.key).limit(limit))
        return [Row(r.key, r.change_number, r.deleted_at is None, municipality_scope(r.municipality_id))
                for r in query]

    def load(item_ids: list[str]) -> dict[str, dict]:
        if not item_ids:
            return {}
        query = PublishedAggregate.select().where(PublishedAggregate.kind == key,
                                                  PublishedAggregate.key.in_(item_ids))
        return {row.key: json.loads(row.data) for row in query}

    def touch_scope(scope: str) -> int:
        condition = (PublishedAggregate.municipality_id.is_null() if scope == INSTANCE_SCOPE
                     else PublishedAggregate.municipality_id == int(scope.partition(":")[2]))
        return touch(PublishedAggregate, PublishedAggregate.kind == key, condition)

    def prepare() -> None:
        if fingerprint is None:
            refresh(key, compute())
        else:
            refresh_if_changed(key, compute, fingerprint)

    return FeedKind(key, label, description, scan, load, validate, facets, touch_scope, prepare=prepare)


# --- partners per programme type per municipality ---------------------------------------------

def partner_counts() -> dict[str, tuple[int | None, dict]]:
    """Live partners of live programmes, by municipality and programme type, suppressed; one
    row per municipality for its total. Types a municipality runs no programme of are left out
    (a structural 0)."""
    municipalities = {m.id: m for m in Municipality.select()}
    types_by_municipality: dict[int, set[str]] = {}
    for municipality_id, programme_type in (Programme.select(Programme.municipality, Programme.programme_type)
                                            .where(Programme.deleted_at.is_null()).distinct().tuples()):
        types_by_municipality.setdefault(municipality_id, set()).add(programme_type)
    counts = {(municipality_id, programme_type): 0
              for municipality_id, types in types_by_municipality.items() for programme_type in types}
    query = (Membership.select(Programme.municipality, Programme.programme_type, fn.COUNT(Membership.id))
             .join(Programme)
             .where(Membership.deleted_at.is_null(), Membership.role == "partner", Programme.deleted_at.is_null())
             .group_by(Programme.municipality, Programme.programme_type).tuples())
    for municipality_id, programme_type, count in query:
        counts[(municipality_id, programme_type)] = int(count)
    table = suppress_table(counts)
    published: dict[str, tuple[int | None, dict]] = {}
    for (municipality_id, programme_type), cell in table.cells.items():
        if programme_type not in types_by_municipality.get(municipality_id, set()):
            continue
        municipality = municipalities[municipality_id]
        published[f"{municipality.code}:{programme_type}"] = (municipality_id, {
            "municipality": {"code": municipality.code, "name": municipality.name},
            "programme_type": programme_type, "count": cell.value, "suppressed": cell.suppressed})
    for municipality_id, cell in table.row_totals.items():
        municipality = municipalities[municipality_id]
        published[f"{municipality.code}:{TOTAL}"] = (municipality_id, {
            "municipality": {"code": municipality.code, "name": municipality.name},
            "programme_type": None, "count": cell.value, "suppressed": cell.suppressed})
    return published


def partner_counts_fingerprint() -> str:
    """What ``partner_counts`` reads: memberships, programmes and the municipalities' names."""
    return f"{max_change(Membership)}:{max_change(Programme)}:{municipalities_fingerprint()}"


def validate_count(data: dict) -> dict:
    """A published count: never 1–4 (a peer that publishes one is refused, the whole page)."""
    suppressed = data.get("suppressed")
    if not isinstance(suppressed, bool):
        raise Invalid("suppressed: expected true or false")
    count = k.integer(data, "count", required=not suppressed)
    if suppressed and count is not None:
        raise Invalid("count: a suppressed count has no value")
    if is_small(count):
        raise Invalid(f"count: {count} is below {THRESHOLD} and must be suppressed")
    return {"municipality": k.municipality(data), "programme_type": k.optional_text(data, "programme_type", 80),
            "count": count, "suppressed": suppressed}


def count_facets(data: dict) -> dict:
    return {"municipality_code": data["municipality"]["code"], "municipality_name": data["municipality"]["name"],
            "programme_type": data["programme_type"] or "", "category": "total" if data["programme_type"] is None
            else "cell", "value": data["count"], "suppressed": data["suppressed"]}


def kinds() -> list[FeedKind]:
    return [aggregate_kind("partner_counts", _("Partners per programme type"),
                           _("How many partners each municipality's programmes of each type have; counts from 1 "
                             "to 4 are suppressed, and so is what would reveal them."),
                           partner_counts, validate_count, count_facets, partner_counts_fingerprint)]
