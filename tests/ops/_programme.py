"""A programme of its own for a concurrency or load test, made through the rules in a process of
its own (the test process keeps its own database binding): ``python -m tests.ops._programme SLUG
MEMBERS BUDGET_KR``; prints JSON with the ids. Configured by the environment like a deployment."""
from __future__ import annotations

import datetime
import json
import sys

from core import db, settings
from core.platform import build
from core.rules import money, registry
from plugins.copenhagen import SOCIAL_PARTNERSHIPS

ACTOR = "test:ops"


def main(slug: str, members: int, budget_kr: int) -> dict:
    platform = build(settings.load())
    with db.connection():
        programme = registry.create_programme(platform, {
            "slug": slug, "name": f"Concurrency {slug}", "programme_type": SOCIAL_PARTNERSHIPS,
            "municipality": "0101", "start_date": datetime.date(2025, 1, 1)}, ACTOR)
        money.set_budget(programme_id=programme.id, year=2025, amount_ore=budget_kr * 100, actor=ACTOR)
        member_ids = []
        for n in range(members):
            organisation = registry.create_organisation(platform, {
                "name": f"{slug} member {n:03d}", "kind": "association", "municipality": "0101",
                "city": "København"}, ACTOR)
            registry.add_membership(programme=programme, organisation=organisation, role="partner",
                                    joined_on=datetime.date(2025, 1, 1), actor=ACTOR)
            member_ids.append(organisation.id)
        grant = money.record_grant(platform, programme_id=programme.id, organisation_id=member_ids[0], year=2025,
                                   amount_ore=200_000 * 100, actor=ACTOR)
    return {"programme_id": programme.id, "slug": programme.slug, "members": member_ids, "grant_id": grant.id}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
