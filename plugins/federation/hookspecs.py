"""The federation plugin's own hook, for plugins that publish another kind of feed
(learnings, membership counts, survey results, pathway counts ...).

A plugin adds a kind by implementing ``register_feed_kinds`` and returning ``FeedKind``
objects (``plugins.federation.kinds``); counts go through ``AggregateKind``
(``plugins.federation.aggregates``), which suppresses small numbers and keeps change numbers
and tombstones for them. Mark the implementation ``optionalhook=True``: the hook exists only
while the federation plugin is enabled, and the plugin must still load without it::

    from core.hookspecs import hookimpl

    @hookimpl(optionalhook=True)
    def register_feed_kinds(platform):
        from plugins.federation.kinds import FeedKind
        return [FeedKind(key="learnings", ...)]

The federation plugin adds this specification to the plugin manager the first time it asks
for the kinds (``plugins.federation.kinds.kinds_for``).
"""
from __future__ import annotations

from core.hookspecs import hookspec


@hookspec
def register_feed_kinds(platform) -> list:
    """Feed kinds this plugin publishes and harvests (``plugins.federation.kinds.FeedKind``).
    Keys must be unique across plugins; called once per platform."""


# A worked example (what the knowledge plugin will write for its learnings):
#
#     from plugins.federation import kinds as k
#
#     def scan(after, limit):            # rows changed after a change number, in change order
#         query = (Learning.select(Learning.id, Learning.change_number, Learning.deleted_at,
#                                  Learning.municipality, Learning.visibility)
#                  .where(Learning.change_number > after)
#                  .order_by(Learning.change_number, Learning.id).limit(limit))
#         return [k.Row(str(r.id), r.change_number, r.deleted_at is None and r.visibility == "national",
#                       k.municipality_scope(r.municipality_id)) for r in query]
#
#     FeedKind("learnings", _("Learnings"), _("..."), scan, load, validate, facets, touch)
#
# ``Learning`` is a ``core.models.changes.Shareable`` (its save takes the change number inside
# the write transaction); a row that stops being shared nationally is published as 'deleted'.
