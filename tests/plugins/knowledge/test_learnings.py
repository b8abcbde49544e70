"""Learnings over HTTP as people use them: writing one (and the form's refusals), reading it per
visibility, role and tenancy, searching with Danish letters folded, commenting, promoting it to
the method library, editing and deleting it, and the handover kit on an agreement's page."""
from __future__ import annotations

import re
import uuid

import pytest

from core import authz, db, tenancy
from core.auth.web import actor_for
from core.models.account import Account
from core.models.agreement import Agreement
from core.models.audit import AuditEntry
from core.models.organisation import Organisation
from plugins.knowledge.models import Comment, Learning, Method
from tests.core.auth.conftest import csrf_from, make_account  # noqa: F401 - a fixture
from tests.core.views._manage import as_user  # noqa: F401 - a fixture
from tests.plugins.knowledge.helpers import (ADMIN, HILLEROD_COORDINATOR, KBH_ADMIN, NATIONAL, RBBC_RESOURCE_PERSON,
                                             SLAGELSE_ADMIN, SLAGELSE_COORDINATOR, SLAGELSE_MEMBER, post, write)


@pytest.fixture
def member_person(make_account):
    """A resource person of an association in Slagelse's network (a partner of the programme)."""
    from core.demo import DEMO_PASSWORD
    return make_account(role="resource_person", municipality=None, organisation=SLAGELSE_MEMBER,
                        password=DEMO_PASSWORD)


def test_writing_a_learning_saves_it_and_audits_it(as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    title = f"Brobygning via ungeguider {uuid.uuid4().hex[:6]}"
    learning_id = write(coordinator, title=title, summary="Unge guider gør første besøg lettere.",
                        body="## Sådan gjorde vi\n\n1. Vi fandt **to** guider.\n2. De tog med første gang.",
                        visibility="national", focus_area="general:bridging", target_group="youth_16_24",
                        method="bridging")
    page = coordinator.get(f"/learnings/{learning_id}?saved=created")
    assert page.status_code == 200
    assert title in page.text and "<h4>Sådan gjorde vi</h4>" in page.text and "<strong>to</strong>" in page.text
    assert 'role="status"' in page.text
    with db.connection():
        learning = Learning.get_by_id(learning_id)
        assert (learning.visibility, learning.method, learning.focus_area) == ("national", "bridging",
                                                                                "general:bridging")
        assert learning.municipality.code == "0330" and learning.programme.slug == "slagelse-faellesskabsalliancen"
        assert learning.author.email == SLAGELSE_COORDINATOR and learning.change_number > 0
        assert AuditEntry.select().where(AuditEntry.action == "knowledge.learning.create",
                                         AuditEntry.object_id == str(learning_id)).exists()


def test_the_form_says_what_is_wrong_and_writes_nothing(as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    with db.connection():
        before = Learning.select().count()
        foreign = Organisation.get(Organisation.slug == "roskilde-basketball-club-rbbc").id
    page = coordinator.get("/learnings/new")
    response = coordinator.post("/learnings/new", data={
        "title": "", "summary": "x" * 501, "body": "y" * 20_001, "visibility": "everybody", "organisation": foreign,
        "focus_area": "nowhere:1", "target_group": "martians", "method": "magic", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422
    text = response.text
    for field in ("title", "summary", "body", "visibility", "organisation", "focus_area", "target_group", "method"):
        assert f'id="f-{field}-error"' in text, field
    assert "Write at most 500 characters (you wrote 501)" in text and "you wrote 20001" in text
    with db.connection():
        assert Learning.select().count() == before
    # a focus area of another programme type than the learning's programme is refused too
    page = coordinator.get("/learnings/new")
    response = coordinator.post("/learnings/new", data={
        "title": "T", "summary": "S", "visibility": "network", "programme": str(_programme_id()),
        "focus_area": "copenhagen-social-partnerships:1", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 422 and 'id="f-focus_area-error"' in response.text


def _programme_id() -> int:
    from core.models.programme import Programme
    with db.connection():
        return Programme.get(Programme.slug == "slagelse-faellesskabsalliancen").id


def test_the_form_in_danish(as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    coordinator.cookies.set("lang", "da")
    page = coordinator.get("/learnings/new")
    assert page.status_code == 200 and "Skriv en erfaring" in page.text and "Hvem må læse den" in page.text


def test_who_reads_what(as_user, member_person):
    """Each visibility against each kind of reader: governors, the network, the municipality,
    everyone with a login, the public, and another municipality."""
    coordinator = as_user(SLAGELSE_COORDINATOR)
    made = {visibility: write(coordinator, visibility=visibility, title=f"{visibility} {uuid.uuid4().hex[:6]}",
                              organisation="frivilligcenter-slagelse")
            for visibility in ("network", "municipality", "national", "public")}
    readers = {
        "the coordinator who wrote them": (coordinator, {"network", "municipality", "national", "public"}),
        "the municipality's administrator": (as_user(SLAGELSE_ADMIN), {"network", "municipality", "national",
                                                                       "public"}),
        "an association in the network": (as_user(member_person), {"network", "municipality", "national", "public"}),
        "another municipality's administrator": (as_user(KBH_ADMIN), {"national", "public"}),
        "another volunteer centre": (as_user(HILLEROD_COORDINATOR), {"national", "public"}),
        "an association elsewhere": (as_user(RBBC_RESOURCE_PERSON), {"national", "public"}),
        "the national coordinator": (as_user(NATIONAL), {"national", "public"}),
        "the platform administrator": (as_user(ADMIN), {"network", "municipality", "national", "public"}),
        "the public": (as_user(), {"public"}),
    }
    for reader, (client, allowed) in readers.items():
        listed = [int(n) for n in re.findall(r'<h2><a href="/learnings/(\d+)">', client.get("/learnings").text)]
        for visibility, learning_id in made.items():
            status = client.get(f"/learnings/{learning_id}").status_code
            assert status == (200 if visibility in allowed else 404), (reader, visibility, status)
            assert (learning_id in listed) == (visibility in allowed), (reader, visibility)


def test_lists_and_single_rows_agree_with_the_rules(platform, dbconn, member_person):
    """``readable`` (lists) and loading one row agree, and governing (edit) is ``scoped``/``can``."""
    from plugins.knowledge.visibility import reach_of, readable
    for email in (SLAGELSE_COORDINATOR, KBH_ADMIN, RBBC_RESOURCE_PERSON, NATIONAL, member_person):
        actor = actor_for(platform, Account.get(Account.email == email))
        listed = {row.id for row in tenancy.scoped(Learning.select(), Learning, actor, "knowledge.write")}
        allowed = {row.id for row in Learning.select() if authz.can(actor, "knowledge.write", row)}
        assert listed == allowed, email
        live = {row.id for row in Learning.select().where(Learning.deleted_at.is_null())}
        readable_ids = {row.id for row in Learning.select().where(readable(Learning, reach_of(actor)))}
        assert listed & live <= readable_ids <= live, email  # who governs a learning reads it


def test_search_folds_danish_letters(as_user):
    coordinator = as_user(HILLEROD_COORDINATOR)
    marker = uuid.uuid4().hex[:8]
    learning_id = write(coordinator, title=f"Erfaringer fra Hillerød {marker}", visibility="public",
                        programme="hillerod-tuff", summary="Børn og unge i Æbelø-klubben fandt vej.")
    public = as_user()
    for query in ("hillerod", "Hillerød", "HILLEROED", "hilleroed", "born aebelo", "Æbelø", "hiller"):
        found = public.get("/learnings", params={"q": f"{query} {marker}"})
        assert found.status_code == 200
        assert f'href="/learnings/{learning_id}"' in found.text, query
    assert f'href="/learnings/{learning_id}"' not in public.get("/learnings", params={"q": f"roskilde {marker}"}).text


def test_comments_belong_to_those_who_work_there(as_user, member_person):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    learning_id = write(coordinator, visibility="national")
    member = as_user(member_person)
    page = member.get(f"/learnings/{learning_id}")
    assert 'action="/learnings/%d/comments"' % learning_id in page.text
    response = member.post(f"/learnings/{learning_id}/comments",
                           data={"comment": "Det prøver vi også!", "csrf_token": csrf_from(page.text)})
    assert response.status_code == 303
    page = coordinator.get(f"/learnings/{learning_id}")
    assert "Det prøver vi også!" in page.text
    # an empty comment is refused with a message; nothing is written
    refused = post(member, f"/learnings/{learning_id}/comments", {"comment": "  "}, f"/learnings/{learning_id}")
    assert refused.status_code == 422 and 'id="f-comment-error"' in refused.text
    # another municipality reads the national learning but neither sees nor joins the conversation
    outsider = as_user(KBH_ADMIN)
    seen = outsider.get(f"/learnings/{learning_id}")
    assert seen.status_code == 200 and "Det prøver vi også!" not in seen.text and "/comments" not in seen.text
    assert post(outsider, f"/learnings/{learning_id}/comments", {"comment": "Hej"}, "/learnings").status_code == 404
    with db.connection():
        comment = Comment.get(Comment.learning == learning_id)
    # only the author (or someone who governs the learning) deletes it
    assert post(as_user(SLAGELSE_ADMIN), f"/learnings/{learning_id}/comments/{comment.id}/delete", {},
                "/learnings").status_code == 303
    with db.connection():
        assert not Comment.select().where(Comment.id == comment.id).exists()


def test_a_learning_becomes_a_method(as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    learning_id = write(coordinator, visibility="national", method="bridging", title=f"Metodeklar {uuid.uuid4().hex[:6]}")
    # an association's person may not promote
    person = as_user(RBBC_RESOURCE_PERSON)
    assert person.get(f"/learnings/{learning_id}/promote").status_code == 403
    form = coordinator.get(f"/learnings/{learning_id}/promote")
    assert form.status_code == 200 and 'name="steps"' in form.text
    refused = coordinator.post(f"/learnings/{learning_id}/promote", data={
        "title": "", "method_key": "nonsense", "what": "", "steps": "", "visibility": "national",
        "csrf_token": csrf_from(form.text)})
    assert refused.status_code == 422
    for field in ("title", "method_key", "what", "steps"):
        assert f'id="f-{field}-error"' in refused.text
    made = coordinator.post(f"/learnings/{learning_id}/promote", data={
        "title": "Ungeguider", "method_key": "bridging", "what": "Unge guider følger nye unge.",
        "for_whom": "Unge 16–24", "steps": "1. Find guider\n2. Følg med", "what_it_takes": "Tid",
        "evidence": "Illustrativt", "visibility": "national", "csrf_token": csrf_from(form.text)})
    assert made.status_code == 303
    method_url = made.headers["location"].split("?")[0]
    page = coordinator.get(method_url)
    assert page.status_code == 200 and "Ungeguider" in page.text and "<li>Find guider</li>" in page.text
    assert "Ungeguider" in coordinator.get("/methods?method=bridging").text
    # a second promotion shows the method, and makes no second one
    again = coordinator.post(f"/learnings/{learning_id}/promote", data={
        "title": "Igen", "method_key": "bridging", "what": "x", "steps": "y", "visibility": "national",
        "csrf_token": csrf_from(form.text)})
    assert again.status_code == 200 and "Ungeguider" in again.text
    with db.connection():
        assert Method.select().where(Method.learning == learning_id).count() == 1
        assert AuditEntry.select().where(AuditEntry.action == "knowledge.method.create").exists()


def test_editing_and_deleting_are_for_those_who_govern_it(as_user):
    coordinator = as_user(SLAGELSE_COORDINATOR)
    learning_id = write(coordinator, visibility="national")
    for outsider in (as_user(KBH_ADMIN), as_user(HILLEROD_COORDINATOR)):
        assert outsider.get(f"/learnings/{learning_id}/edit").status_code == 404
        assert post(outsider, f"/learnings/{learning_id}/delete", {}, "/learnings").status_code == 404
    form = coordinator.get(f"/learnings/{learning_id}/edit")
    assert form.status_code == 200
    values = {"title": "Ændret titel", "summary": "Ny", "visibility": "municipality",
              "programme": str(_programme_id()), "csrf_token": csrf_from(form.text)}
    assert coordinator.post(f"/learnings/{learning_id}/edit", data=values).status_code == 303
    assert "Ændret titel" in coordinator.get(f"/learnings/{learning_id}").text
    assert as_user(KBH_ADMIN).get(f"/learnings/{learning_id}").status_code == 404  # no longer national
    assert post(coordinator, f"/learnings/{learning_id}/delete", {}, f"/learnings/{learning_id}").status_code == 303
    assert coordinator.get(f"/learnings/{learning_id}").status_code == 404
    with db.connection():
        assert Learning.get_by_id(learning_id).deleted_at is not None  # a tombstone for the feeds


def test_the_handover_kit_on_the_agreement_page(as_user):
    with db.connection():
        agreement = (Agreement.select().join(Organisation)
                     .where(Organisation.slug == SLAGELSE_MEMBER).first())
    assert agreement is not None
    coordinator = as_user(SLAGELSE_COORDINATOR)
    # the newest come first (other tests write in this programme too, so these are written here)
    own_title, network_title = f"Egen erfaring {uuid.uuid4().hex[:6]}", f"Netværkets erfaring {uuid.uuid4().hex[:6]}"
    write(coordinator, title=own_title, organisation=SLAGELSE_MEMBER)
    write(coordinator, title=network_title)
    page = coordinator.get(f"/agreements/{agreement.id}")
    assert page.status_code == 200
    kit = page.text[page.text.index('id="knowledge-handover-kit"'):]
    kit = kit[:kit.index("</section>")]
    own = kit[kit.index('id="knowledge-own"'):kit.index('id="knowledge-network"')]
    network = kit[kit.index('id="knowledge-network"'):]
    assert own_title in own and network_title not in own  # the association's own
    assert network_title in network and own_title not in network  # the network's
    assert "/learnings/new?programme=" in kit
