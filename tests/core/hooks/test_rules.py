"""``check_rules``: plugins add checks to the core's rules for applications, sign-on fees,
grants and payments, inside the rule's own transaction, with their messages in Danish and
English. The fake plugin records every check it is asked; the Odense test plugin gives a
sign-on fee only to organisations new to the network (``tests/odense_plugin``)."""
from __future__ import annotations

import datetime
import re
import uuid

import pytest

from core import db, i18n
from core.auth.web import actor_for
from core.models.account import Account
from core.models.membership import Membership
from core.models.money import SignOnFee
from core.models.municipality import Municipality
from core.rules import applications, calls, checks, money, registry
from core.rules.errors import RuleViolation
from tests import fake_plugin, odense_plugin
from tests.core.hooks.conftest import csrf_from, new_account


def actor(platform, email):
    return actor_for(platform, Account.get(Account.email == email))


def event_names(programme_id: int, after_id: int) -> list[str]:
    rows = (fake_plugin.FakeRecord.select().where(fake_plugin.FakeRecord.kind == "event",
                                                  fake_plugin.FakeRecord.programme_id == programme_id,
                                                  fake_plugin.FakeRecord.id > after_id)
            .order_by(fake_plugin.FakeRecord.id))
    return [row.text for row in rows]


def test_every_rule_asks_the_plugins_inside_its_transaction_and_events_follow(fake_platform, fake_programme):
    """An application from submission to a paid sign-on fee and a grant, in the fake programme:
    each rule asks ``check_rules`` once, inside its transaction, and each step's event reaches
    the plugin after its commit, in order."""
    platform, programme = fake_platform, fake_programme["programme"]
    today = datetime.date.today()
    consultant = new_account("consultant", municipality="0999")
    administrator = new_account("municipality_admin", municipality="0999")
    with db.connection():
        last_record = fake_plugin.FakeRecord.select(fake_plugin.FakeRecord.id).order_by(
            fake_plugin.FakeRecord.id.desc()).scalar() or 0
        organisation = registry.create_organisation(platform, {
            "name": f"Regelforeningen {uuid.uuid4().hex[:6]}", "kind": "association", "municipality": "0999",
            "email": "regler@example.org"}, "test")
        call = calls.create_call(platform, programme=programme, data={
            "title": f"Opslag {uuid.uuid4().hex[:6]}", "opens_on": (today - datetime.timedelta(days=1)).isoformat(),
            "closes_on": (today + datetime.timedelta(days=30)).isoformat()}, actor="test")
        fake_plugin.CHECKS_SEEN.clear()
        application = applications.start_application(platform, call=call, organisation=organisation, actor="test")
        applications.submit(platform, application, actor="test")
        applications.decide(platform, application, decision="accept", reason="good", actor="test",
                            start_date=today.isoformat(), notify=False)
        money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=organisation.id,
                                 amount_ore=1_000 * 100, granted_on=today, actor="test")
        with pytest.raises(RuleViolation) as refused:  # the fake plugin's own rule: whole thousands
            money.record_grant(platform, programme_id=programme.id, organisation_id=organisation.id,
                               year=today.year, amount_ore=1_234 * 100, actor="test")
        assert refused.value.by_field() == {"amount": [fake_plugin.RULE_MESSAGE]}
        grant = money.record_grant(platform, programme_id=programme.id, organisation_id=organisation.id,
                                   year=today.year, amount_ore=1_000 * 100, actor="test")
        fee = SignOnFee.get(SignOnFee.programme == programme.id, SignOnFee.organisation == organisation.id)
        payment = money.request_payment(actor=actor(platform, consultant), kind="sign_on_fee",
                                        amount_ore=fee.amount_ore, idempotency_key=uuid.uuid4().hex,
                                        sign_on_fee_id=fee.id)
        money.approve_payment(actor=actor(platform, administrator), payment_id=payment.id)
        money.mark_paid(actor=actor(platform, administrator), payment_id=payment.id, paid_on=today,
                        reference="BANK-1")
        events = event_names(programme.id, last_record)
    assert fake_plugin.CHECKS_SEEN == [
        ("application.submit", True), ("application.decide", True), ("sign_on_fee.record", True),
        ("grant.record", True), ("grant.record", True), ("payment.request", True), ("payment.approve", True),
        ("payment.paid", True)]
    assert {action for action, _ in fake_plugin.CHECKS_SEEN} == set(checks.ACTIONS)
    assert events == ["application.submitted", "agreement.created", "application.decided",
                      "payment.requested", "payment.approved", "payment.paid"]
    assert grant.amount_ore == 1_000 * 100


def test_a_plugins_rule_refuses_in_the_browsers_form(fake_programme, logged_in):
    """The grant form of the fake programme shows the plugin's refusal, and nothing is written."""
    programme, partner = fake_programme["programme"], fake_programme["partner"]
    consultant, _ = logged_in("consultant", municipality="0999")
    form = consultant.get(f"/manage/programmes/{programme.slug}/grants/new").text
    year = datetime.date.today().year + 1
    response = consultant.post(f"/manage/programmes/{programme.slug}/grants/new", data={
        "organisation": str(partner.id), "year": str(year), "amount": "1234", "purpose": "",
        "csrf_token": csrf_from(form)})
    assert response.status_code == 422
    assert fake_plugin.RULE_MESSAGE in response.text
    with db.connection():
        from core.models.money import Grant
        assert not Grant.select().where(Grant.programme == programme.id, Grant.year == year).exists()


# --- Odense: a sign-on fee only for organisations new to the network ----------------------------

@pytest.fixture(scope="module")
def odense(fake_platform):
    """An earlier programme (2019) and an Odense-type programme (2022) in municipality 0461, with a
    founding member, a member that was in the earlier programme too, and a newcomer."""
    platform = fake_platform
    with db.connection():
        registry.ensure_municipality("0461", "Odense Kommune (test)", "Region Syddanmark")
        earlier = registry.create_programme(platform, {
            "name": "Foreningspuljen (test)", "programme_type": fake_plugin.TYPE_KEY, "municipality": "0461",
            "start_date": datetime.date(2019, 1, 1)}, "test")
        programme = registry.create_programme(platform, {
            "name": "Nye i netværket (test)", "programme_type": odense_plugin.TYPE_KEY, "municipality": "0461",
            "start_date": datetime.date(2022, 1, 1)}, "test")
        for year in range(2022, datetime.date.today().year + 1):
            money.set_budget(programme_id=programme.id, year=year, amount_ore=1_000_000 * 100, actor="test")
        made = {}
        for key, name in (("founding", "Grundlæggerforeningen"), ("old", "Gammel Forening"),
                          ("new", "Nybegynderforeningen")):
            made[key] = registry.create_organisation(platform, {
                "name": f"{name} {uuid.uuid4().hex[:4]}", "kind": "association", "municipality": "0461"}, "test")
        registry.add_membership(programme=earlier, organisation=made["old"], role="partner",
                                joined_on=datetime.date(2019, 3, 1), actor="test")
        registry.remove_membership(membership=Membership.get(Membership.programme == earlier.id,
                                                             Membership.organisation == made["old"].id),
                                   actor="test", left_on=datetime.date(2020, 12, 31))
        registry.add_membership(programme=programme, organisation=made["founding"], role="partner",
                                joined_on=datetime.date(2022, 1, 1), actor="test")
        registry.add_membership(programme=programme, organisation=made["old"], role="partner",
                                joined_on=datetime.date(2023, 2, 1), actor="test")
        registry.add_membership(programme=programme, organisation=made["new"], role="partner",
                                joined_on=datetime.date(2023, 3, 1), actor="test")
    return {"programme": programme, "earlier": earlier, **made}


def record(platform, odense, who: str, kroner: int = 10_000):
    return money.record_sign_on_fee(platform, programme_id=odense["programme"].id,
                                    organisation_id=odense[who].id, amount_ore=kroner * 100,
                                    granted_on=datetime.date(2023, 6, 1), actor="test")


def test_odense_refuses_a_founding_member_and_an_earlier_networks_member(fake_platform, odense):
    with db.connection():
        with pytest.raises(RuleViolation) as founding:
            record(fake_platform, odense, "founding")
        with pytest.raises(RuleViolation) as old:
            record(fake_platform, odense, "old")
        assert not SignOnFee.select().where(SignOnFee.programme == odense["programme"].id).exists()
    with i18n.locale_context("en"):
        assert founding.value.by_field() == {"organisation": [
            f"{odense['founding'].name} is not new to the network: it has been a member since the programme "
            "started"]}
        assert old.value.by_field() == {"organisation": [
            f"{odense['old'].name} is not new to the network: it was already in the network of "
            "Foreningspuljen (test)"]}
    with i18n.locale_context("da"):
        assert old.value.by_field()["organisation"] == [
            f"{odense['old'].name} er ikke ny i netværket: foreningen var allerede med i netværket i "
            "Foreningspuljen (test)"]


def test_odense_gives_a_newcomer_its_fee_and_the_core_rules_still_hold(fake_platform, odense):
    with db.connection():
        with pytest.raises(RuleViolation) as both:  # above the cap and not new: both said at once
            record(fake_platform, odense, "founding", kroner=25_000)
        assert set(both.value.by_field()) == {"amount", "organisation"}
        fee = record(fake_platform, odense, "new")
        assert fee.organisation_id == odense["new"].id and fee.amount_ore == 10_000 * 100
        with pytest.raises(RuleViolation) as again:  # the core's own rule: one fee per organisation
            record(fake_platform, odense, "new")
        assert [p.message.msgid for p in again.value.problems] == [
            "%(organisation)s already has %(num)s sign-on fee in this programme; the programme type allows "
            "%(allowed)s"]


def test_odense_refusal_in_the_browser_in_both_languages(client, odense, fake_platform):
    email = new_account("municipality_admin", municipality="0461")
    from tests.core.hooks.conftest import login
    programme = odense["programme"]
    texts = {}
    for lang in ("en", "da"):
        browser = login(client(lang), email)
        form = browser.get(f"/manage/programmes/{programme.slug}/fees/new")
        assert form.status_code == 200
        response = browser.post(f"/manage/programmes/{programme.slug}/fees/new", data={
            "organisation": str(odense["founding"].id), "amount": "10000", "granted_on": "2023-06-01",
            "note": "", "csrf_token": csrf_from(form.text)})
        assert response.status_code == 422
        texts[lang] = re.sub(r"\s+", " ", response.text)
    name = odense["founding"].name
    assert f"{name} is not new to the network: it has been a member since the programme started" in texts["en"]
    assert f"{name} er ikke ny i netværket: foreningen har været med, siden programmet begyndte" in texts["da"]
    with db.connection():
        assert not SignOnFee.select().where(SignOnFee.organisation == odense["founding"].id).exists()
        assert Municipality.get(Municipality.code == "0461")
