"""The knowledge pages ask the same number of questions with a handful of learnings as with
hundreds more (and many comments, methods and harvested items): counted with peewee's query log
around real HTTP requests to the live server, which runs in this process."""
from __future__ import annotations

import datetime
import json

import pytest
from playhouse.test_utils import count_queries

from core import db
from core.models.account import Account
from core.models.agreement import Agreement
from core.models.organisation import Organisation
from core.models.programme import Programme
from plugins.federation.models import HarvestedItem, Peer
from plugins.knowledge.models import Comment, HarvestedKnowledge, Learning, Method
from tests.core.views._manage import as_user  # noqa: F401 - a fixture
from tests.plugins.knowledge.helpers import ADMIN, NATIONAL, SLAGELSE_COORDINATOR, SLAGELSE_MEMBER

NOW = datetime.datetime(2026, 1, 1, 12, 0)
ENGLISH = {"Accept-Language": "en"}


def _grow(count: int, made: dict) -> None:
    programme = Programme.get(Programme.slug == "slagelse-faellesskabsalliancen")
    member = Organisation.get(Organisation.slug == SLAGELSE_MEMBER)
    author = Account.get(Account.email == SLAGELSE_COORDINATOR)
    with db.database.atomic():
        for n in range(count):
            learning = Learning.create(
                title=f"Querygrowth {n}", summary="Vækst i data", body="tekst", municipality=programme.municipality_id,
                organisation=member.id if n % 2 else None, programme=programme.id, visibility=(
                    "network", "municipality", "national", "public")[n % 4], method="bridging",
                focus_area="general:bridging", author=author.id, author_name="Hanne", created_at=NOW, updated_at=NOW)
            made["learnings"].append(learning.id)
            if n % 10 == 0:
                method = Method.create(learning=learning.id, title=f"Querygrowth metode {n}", method_key="bridging",
                                       what="w", steps="s", municipality=programme.municipality_id,
                                       programme=programme.id, visibility="national", author=author.id,
                                       created_at=NOW, updated_at=NOW)
                made["methods"].append(method.id)
        first = made["learnings"][0]
        for n in range(count // 5):
            made["comments"].append(Comment.create(learning=first, author=author.id, author_name="Hanne",
                                                   body=f"kommentar {n}").id)
        peer = made.get("peer") or Peer.create(name="querygrowth-peer", base_url="http://127.0.0.1:9")
        made["peer"] = peer
        for n in range(count):
            kind = "methods" if n % 5 == 0 else "learnings"
            data = {"title": f"Høstet {n}", "summary": "s", "body": "b", "method": "bridging", "method_key": "bridging",
                    "municipality": {"code": "0330", "name": "Slagelse Kommune"},
                    "focus_area": {"key": f"general:{('bridging', 'parents')[n % 2]}",
                                   "title": {"da": "Brobygning", "en": "Bridging"}}, "created": "2026-01-01"}
            item = HarvestedItem.create(peer=peer.id, kind=kind, item_id=f"q{n}-{len(made['items'])}", modified=n + 1,
                                        data=json.dumps(data), municipality_code="0330")
            made["items"].append(item.id)


@pytest.fixture
def grown(app):
    made = {"learnings": [], "methods": [], "comments": [], "items": []}
    yield made
    with db.connection(), db.database.atomic():
        Comment.delete().where(Comment.id.in_(made["comments"] or [0])).execute()
        Method.delete().where(Method.id.in_(made["methods"] or [0])).execute()
        Learning.delete().where(Learning.id.in_(made["learnings"] or [0])).execute()
        HarvestedItem.delete().where(HarvestedItem.id.in_(made["items"] or [0])).execute()
        HarvestedKnowledge.delete().where(HarvestedKnowledge.item.in_(made["items"] or [0])).execute()
        if made.get("peer"):
            Peer.delete().where(Peer.id == made["peer"].id).execute()


def _pages(first_learning: int | None) -> dict[str, list[str]]:
    with db.connection():
        agreement = Agreement.select().join(Organisation).where(Organisation.slug == SLAGELSE_MEMBER).first()
    return {
        ADMIN: ["/learnings", "/learnings?q=querygrowth", "/learnings?method=bridging&focus_area=general%3Abridging",
                "/methods", "/methods?q=querygrowth", "/national/learnings", "/national/learnings?q=hostet",
                "/national"],
        SLAGELSE_COORDINATOR: ["/learnings", f"/agreements/{agreement.id}"]
        + ([f"/learnings/{first_learning}"] if first_learning else []),
        NATIONAL: ["/national/learnings?q=brobygning", "/national"],
    }


def _counts(clients: dict, pages: dict) -> dict[str, int]:
    counts = {}
    for email, paths in pages.items():
        for path in paths:
            clients[email].get(path, headers=ENGLISH)  # warm: caches, and the index of harvested items
            with count_queries() as counter:
                response = clients[email].get(path, headers=ENGLISH)
            assert response.status_code == 200, (email, path, response.status_code)
            counts[f"{email} {path}"] = counter.count
    return counts


def test_knowledge_pages_ask_the_same_number_of_questions_whatever_the_data(as_user, grown):
    clients = {email: as_user(email) for email in (ADMIN, SLAGELSE_COORDINATOR, NATIONAL)}
    with db.connection():
        _grow(3, grown)
    first = grown["learnings"][0]
    small = _counts(clients, _pages(first))
    with db.connection():
        _grow(300, grown)
    large = _counts(clients, _pages(first))
    assert small == large, {path: (small[path], large[path]) for path in small if small[path] != large[path]}
    with db.connection():
        assert HarvestedKnowledge.select().where(HarvestedKnowledge.item.in_(grown["items"])).count() == \
            len(grown["items"])
