"""The yearly counts as a federation feed kind and as bench data: per municipality, metric and
year a total (small ones suppressed), nothing per organisation; every published item passes the
kind's own validation, as the national instance runs it on harvest."""
from __future__ import annotations

from core.models.municipality import Municipality
from core.models.organisation import Organisation
from plugins.federation.suppression import is_small
from plugins.membership_counts import feed
from plugins.membership_counts.models import MemberCount


def test_the_feed_publishes_totals_per_municipality_and_hides_small_ones(platform, dbconn):
    small = (Organisation.select().join(Municipality).where(Municipality.code == "0219")
             .order_by(Organisation.id).first())
    code = "0219"
    row = MemberCount.create(metric="coaches", organisation=small.id, year=2001, value=3)
    try:
        published = feed.compute()
        item = published[f"{code}:coaches:2001"][1]
        assert item["count"] is None and item["suppressed"] and item["organisations"] == 1
        copenhagen = published["0101:members_under_25:2022"][1]
        assert copenhagen["count"] >= 18_340 and copenhagen["organisations"] >= 25
        for _municipality, data in published.values():
            assert not is_small(data["count"])
            assert set(data) == {"municipality", "metric", "year", "count", "suppressed", "organisations"}
            assert feed.validate(data)["count"] == data["count"]
        assert feed.facets(feed.validate(copenhagen))["category"] == "members_under_25"
    finally:
        row.delete_instance()


def test_the_kind_is_registered_with_the_federation(platform):
    kinds = [kind.key for kinds in platform.pm.hook.register_feed_kinds(platform=platform) for kind in kinds]
    assert "membership_counts" in kinds and "survey_results" in kinds


def test_the_totals_are_computed_again_only_when_their_sources_change(platform, dbconn):
    """Before each feed page the kind makes sure its published totals are current. A GROUP BY over
    every yearly count on every page made a national instance publish 80 items a second, so the
    totals are computed again only when a count, an organisation or a municipality changed:
    nothing changed, nothing computed; any of those changed, the new total is published."""
    import json

    from core import clock
    from core.db import database
    from plugins.federation.aggregates import refresh_if_changed
    from plugins.federation.models import PublishedAggregate

    calls = []

    def counting_compute():
        calls.append(1)
        return feed.compute()

    def published(key):
        row = PublishedAggregate.get_or_none(PublishedAggregate.kind == feed.KIND, PublishedAggregate.key == key)
        return None if row is None or row.deleted_at is not None else json.loads(row.data)

    def again() -> bool:
        return refresh_if_changed(feed.KIND, counting_compute, feed.fingerprint)

    organisation = (Organisation.select().join(Municipality).where(Municipality.code == "0219",
                                                                   Organisation.deleted_at.is_null())
                    .order_by(Organisation.id).first())
    key = "0219:coaches:2002"
    again()  # computed or not, depending on what ran before
    before = len(calls)
    assert not again() and not again(), "nothing changed, yet the totals were computed again"
    row = MemberCount.create(metric="coaches", organisation=organisation.id, year=2002, value=40)
    try:
        assert again() and published(key)["count"] == 40
        assert not again()
        row.value, row.updated_at = 55, clock.now()  # a correction, as rules.enter_count makes one
        row.save()
        assert again() and published(key)["count"] == 55
        with database.atomic():
            organisation.soft_delete()  # its counts leave the totals
        try:
            assert again() and published(key) is None
        finally:
            with database.atomic():
                organisation.deleted_at = None
                organisation.save()
        assert again() and published(key)["count"] == 55
    finally:
        row.delete_instance()
    assert again() and published(key) is None  # a count removed: the total goes
    assert not again()
    assert len(calls) - before == 5  # once per change (five of them), and only then
