"""Invitations over real HTTP: who may invite whom where, the link from the outbox, a new
account that lands logged in on /me, an existing account that gets the role, and links that
are used, expired or damaged."""
from __future__ import annotations

import datetime
import html
import re
import time
import uuid

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from core import clock, db, mail
from core.auth import tokens
from core.models import Account, AuditEntry, Membership, Municipality, Organisation, Programme, RoleAssignment
from core.models.tokens import Invitation
from tests.core.auth.conftest import PASSWORD, csrf_from, login

NEW_PASSWORD = "seven green owls at midnight"
LINK = re.compile(r"https?://[^\s/]+(/invitations/[^\s]+)")


def new_address() -> str:
    return f"invited-{uuid.uuid4().hex[:10]}@example.org"


def link_for(email: str, pattern=LINK, timeout: float = 5.0) -> str:
    """The path of the newest link mailed to ``email`` (read from the outbox)."""
    deadline = time.monotonic() + timeout
    while True:
        with db.connection():
            messages = mail.outbox(to=email, limit=1)
        if messages:
            match = pattern.search(messages[0].body)
            assert match, messages[0].body
            return match.group(1)
        assert time.monotonic() < deadline, f"no mail to {email}"
        time.sleep(0.05)


def invite(client, *, email, role, municipality="", organisation=""):
    page = client.get("/invitations/new")
    assert page.status_code == 200
    return client.post("/invitations/new", data={"csrf_token": csrf_from(page.text), "email": email, "role": role,
                                                 "municipality": municipality, "organisation": organisation})


def logged_in(client_factory, make_account, **account):
    client = client_factory()
    assert login(client, make_account(**account)).status_code == 303
    return client


def accept(client, path, **fields):
    page = client.get(path)
    data = {"csrf_token": csrf_from(page.text), "name": "Ny Person", "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD}
    data.update(fields)
    return client.post(path, data=data)


def network_member_of(programme_slug: str) -> Organisation:
    with db.connection():
        return (Organisation.select().join(Membership).join(Programme)
                .where(Programme.slug == programme_slug, Organisation.kind != "volunteer_centre")
                .order_by(Organisation.name).first())


def test_a_municipality_administrator_invites_a_consultant_who_lands_on_me(make_account, client_factory):
    admin = logged_in(client_factory, make_account, role="municipality_admin", municipality="0101")
    form = admin.get("/invitations/new")
    assert '<label for="field-email">' in form.text and 'value="consultant"' in form.text
    assert 'value="platform_admin"' not in form.text  # not offered: above the inviter's station
    assert 'value="0101"' in form.text and 'value="0265"' not in form.text
    email = new_address()
    sent = invite(admin, email=email, role="consultant", municipality="0101")
    assert sent.status_code == 200 and 'id="invitation-sent"' in sent.text
    path = link_for(email)

    invitee = client_factory()
    page = invitee.get(path)
    assert page.status_code == 200 and email in page.text and "Københavns Kommune" in page.text
    assert page.headers["cache-control"] == "no-store"
    response = accept(invitee, path, name="Sofie Inviteret")
    assert response.status_code == 303 and response.headers["location"] == "/me"
    me = invitee.get("/me")
    assert me.status_code == 200 and "Sofie Inviteret" in me.text and "Københavns Kommune" in me.text
    with db.connection():
        account = Account.get(Account.email == email)
        assert [(r.role, r.municipality.code) for r in account.role_assignments] == [("consultant", "0101")]
        kbh_id = Municipality.get(Municipality.code == "0101").id
        invitation = Invitation.get(Invitation.email == email)
        assert invitation.used_at is not None and invitation.accepted_by_id == account.id
        actions = {e.action: e for e in AuditEntry.select().where(AuditEntry.object_type == "invitation",
                                                                  AuditEntry.object_id == str(invitation.id))}
    assert set(actions) == {"invitation.sent", "invitation.accepted"}
    token = path.rsplit("/", 1)[1]
    for entry in actions.values():  # no secret in the audit log
        assert token not in entry.after and invitation.token_hash not in entry.after
        assert entry.scope == f"municipality:{kbh_id}"  # the id, which core.tenancy reads
    # the new person logs in with the password they chose
    assert login(client_factory(), email, NEW_PASSWORD).status_code == 303


def test_the_link_is_single_use(make_account, client_factory):
    admin = logged_in(client_factory, make_account, role="municipality_admin", municipality="0101")
    email = new_address()
    invite(admin, email=email, role="consultant", municipality="0101")
    path = link_for(email)
    invitee = client_factory()
    page = invitee.get(path)
    assert accept(invitee, path).status_code == 303
    # a replay of the same form (another browser, same link) is refused
    stranger = client_factory()
    again = stranger.get(path)
    assert again.status_code == 410 and 'data-problem="used"' in again.text
    replay = invitee.post(path, data={"csrf_token": csrf_from(invitee.get("/me").text), "name": "X",
                                      "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert replay.status_code == 410
    assert page.status_code == 200
    with db.connection():
        assert Account.select().where(Account.email == email).count() == 1


def test_the_password_policy_applies_and_a_failed_try_keeps_the_link(make_account, client_factory):
    admin = logged_in(client_factory, make_account, role="municipality_admin", municipality="0101")
    email = new_address()
    invite(admin, email=email, role="consultant", municipality="0101")
    path = link_for(email)
    invitee = client_factory(**{"Accept-Language": "en"})
    short = accept(invitee, path, password="short", password_again="short")
    assert short.status_code == 400 and "at least 12 characters" in short.text
    assert 'id="field-password-error"' in short.text
    common = accept(invitee, path, password="password1234", password_again="password1234")
    assert common.status_code == 400 and "too common" in common.text
    differ = accept(invitee, path, password_again="something else entirely")
    assert differ.status_code == 400 and "not the same" in differ.text
    nameless = accept(invitee, path, name=" ")
    assert nameless.status_code == 400 and "Enter your name." in nameless.text
    with db.connection():
        assert not Account.select().where(Account.email == email).exists()
        assert Invitation.get(Invitation.email == email).used_at is None
    assert accept(invitee, path).status_code == 303


def test_nobody_invites_into_another_municipality_or_above_their_role(make_account, client_factory):
    admin = logged_in(client_factory, make_account, role="municipality_admin", municipality="0101")
    roskilde_club = "roskilde-basketball-club-rbbc"
    refused = [
        dict(role="consultant", municipality="0265"),                       # another municipality
        dict(role="municipality_admin", municipality="0265"),
        dict(role="resource_person", organisation=roskilde_club),           # another municipality's club
        dict(role="platform_admin"),                                        # above their station
        dict(role="national_coordinator"),
    ]
    for fields in refused:
        email = new_address()
        response = invite(admin, email=email, **fields)
        assert response.status_code == 403, fields
        with db.connection():
            assert not Invitation.select().where(Invitation.email == email).exists(), fields
            assert mail.outbox(to=email) == [], fields
    with db.connection():
        assert AuditEntry.select().where(AuditEntry.action == "permission.denied",
                                         AuditEntry.object_id == "POST /invitations/new").exists()
    # in their own municipality, organisations included, it works
    with db.connection():
        org = (Organisation.select().join(Municipality)
               .where(Municipality.code == "0101", Organisation.deleted_at.is_null()).first())
    assert invite(admin, email=new_address(), role="board_member", organisation=org.slug).status_code == 200
    # a bad scope for the role is a form message, not a refusal
    wrong_scope = invite(admin, email=new_address(), role="consultant")
    assert wrong_scope.status_code == 400 and 'id="field-municipality-error"' in wrong_scope.text


def test_only_the_platform_administrator_makes_platform_administrators(client_factory):
    from core.demo import DEMO_PASSWORD
    admin = client_factory()
    assert login(admin, "admin@partnerskab.test", DEMO_PASSWORD).status_code == 303
    email = new_address()
    assert invite(admin, email=email, role="platform_admin").status_code == 200
    invitee = client_factory()
    assert accept(invitee, link_for(email)).status_code == 303
    assert "Platform administrator" in invitee.get("/me", headers={"Accept-Language": "en"}).text
    with db.connection():
        assert [r.role for r in Account.get(Account.email == email).role_assignments] == ["platform_admin"]


def test_a_coordinator_invites_into_its_own_centre_only(make_account, client_factory):
    """Not into the associations of the centre's network (they belong to their municipality and
    their own people), and no coordinators: the municipality grants those."""
    coordinator = logged_in(client_factory, make_account, role="volunteer_centre_coordinator", municipality=None,
                            organisation="frivilligcenter-slagelse")
    member = network_member_of("slagelse-faellesskabsalliancen")
    assert member is not None
    form = coordinator.get("/invitations/new")
    assert 'value="frivilligcenter-slagelse"' in form.text
    assert f'value="{member.slug}"' not in form.text and 'value="consultant"' not in form.text
    assert 'value="volunteer_centre_coordinator"' not in form.text
    email = new_address()
    assert invite(coordinator, email=email, role="board_member", organisation="frivilligcenter-slagelse").status_code == 200
    for fields in (dict(role="resource_person", organisation=member.slug),
                   dict(role="volunteer_centre_coordinator", organisation="frivilligcenter-slagelse"),
                   dict(role="resource_person", organisation="roskilde-basketball-club-rbbc"),
                   dict(role="consultant", municipality="0330"),
                   dict(role="municipality_admin", municipality="0330")):
        assert invite(coordinator, email=new_address(), **fields).status_code == 403, fields
    invitee = client_factory()
    assert accept(invitee, link_for(email)).status_code == 303
    assert "Frivilligcenter Slagelse" in invitee.get("/me").text


def test_people_without_the_permission_cannot_invite(make_account, client_factory, client):
    for role, municipality, organisation in (("consultant", "0101", None),
                                             ("resource_person", None, "roskilde-basketball-club-rbbc")):
        other = logged_in(client_factory, make_account, role=role, municipality=municipality,
                          organisation=organisation)
        assert other.get("/invitations/new").status_code == 403
        token = csrf_from(other.get("/me").text)
        response = other.post("/invitations/new", data={"csrf_token": token, "email": new_address(),
                                                        "role": "consultant", "municipality": "0101"})
        assert response.status_code == 403
    assert client.get("/invitations/new").headers["location"].startswith("/login")


def test_an_existing_account_gets_the_role_after_logging_in(make_account, client_factory):
    from core.demo import DEMO_PASSWORD
    admin = client_factory()  # the platform administrator: a municipality administrator needs no second person
    assert login(admin, "admin@partnerskab.test", DEMO_PASSWORD).status_code == 303
    email = make_account(role="consultant", municipality="0101")
    assert invite(admin, email=email, role="municipality_admin", municipality="0101").status_code == 200
    path = link_for(email)
    invitee = client_factory()
    page = invitee.get(path)
    assert page.status_code == 200 and 'id="invitation-login"' in page.text and 'name="password"' not in page.text
    # accepting without logging in does nothing
    refused = invitee.post(path, data={"csrf_token": csrf_from(invitee.get("/login").text), "name": "X",
                                       "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert refused.status_code == 403
    # someone else logged in cannot take it either
    other = logged_in(client_factory, make_account, role="consultant", municipality="0101")
    assert 'id="invitation-other-account"' in other.get(path).text
    assert other.post(path, data={"csrf_token": csrf_from(other.get(path).text)}).status_code == 403
    # the invitee logs in, comes back to the link and accepts
    assert login(invitee, email, PASSWORD, next_path=path).headers["location"] == path
    page = invitee.get(path)
    response = invitee.post(path, data={"csrf_token": csrf_from(page.text)})
    assert response.status_code == 303 and response.headers["location"] == "/me"
    with db.connection():
        roles = sorted(r.role for r in RoleAssignment.select().join(Account).where(Account.email == email))
        assert AuditEntry.select().where(AuditEntry.action == "invitation.accepted",
                                         AuditEntry.actor.endswith(email)).exists()
    assert roles == ["consultant", "municipality_admin"]
    assert invitee.get(path).status_code == 410


def test_inviting_someone_to_a_role_they_hold_is_a_message(make_account, client_factory):
    admin = client_factory(**{"Accept-Language": "en"})
    assert login(admin, make_account(role="municipality_admin", municipality="0101")).status_code == 303
    email = make_account(role="consultant", municipality="0101")
    response = invite(admin, email=email, role="consultant", municipality="0101")
    assert response.status_code == 400 and f"{email} already has this role there." in response.text


def _old_token(settings, age: datetime.timedelta) -> tuple[str, str]:
    class OldSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age.total_seconds())

    nonce = uuid.uuid4().hex
    serializer = URLSafeTimedSerializer(settings.secret_key, salt=f"partnerskab.{tokens.INVITATION.name}",
                                        signer=OldSigner)
    return serializer.dumps(nonce), tokens.token_hash(nonce)


def _stored_invitation(token_hash: str, expires_at: datetime.datetime) -> str:
    email = new_address()
    with db.connection():
        Invitation.create(token_hash=token_hash, email=email, role="consultant",
                          municipality=Municipality.get(Municipality.code == "0101"),
                          expires_at=expires_at)
    return email


def test_an_expired_invitation_is_refused_with_a_clear_message(settings, client_factory):
    token, token_hash = _old_token(settings, datetime.timedelta(days=7, minutes=1))
    email = _stored_invitation(token_hash, clock.now() + datetime.timedelta(days=1))
    client = client_factory(**{"Accept-Language": "en"})
    page = client.get(f"/invitations/{token}")
    assert page.status_code == 410 and 'data-problem="expired"' in page.text
    assert "This invitation has expired" in page.text
    data = {"csrf_token": csrf_from(client.get("/login").text), "name": "X", "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD}
    response = client.post(f"/invitations/{token}", data=data)
    assert response.status_code == 410
    with db.connection():
        assert not Account.select().where(Account.email == email).exists()
    # a fresh signature does not help when the row itself has expired
    young, young_hash = _old_token(settings, datetime.timedelta(days=6))
    _stored_invitation(young_hash, clock.now() - datetime.timedelta(minutes=1))
    assert 'data-problem="expired"' in client.get(f"/invitations/{young}").text
    fresh, fresh_hash = _old_token(settings, datetime.timedelta(days=6))
    _stored_invitation(fresh_hash, clock.now() + datetime.timedelta(days=1))
    assert client.get(f"/invitations/{fresh}").status_code == 200


def test_a_damaged_or_foreign_link_is_refused(settings, client_factory, make_account):
    admin = logged_in(client_factory, make_account, role="municipality_admin", municipality="0101")
    email = new_address()
    invite(admin, email=email, role="consultant", municipality="0101")
    path = link_for(email)
    client = client_factory()
    damaged = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    for bad in (damaged, "/invitations/nonsense", "/invitations/" + "x" * 500):
        response = client.get(bad)
        assert response.status_code == 400 and 'data-problem="invalid"' in response.text, bad
    # a password-reset token is no invitation token, even with a matching row
    reset = URLSafeTimedSerializer(settings.secret_key, salt=f"partnerskab.{tokens.PASSWORD_RESET.name}")
    assert client.get("/invitations/" + reset.dumps("abc")).status_code == 400
    assert client.get(path).status_code == 200
