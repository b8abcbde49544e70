"""The knowledge plugin's own hook, for a plugin that keeps meetings (network life): a learning
can be linked to the meeting it came from, without either plugin depending on the other.

A plugin offers the meetings a person may link to by implementing ``linkable_meetings`` and
marking it ``optionalhook=True`` (the hook exists only while the knowledge plugin is enabled)::

    from core.hookspecs import hookimpl

    @hookimpl(optionalhook=True)
    def linkable_meetings(actor, programme_ids):
        return [Meeting("network_life:42", "Netværksmøde 3. marts 2026", "/meetings/42", programme_id)]

The learning keeps the meeting's key, words and address (a soft link): it still reads well when
the meetings plugin is switched off, and the meetings plugin's tables never point at learnings.
"""
from __future__ import annotations

import dataclasses
import sys
import threading

from core.hookspecs import hookspec

_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class Meeting:
    ref: str            # unique across plugins, e.g. 'network_life:42' (at most 100 characters)
    label: str          # how the learning names it (at most 200 characters)
    url: str = ""       # a path on this instance, e.g. '/meetings/42'
    programme_id: int | None = None


@hookspec
def linkable_meetings(actor, programme_ids: list[int]) -> list[Meeting]:
    """The meetings ``actor`` may link a learning to, in the programmes ``programme_ids`` (those
    the actor works in). Called when the learning form is shown and when it is saved; a fixed
    number of queries, whatever the data."""


def meetings_for(platform, actor, programme_ids) -> list[Meeting]:
    """Every enabled plugin's linkable meetings (none when no plugin keeps meetings)."""
    pm = platform.pm
    with _lock:
        caller = getattr(pm.hook, "linkable_meetings", None)
        if caller is None or caller.spec is None:
            pm.add_hookspecs(sys.modules[__name__])
    found = []
    for result in pm.hook.linkable_meetings(actor=actor, programme_ids=sorted(programme_ids)):
        for meeting in result or []:
            if isinstance(meeting, Meeting) and meeting.ref and len(meeting.ref) <= 100:
                found.append(meeting)
    return found
