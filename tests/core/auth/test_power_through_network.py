"""Power through the network, tried from outside over HTTP (issue 7, security item 1).

Taking part in a programme's network never gives anyone power over an organisation: an
organisation is governed only through its own municipality or its own people, and a national
body (no municipality) only by its own people and the platform administrator. Nobody invites
themselves, and nobody accepts an invitation they sent. Each test here replays a path a
volunteer-centre coordinator (or an organisation's own people) used, or could use, to reach
another organisation: invitations, the organisation form, applications, agreements and
resource persons, and the API.
"""
from __future__ import annotations

import uuid

import httpx

from core import db, mail
from core.models import Account, AuditEntry, Membership, Organisation, Programme, RoleAssignment
from core.models.agreement import Agreement
from core.models.application import Application
from core.models.call import Call
from core.models.tokens import Invitation
from core.rules import registry
from tests.core.api.conftest import token_for
from tests.core.auth.conftest import csrf_from, login
from tests.core.auth.test_invitations import accept, invite, link_for, logged_in, new_address

SLAGELSE_PROGRAMME = "slagelse-faellesskabsalliancen"
CENTRE = "frivilligcenter-slagelse"
FRISE = "frivilligcentre-selvhjaelp-danmark-frise"
SOCIALSTYRELSEN = "socialstyrelsen"


def _centre_with_programme(platform):
    """A fresh volunteer centre (in the rules tests' municipality) owning a programme of its own."""
    from tests.core.rules.conftest import Builder, SLAGELSE_TYPE
    with db.connection():
        build = Builder(platform)
        centre = build.organisation("volunteer_centre", f"Frivilligcenter Test {uuid.uuid4().hex[:8]}")
        programme = build.programme(SLAGELSE_TYPE, owner=centre)
    return centre, programme


def _national_body_in_another_network(platform) -> Organisation:
    """A fresh national body (no municipality), already in another municipality's network."""
    from tests.core.rules.conftest import COPENHAGEN_TYPE
    with db.connection():
        body = registry.create_organisation(platform, {"name": f"Landsforening {uuid.uuid4().hex[:8]}",
                                                       "kind": "national_body"}, "test")
        elsewhere = registry.ensure_municipality("0992", "Testkommune for netværk")
        programme = registry.create_programme(platform, {
            "name": f"Netværksprogram {uuid.uuid4().hex[:8]}", "programme_type": COPENHAGEN_TYPE,
            "municipality": elsewhere.code, "start_date": "2024-01-01"}, "test")
        registry.add_membership(programme=programme, organisation=body, role="local_actor", joined_on=None,
                                actor="test")
    return body


def _coordinator(client_factory, make_account, centre: str = CENTRE):
    email = make_account(role="volunteer_centre_coordinator", municipality=None, organisation=centre)
    client = client_factory(**{"Accept-Language": "en"})
    assert login(client, email).status_code == 303
    return client, email


def _no_invitation(email: str) -> None:
    with db.connection():
        assert not Invitation.select().where(Invitation.email == email).exists(), email
        assert mail.outbox(to=email) == [], email


def test_a_coordinator_who_adds_a_national_body_to_its_network_gains_no_power_over_it(
        platform, client_factory, make_account):
    body = _national_body_in_another_network(platform)
    centre, programme = _centre_with_programme(platform)
    coordinator, own_email = _coordinator(client_factory, make_account, centre.slug)
    network = f"/manage/programmes/{programme.slug}/network"
    page = coordinator.get(network)
    added = coordinator.post(network, data={"csrf_token": csrf_from(page.text), "organisation": str(body.id),
                                            "role": "local_actor", "joined_on": ""})
    assert added.status_code == 303  # taking part in the network is allowed ...
    with db.connection():
        assert Membership.select().where(Membership.programme == programme.id,
                                         Membership.organisation == body.id).exists()
    # ... but gives no power over the body: not through an invitation (to itself or anyone) ...
    form = coordinator.get("/invitations/new")
    assert f'value="{body.slug}"' not in form.text
    for email in (own_email, new_address()):
        for role in ("board_member", "resource_person"):
            response = invite(coordinator, email=email, role=role, organisation=body.slug)
            assert response.status_code == 403, (email, role)
            assert ("You cannot invite yourself" if email == own_email else "places you govern") in response.text
    _no_invitation(own_email)
    # ... not through its profile ...
    assert coordinator.get(f"/manage/organisations/{body.slug}/edit").status_code == 404
    # ... and not in its name: there is nothing to apply for it with
    with db.connection():
        assert not RoleAssignment.select().join(Account).where(Account.email == own_email,
                                                               RoleAssignment.organisation == body.id).exists()


def test_national_bodies_already_in_the_network_are_out_of_reach_too(client_factory, make_account):
    coordinator, own_email = _coordinator(client_factory, make_account)
    for slug in (FRISE, SOCIALSTYRELSEN):
        with db.connection():  # both are in Fællesskabsalliancen's network in the demo
            assert Membership.select().join(Organisation).where(Organisation.slug == slug).exists()
        for email in (own_email, new_address()):
            assert invite(coordinator, email=email, role="board_member", organisation=slug).status_code == 403
        assert coordinator.get(f"/manage/organisations/{slug}/edit").status_code == 404
    _no_invitation(own_email)


def test_a_coordinator_invites_no_one_into_the_associations_of_its_network(client_factory, make_account):
    """Local associations in the network belong to their municipality and their own people."""
    coordinator, _ = _coordinator(client_factory, make_account)
    with db.connection():
        member = (Organisation.select().join(Membership).join(Programme)
                  .where(Programme.slug == SLAGELSE_PROGRAMME, Organisation.kind == "association")
                  .order_by(Organisation.name).first())
    email = new_address()
    assert invite(coordinator, email=email, role="resource_person", organisation=member.slug).status_code == 403
    _no_invitation(email)


def test_the_municipality_invites_into_its_organisations_and_only_the_platform_into_national_bodies(
        client_factory, make_account):
    admin = logged_in(client_factory, make_account, role="municipality_admin", municipality="0330")
    with db.connection():
        association = (Organisation.select().join(Membership).join(Programme)
                       .where(Programme.slug == SLAGELSE_PROGRAMME, Organisation.kind == "association")
                       .order_by(Organisation.name).first())
    assert invite(admin, email=new_address(), role="board_member", organisation=association.slug).status_code == 200
    email = new_address()
    assert invite(admin, email=email, role="board_member", organisation=FRISE).status_code == 403
    _no_invitation(email)
    from core.demo import DEMO_PASSWORD
    platform_admin = client_factory()
    assert login(platform_admin, "admin@partnerskab.test", DEMO_PASSWORD).status_code == 303
    assert invite(platform_admin, email=new_address(), role="board_member", organisation=FRISE).status_code == 200


def test_nobody_invites_their_own_address(client_factory, make_account):
    admin = client_factory(**{"Accept-Language": "en"})
    own = make_account(role="municipality_admin", municipality="0101")
    assert login(admin, own).status_code == 303
    for written in (own, own.upper(), f"  {own} "):
        response = invite(admin, email=written, role="consultant", municipality="0101")
        assert response.status_code == 403, written
        assert "You cannot invite yourself" in response.text
    _no_invitation(own)
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action == "permission.denied",
                                         AuditEntry.actor.endswith(own)).exists()


def test_the_inviter_cannot_accept_their_own_invitation(client_factory, make_account):
    admin_email = make_account(role="municipality_admin", municipality="0101")
    admin = client_factory(**{"Accept-Language": "en"})
    assert login(admin, admin_email).status_code == 303
    email = new_address()
    assert invite(admin, email=email, role="consultant", municipality="0101").status_code == 200
    path = link_for(email)
    # the inviter, logged in, opens their own link and sets up "the new account" themselves
    response = accept(admin, path, name="Min anden konto")
    assert response.status_code == 403
    assert "You sent this invitation" in response.text
    with db.connection():
        assert not Account.select().where(Account.email == email).exists()
        assert Invitation.get(Invitation.email == email).used_at is None
    # the person it was meant for still can
    assert accept(client_factory(), path).status_code == 303
    with db.connection():
        inviter = Account.get(Account.email == admin_email)
        row = RoleAssignment.select().join(Account).where(Account.email == email).get()
        assert row.granted_by_id == inviter.id  # who granted the role is on the row


def test_an_account_cannot_take_an_invitation_it_sent_to_its_own_existing_address(
        platform, client_factory, make_account):
    """A stored invitation from an account to its own address (made before the invite check,
    or by hand) is still refused when accepted."""
    from core.auth import tokens
    admin_email = make_account(role="municipality_admin", municipality="0101")
    with db.connection():
        admin_account = Account.get(Account.email == admin_email)
        from core.models import Municipality
        token, token_hash, expires_at = tokens.issue(platform.settings, tokens.INVITATION)
        Invitation.create(token_hash=token_hash, email=admin_email, role="municipality_admin",
                          municipality=Municipality.get(Municipality.code == "0101"), invited_by=admin_account.id,
                          expires_at=expires_at)
    client = client_factory(**{"Accept-Language": "en"})
    assert login(client, admin_email).status_code == 303
    path = f"/invitations/{token}"
    response = client.post(path, data={"csrf_token": csrf_from(client.get(path).text)})
    assert response.status_code == 403
    with db.connection():
        assert RoleAssignment.select().where(RoleAssignment.account == admin_account.id).count() == 1


def _board_member_of_the_centre(client_factory, make_account):
    email = make_account(role="board_member", municipality=None, organisation=CENTRE)
    client = client_factory(**{"Accept-Language": "en"})
    assert login(client, email).status_code == 303
    return client, email


def test_the_people_of_a_programme_owning_centre_act_for_the_centre_only(client_factory, make_account, live_server):
    """A board member of the volunteer centre is the centre's own person: the programme the
    centre owns, and the applications and agreements of other associations in it, are not theirs."""
    client, email = _board_member_of_the_centre(client_factory, make_account)
    with db.connection():
        others = list(Application.select().join(Organisation).switch(Application).join(Call).join(Programme)
                      .where(Programme.slug == SLAGELSE_PROGRAMME, Organisation.slug != CENTRE))
        agreements = list(Agreement.select().join(Programme).where(Programme.slug == SLAGELSE_PROGRAMME))
    assert others and agreements
    listing = client.get("/applications")
    assert listing.status_code == 200
    token = csrf_from(client.get("/me").text)
    for application in others:
        assert f"/applications/{application.id}\"" not in listing.text
        assert client.get(f"/applications/{application.id}").status_code == 404
        withdrawn = client.post(f"/applications/{application.id}/withdraw", data={"csrf_token": token})
        assert withdrawn.status_code == 404
    for agreement in agreements:
        assert client.get(f"/agreements/{agreement.id}").status_code == 404
    with db.connection():
        assert all(Application.get_by_id(a.id).status == a.status for a in others)
    # the same through the API
    with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {token_for(email)}"}) as api:
        seen = {item["id"] for item in api.get("/api/v1/applications", params={"limit": 200}).json()["items"]}
        assert not seen & {a.id for a in others}
        assert api.get(f"/api/v1/applications/{others[0].id}").status_code == 404
        assert api.post(f"/api/v1/applications/{others[0].id}/submit", json={}).status_code == 404
        agreements_seen = {item["id"] for item in api.get("/api/v1/agreements", params={"limit": 200}).json()["items"]}
        assert not agreements_seen & {a.id for a in agreements}


def test_an_associations_people_cannot_change_its_kind(platform, client_factory, make_account):
    with db.connection():
        association = registry.create_organisation(platform, {
            "name": f"Eksempelforening Art {uuid.uuid4().hex[:8]}", "kind": "association", "municipality": "0265",
            "target_groups": ["children"]}, "test")
    email = make_account(role="board_member", municipality=None, organisation=association.slug)
    client = client_factory(**{"Accept-Language": "en"})
    assert login(client, email).status_code == 303
    path = f"/manage/organisations/{association.slug}/edit"
    form = client.get(path)
    assert form.status_code == 200
    assert 'name="kind"' not in form.text  # shown, not offered
    data = {"csrf_token": csrf_from(form.text), "name": association.name, "kind": "volunteer_centre", "cvr": "",
            "municipality": "0265", "description": "Ny beskrivelse", "street": "", "postcode": "", "city": "",
            "email": "", "phone": "", "website": "", "target_groups": ["children"]}
    assert client.post(path, data=data).status_code == 403
    with db.connection():
        assert Organisation.get_by_id(association.id).kind == "association"
        assert Organisation.get_by_id(association.id).description == ""
    # a change of the other fields, with the kind as it is (or not sent), still saves
    for kind in ("association", ""):
        data["kind"] = kind
        assert client.post(path, data=data).status_code == 303
    with db.connection():
        changed = Organisation.get_by_id(association.id)
        assert (changed.kind, changed.description) == ("association", "Ny beskrivelse")
    # the municipality's staff may reclassify it
    staff = logged_in(client_factory, make_account, role="consultant", municipality="0265")
    assert 'name="kind"' in staff.get(path).text


def test_a_resource_person_cannot_invite_or_edit_other_organisations(client_factory, make_account):
    email = make_account(role="resource_person", municipality=None, organisation="roskilde-basketball-club-rbbc")
    client = client_factory()
    assert login(client, email).status_code == 303
    assert client.get("/invitations/new").status_code == 403
    for slug in (FRISE, CENTRE, "dif-get2sport"):
        assert client.get(f"/manage/organisations/{slug}/edit").status_code == 404


def test_the_api_grants_no_more_than_the_form(make_account, live_server):
    """POST /api/v1/invitations asks the same role-granting table."""
    coordinator = make_account(role="volunteer_centre_coordinator", municipality=None, organisation=CENTRE)
    admin = make_account(role="municipality_admin", municipality="0330")
    with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {token_for(coordinator)}",
                                                     "Accept-Language": "en"}) as api:
        for body in ({"email": coordinator, "role": "board_member", "organisation": FRISE},
                     {"email": new_address(), "role": "board_member", "organisation": SOCIALSTYRELSEN},
                     {"email": new_address(), "role": "volunteer_centre_coordinator", "organisation": CENTRE},
                     {"email": coordinator, "role": "board_member", "organisation": CENTRE}):
            response = api.post("/api/v1/invitations", json=body)
            assert response.status_code == 403, (body, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            _no_invitation(body["email"])
        sent = api.post("/api/v1/invitations", json={"email": new_address(), "role": "board_member",
                                                     "organisation": CENTRE})
        assert sent.status_code == 201 and sent.json()["status"] == "sent"
    with httpx.Client(base_url=live_server, headers={"Authorization": f"Bearer {token_for(admin)}"}) as api:
        waiting = api.post("/api/v1/invitations", json={"email": new_address(), "role": "municipality_admin",
                                                        "municipality": "0330"})
        assert waiting.status_code == 201 and waiting.json()["status"] == "awaiting_confirmation"
    with db.connection():
        assert mail.outbox(to=waiting.json()["email"]) == []  # nothing is mailed before the second person


def test_an_invitation_ends_with_its_inviters_power(client_factory, make_account):
    """An inviter whose account is closed (or whose role is gone) before the link is used can
    no longer grant what they sent."""
    admin_email = make_account(role="municipality_admin", municipality="0101")
    admin = client_factory()
    assert login(admin, admin_email).status_code == 303
    email = new_address()
    assert invite(admin, email=email, role="consultant", municipality="0101").status_code == 200
    path = link_for(email)
    with db.connection():
        Account.update(active=False).where(Account.email == admin_email).execute()
    response = accept(client_factory(**{"Accept-Language": "en"}), path)
    assert response.status_code == 403 and "may no longer grant this role" in response.text
    with db.connection():
        assert not Account.select().where(Account.email == email).exists()
        Account.update(active=True).where(Account.email == admin_email).execute()
    assert accept(client_factory(), path).status_code == 303
