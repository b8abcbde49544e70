"""The pathways plugin's own hook, for the plugins that configure a pathway and want demo counts
for it (a municipality's plugin: the words and figures are the municipality's, not this plugin's).

Mark the implementation ``optionalhook=True``: the hook exists only while the pathways plugin is
enabled, and the plugin must still load without it. The pathways plugin adds this specification
to the plugin manager when it loads its demo data.
"""
from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def pathway_demo_reports(platform) -> list:
    """Pathway counts for the demo, each a dict: ``programme`` (slug), ``organisation`` (name, a
    partner of it), ``programme_year`` (1 = the programme's first year), ``half`` (1 or 2; left out
    for programmes counted per year), ``checked`` (whether the coordinator has checked it),
    ``counts`` (per step key ``[entered, moved on, left]``) and ``note`` (why the figures are
    illustrative). Recorded through the same rules as the form, once (idempotent)."""
