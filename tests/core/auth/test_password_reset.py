"""Password reset over real HTTP: the same answer for every address, a single-use link from
the outbox valid 30 minutes, the policy, and every session of the account ended."""
from __future__ import annotations

import datetime
import re
import statistics
import time
import uuid

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from core import clock, db, mail
from core.auth import resets, tokens
from core.models import Account, AuditEntry
from core.models.tokens import PasswordReset
from tests.core.auth.conftest import PASSWORD, csrf_from, login
from tests.core.auth.test_invitations import link_for

NEW_PASSWORD = "a lighthouse full of bicycles"
LINK = re.compile(r"https?://[^\s/]+(/password-reset/[^\s]+)")


def ask(client, email: str):
    page = client.get("/password-reset")
    assert page.status_code == 200
    return client.post("/password-reset", data={"csrf_token": csrf_from(page.text), "email": email})


def set_password(client, path: str, password: str = NEW_PASSWORD, again: str | None = None):
    page = client.get(path)
    assert page.status_code == 200, page.text
    return client.post(path, data={"csrf_token": csrf_from(page.text), "password": password,
                                   "password_again": password if again is None else again})


def reset_link(email: str) -> str:
    return link_for(email, LINK)


def test_the_answer_is_the_same_whether_the_account_exists_or_not(make_account, client_factory):
    email = make_account()
    unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.org"
    known_answer = ask(client_factory(), email)
    unknown_answer = ask(client_factory(), unknown)
    assert known_answer.status_code == unknown_answer.status_code == 200
    assert 'id="reset-sent"' in known_answer.text
    assert known_answer.text == unknown_answer.text
    assert known_answer.headers.get("set-cookie", "").split("=")[0] == \
        unknown_answer.headers.get("set-cookie", "").split("=")[0]
    assert reset_link(email).startswith("/password-reset/")
    with db.connection():
        assert mail.outbox(to=unknown) == []
        requested = {e.actor: e for e in AuditEntry.select().where(AuditEntry.action == "password_reset.requested",
                                                                   AuditEntry.actor.in_([email, unknown]))}
    assert set(requested) == {email, unknown}  # both requests are in the audit log


def test_the_answer_takes_about_as_long_either_way(make_account, client_factory):
    """Making the token and sending the mail happen after the answer, so an existing account
    does not answer measurably slower than an unknown address."""
    known, unknown = [], []
    for _ in range(4):
        for email, times in ((make_account(), known), (f"nobody-{uuid.uuid4().hex[:8]}@example.org", unknown)):
            client = client_factory()
            page = client.get("/password-reset")
            started = time.perf_counter()
            client.post("/password-reset", data={"csrf_token": csrf_from(page.text), "email": email})
            times.append(time.perf_counter() - started)
    assert abs(statistics.median(known) - statistics.median(unknown)) < 0.1, (known, unknown)


def test_a_new_password_ends_every_session_and_the_link_works_once(make_account, client_factory):
    email = make_account()
    logged_in_elsewhere = client_factory()
    assert login(logged_in_elsewhere, email).status_code == 303
    assert logged_in_elsewhere.get("/me").status_code == 200

    requester = client_factory(**{"Accept-Language": "en"})
    ask(requester, email)
    path = reset_link(email)
    form = requester.get(path)
    assert form.status_code == 200 and 'autocomplete="new-password"' in form.text
    assert form.headers["cache-control"] == "no-store"
    weak = set_password(requester, path, "short")
    assert weak.status_code == 400 and "at least 12 characters" in weak.text
    mine = set_password(requester, path, "test person is here")  # the person's own name
    assert mine.status_code == 400 and "must not contain your name" in mine.text
    differ = set_password(requester, path, again="another thing entirely")
    assert differ.status_code == 400 and "not the same" in differ.text
    assert logged_in_elsewhere.get("/me").status_code == 200  # nothing changed yet

    done = set_password(requester, path)
    assert done.status_code == 200 and 'id="reset-done"' in done.text
    # the old session is over, the old password too, the new one works
    assert logged_in_elsewhere.get("/me").status_code == 303
    assert login(client_factory(), email, PASSWORD).status_code == 400
    assert login(client_factory(), email, NEW_PASSWORD).status_code == 303
    # the link is used up
    again = requester.get(path)
    assert again.status_code == 410 and 'data-problem="used"' in again.text
    assert "already been used" in again.text
    replay = requester.post(path, data={"csrf_token": csrf_from(requester.get("/login").text),
                                        "password": "yet another long password", "password_again":
                                        "yet another long password"})
    assert replay.status_code == 410
    assert login(client_factory(), email, NEW_PASSWORD).status_code == 303
    with db.connection():
        account = Account.get(Account.email == email)
        completed = AuditEntry.get(AuditEntry.action == "password_reset.completed",
                                   AuditEntry.object_id == str(account.id))
        reset = PasswordReset.get(PasswordReset.account == account.id)
    assert '"sessions_ended": 1' in completed.after
    token = path.rsplit("/", 1)[1]
    for text in (completed.after, completed.before):  # no secret in the audit log
        assert token not in text and NEW_PASSWORD not in text and reset.token_hash not in text


def test_a_new_link_makes_the_older_ones_useless_once_used(make_account, client_factory):
    email = make_account()
    client = client_factory()
    ask(client, email)
    first = reset_link(email)
    ask(client, email)
    deadline = time.monotonic() + 5
    while (second := reset_link(email)) == first:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert set_password(client, second).status_code == 200
    assert client.get(first).status_code == 410


def test_at_most_a_few_links_per_half_hour(make_account, client_factory):
    email = make_account()
    client = client_factory()
    for _ in range(resets.MAX_OPEN + 2):
        assert ask(client, email).status_code == 200
    time.sleep(0.3)
    with db.connection():
        assert len(mail.outbox(to=email, limit=50)) == resets.MAX_OPEN


def _old_link(settings, email: str, age: datetime.timedelta, expires_at: datetime.datetime) -> str:
    class OldSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - age.total_seconds())

    nonce = uuid.uuid4().hex
    token = URLSafeTimedSerializer(settings.secret_key, salt=f"partnerskab.{tokens.PASSWORD_RESET.name}",
                                   signer=OldSigner).dumps(nonce)
    with db.connection():
        PasswordReset.create(token_hash=tokens.token_hash(nonce), account=Account.get(Account.email == email),
                             expires_at=expires_at)
    return f"/password-reset/{token}"


def test_a_link_older_than_30_minutes_is_refused(make_account, client_factory, settings):
    email = make_account()
    client = client_factory(**{"Accept-Language": "en"})
    old = _old_link(settings, email, datetime.timedelta(minutes=31), clock.now() + datetime.timedelta(minutes=5))
    page = client.get(old)
    assert page.status_code == 410 and 'data-problem="expired"' in page.text
    assert "links to set a new password work for 30 minutes" in page.text
    response = client.post(old, data={"csrf_token": csrf_from(client.get("/login").text),
                                      "password": NEW_PASSWORD, "password_again": NEW_PASSWORD})
    assert response.status_code == 410
    assert login(client_factory(), email, PASSWORD).status_code == 303  # the password is unchanged
    stale_row = _old_link(settings, email, datetime.timedelta(minutes=10), clock.now() - datetime.timedelta(seconds=1))
    assert client.get(stale_row).status_code == 410
    fresh = _old_link(settings, email, datetime.timedelta(minutes=29), clock.now() + datetime.timedelta(minutes=1))
    assert client.get(fresh).status_code == 200


def test_a_damaged_link_and_an_invitation_token_are_refused(make_account, client_factory, settings):
    client = client_factory()
    assert client.get("/password-reset/nonsense").status_code == 400
    invitation = URLSafeTimedSerializer(settings.secret_key, salt=f"partnerskab.{tokens.INVITATION.name}")
    assert client.get("/password-reset/" + invitation.dumps("abc")).status_code == 400


def test_an_empty_email_gets_a_message(client_factory):
    client = client_factory(**{"Accept-Language": "en"})
    response = ask(client, "  ")
    assert response.status_code == 400 and "Enter your email address." in response.text
    assert 'id="field-email-error"' in response.text


def test_the_login_page_links_to_the_reset(client):
    assert 'href="/password-reset"' in client.get("/login").text
