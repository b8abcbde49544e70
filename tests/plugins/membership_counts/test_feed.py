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
