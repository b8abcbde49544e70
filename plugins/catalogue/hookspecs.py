"""The catalogue's own hook, for the plugin that keeps associations' yearly membership counts
(issue 9's "membership counts"): the reach dashboard shows membership development beside the
breadth of the offers when one answers, and says it has no counts when none does.

Implement it with ``optionalhook=True`` (the hook exists only while the catalogue is enabled)::

    from core.hookspecs import hookimpl

    @hookimpl(optionalhook=True)
    def catalogue_membership_totals(platform, actor, years):
        # the members counted at the end of each year, over the organisations the actor may see;
        # None for a year without counts (a gap, never a zero)
        return {year: total_or_none for year in years}

The catalogue adds this specification to the plugin manager the first time it asks
(``plugins.catalogue.dashboard.membership_totals``).
"""
from __future__ import annotations

from core.hookspecs import hookspec


@hookspec(firstresult=True)
def catalogue_membership_totals(platform, actor, years: list[int]) -> dict[int, int | None] | None:
    """Members counted at the end of each of ``years`` in the organisations ``actor`` may see
    (``core.tenancy``), as ``{year: total}``; ``None`` for a year without counts. Return None
    when the plugin has no counts at all. The first answer is used."""
