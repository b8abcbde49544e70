"""Events after commit: the core says what happened, plugins react, and neither knows the other.

A rule calls ``emit(name, obj, actor, **data)`` inside the write transaction that made the
change. The event waits until that transaction commits and is then handed to every plugin's
``on_committed(platform, event)`` hook, one implementation at a time; a rollback drops it, and
so does the rollback of a savepoint it was written in (``core.db.TrackedSavepoint``), so a
plugin never hears of something that did not happen. Outside a transaction an event goes out
at once.

Delivery runs in the thread that committed, after the commit, with the connection still
open: a plugin may read and write (in its own transaction). A plugin that fails is logged and
the others still hear the event; the change that raised the event stands. Work that takes
long belongs in a scheduled job (``core.jobs``), not in the handler.
"""
from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import Any

from core import clock, db

log = logging.getLogger("partnerskab.events")

# The events the core raises; plugins may raise their own with a name of their own prefix.
EVENT_NAMES = (
    "application.submitted",     # data: call, programme, organisation
    "application.decided",       # data: decision ('accepted' or 'rejected'), agreement, programme
    "agreement.created",         # data: programme, organisation, start, end, application
    "agreement.extended",        # data: previous_end, new_end, reason
    "agreement.ended",           # data: programme, organisation, end (raised by the daily core job)
    "resource_person.changed",   # data: change ('appointed' or 'ended'), agreement, person, previous
    "payment.requested",         # data: programme, organisation, kind, amount_ore
    "payment.approved",          # data: programme, organisation, amount_ore
    "payment.paid",              # data: programme, organisation, amount_ore, paid_on, reference
    "payment.cancelled",         # data: programme, organisation, amount_ore, reason
)


@dataclasses.dataclass(frozen=True)
class Event:
    """Something that happened and was committed. ``object_type`` and ``object_id`` name the
    row (e.g. 'agreement', 12); ``data`` holds plain values (ids, dates, amounts in øre)."""

    name: str
    object_type: str
    object_id: int | str | None
    actor: str
    data: dict[str, Any]
    at: datetime.datetime


def emit(name: str, obj: Any = None, actor: str = "", **data: Any) -> Event:
    """Raise an event; call inside the write transaction (it goes out once that commits)."""
    event = Event(name=name, object_type=type(obj).__name__.lower() if obj is not None else "",
                  object_id=obj.get_id() if hasattr(obj, "get_id") else obj,
                  actor=actor, data=dict(data), at=clock.now())
    database = db.database.obj
    if database is None:
        return event
    savepoints = [(savepoint, savepoint.generation) for savepoint in
                  (database.savepoint_stack() if hasattr(database, "savepoint_stack") else [])]

    def deliver():
        if any(savepoint.generation != generation for savepoint, generation in savepoints):
            return  # written in a savepoint that was rolled back: it did not happen
        _deliver(getattr(database, "platform", None), event)

    database.after_commit(deliver)
    return event


def _deliver(platform, event: Event) -> None:
    """Each plugin's ``on_committed`` in configuration order, the core's last; one failing
    plugin is logged and does not keep the event from the others."""
    if platform is None:
        return
    for impl in reversed(platform.pm.hook.on_committed.get_hookimpls()):
        if impl.hookwrapper or impl.wrapper:
            continue
        arguments = {"platform": platform, "event": event}
        try:
            impl.function(*[arguments[name] for name in impl.argnames])
        except Exception:
            log.exception("plugin %s failed on the event %s (%s %s)", impl.plugin_name, event.name,
                          event.object_type, event.object_id)


__all__ = ["EVENT_NAMES", "Event", "emit"]
