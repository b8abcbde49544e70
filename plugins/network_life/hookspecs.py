"""The network-life plugin's own hook: how a municipality's plugin configures action plans and
meetings for its programme types, without copying code.

A municipality's plugin implements it and marks it ``optionalhook=True`` (the hook exists only
while this plugin is enabled, and the municipality's plugin must load without it)::

    from core.hookspecs import hookimpl

    @hookimpl(optionalhook=True)
    def network_life_programme_types(platform):
        from plugins.network_life.config import ProgrammeSettings, Requirement
        return [ProgrammeSettings("copenhagen-social-partnerships", required=(...), ...)]

A programme type that no plugin configures gets ``config.DEFAULT``: every meeting kind, no
required meetings, action plans when the type has focus areas.
"""
from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def network_life_programme_types(platform) -> list:
    """``plugins.network_life.config.ProgrammeSettings`` for this plugin's programme types: which
    meeting kinds the programme holds, the meetings required per association and year, how many
    network meetings it plans, whether associations write action plans, and the illustrative demo
    of its network life. Called once per platform; a programme type is configured once."""
