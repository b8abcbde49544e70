"""Each write through the API, end to end over HTTP, through the same rules as the forms: a
Slagelse association's application is submitted and accepted, its sign-on fee requested and
approved by a second person."""
from __future__ import annotations

import datetime
import secrets
import uuid

from core import db
from core.models.application import Application
from core.models.audit import AuditEntry
from core.models.payment import PaymentRequest
from core.rules import agreements, applications, calls, money, registry
from plugins import slagelse
from tests.core.api.conftest import new_account, token_for

TODAY = datetime.date.today()


def _setup(platform):
    """A fresh Slagelse-type programme owned by a fresh volunteer centre (so the demo centre's
    figures stay as they are), with a budget, an open call, an association and its draft, and
    the centre's coordinator."""
    with db.connection():
        owner = registry.create_organisation(platform, {
            "name": f"API frivilligcenter {uuid.uuid4().hex[:6]}", "kind": "volunteer_centre",
            "municipality": "0330"}, "test")
        programme = registry.create_programme(platform, {
            "name": f"API test programme {uuid.uuid4().hex[:6]}", "programme_type": slagelse.TYPE_KEY,
            "municipality": "0330", "owner_organisation": owner, "start_date": TODAY - datetime.timedelta(days=30),
            "end_date": TODAY + datetime.timedelta(days=700)}, "test")
        money.set_budget(programme_id=programme.id, year=TODAY.year, amount_ore=10_000_000, actor="test")
        association = registry.create_organisation(platform, {
            "name": f"API forening {uuid.uuid4().hex[:6]}", "kind": "association", "municipality": "0330"}, "test")
        call = calls.create_call(platform, programme=programme, data={
            "title": "API round", "opens_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "closes_on": (TODAY + datetime.timedelta(days=10)).isoformat()}, actor="test")
        application = applications.start_application(platform, call=call, organisation=association, actor="test")
    coordinator = new_account("volunteer_centre_coordinator", organisation=owner.slug)
    return programme, association, application, coordinator


def test_submit_decide_request_and_approve_through_the_api(platform, api):
    programme, association, application, coordinator_email = _setup(platform)
    board = api(token_for(new_account("board_member", organisation=association.slug)))
    coordinator = api(token_for(coordinator_email))
    second = api(token_for(new_account("volunteer_centre_coordinator", organisation=programme.owner_organisation.slug)))
    path = f"/api/v1/applications/{application.id}"

    # a failed criterion is refused with a message for that field; nothing changes
    refused = board.post(f"{path}/submit", json={"contact_email": "bo@forening.example", "answers": {
        "criterion:voluntary_organisation": "yes", "criterion:include_young_people": "no"}})
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert "criterion:include_young_people" in refused.json()["errors"]
    assert board.get(path).json()["status"] == "draft"

    submitted = board.post(f"{path}/submit", json={"answers": {"criterion:include_young_people": "yes"}})
    assert submitted.status_code == 200, submitted.text
    body = submitted.json()
    assert body["status"] == "submitted" and body["contact_email"] == "bo@forening.example"
    # submitting twice is a conflict with the state
    assert board.post(f"{path}/submit", json={}).status_code == 409
    # the applicant may not decide on its own application
    assert board.post(f"{path}/decide", json={"decision": "accept", "reason": "me"}).status_code == 403

    decision = {"decision": "accept", "reason": "Joins the partnership", "start_date": TODAY.isoformat()}
    with db.connection():
        term = agreements.term_for(platform, programme, TODAY)
    # the programme ends before the type's four years are over: the shorter agreement must be confirmed
    assert term.cut_short
    unconfirmed = coordinator.post(f"{path}/decide", json=decision)
    assert unconfirmed.status_code == 422 and "confirm_end" in unconfirmed.json()["errors"], unconfirmed.text
    assert term.end.isoformat() in unconfirmed.json()["errors"]["confirm_end"][0]
    assert board.get(path).json()["status"] == "submitted"
    decision["confirm_end"] = term.end.isoformat()
    decided = coordinator.post(f"{path}/decide", json=decision)
    assert decided.status_code == 200, decided.text
    result = decided.json()
    assert result["application"]["status"] == "accepted"
    assert result["agreement"]["organisation_id"] == association.id
    assert coordinator.get(f"/api/v1/agreements/{result['agreement']['id']}").status_code == 200
    with db.connection():
        row = Application.get_by_id(application.id)
        assert row.decided_by_label.endswith(coordinator_email) and row.decision_reason == "Joins the partnership"
        fee = money.record_sign_on_fee(platform, programme_id=programme.id, organisation_id=association.id,
                                       amount_ore=3_000_000, granted_on=TODAY, actor="test")

    key = secrets.token_urlsafe(16)
    request_body = {"kind": "sign_on_fee", "sign_on_fee_id": fee.id, "amount_ore": 3_000_000,
                    "idempotency_key": key, "note": "API"}
    too_much = coordinator.post("/api/v1/payments", json={**request_body, "amount_ore": 3_000_001,
                                                          "idempotency_key": secrets.token_urlsafe(16)})
    assert too_much.status_code == 422 and "amount" in too_much.json()["errors"]
    created = coordinator.post("/api/v1/payments", json=request_body)
    assert created.status_code == 201, created.text
    payment = created.json()
    assert payment["status"] == "created" and payment["amount_ore"] == 3_000_000
    # a retry with the same key answers with the same payment and makes no second one
    retry = coordinator.post("/api/v1/payments", json=request_body)
    assert retry.status_code == 200 and retry.json()["id"] == payment["id"]
    with db.connection():
        assert PaymentRequest.select().where(PaymentRequest.sign_on_fee == fee.id).count() == 1

    # the requester may not approve their own request; a second person may
    own = coordinator.post(f"/api/v1/payments/{payment['id']}/approve")
    assert own.status_code == 409 and "approved_by" in own.json()["errors"]
    approved = second.post(f"/api/v1/payments/{payment['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert second.post(f"/api/v1/payments/{payment['id']}/approve").status_code == 409
    with db.connection():
        actions = [row.action for row in AuditEntry.select().where(AuditEntry.object_type == "paymentrequest",
                                                                    AuditEntry.object_id == str(payment["id"]))]
    assert actions == ["payment.request", "payment.approve"]

    # Copenhagen's staff cannot see or touch it
    copenhagen = api(token_for("kbh-admin@partnerskab.test"))
    assert copenhagen.get(f"/api/v1/payments/{payment['id']}").status_code == 404
    assert copenhagen.post(f"/api/v1/payments/{payment['id']}/approve").status_code == 404
    assert copenhagen.post("/api/v1/payments", json={**request_body, "idempotency_key": secrets.token_urlsafe(16)}
                           ).status_code == 422
    assert copenhagen.get(path).status_code == 404


def test_reject_through_the_api(platform, api):
    _, association, application, coordinator_email = _setup(platform)
    board = api(token_for(new_account("board_member", organisation=association.slug)))
    coordinator = api(token_for(coordinator_email))
    path = f"/api/v1/applications/{application.id}"
    assert board.post(f"{path}/submit", json={"contact_email": "x@forening.example", "answers": {
        "criterion:voluntary_organisation": "yes",
                                                          "criterion:include_young_people": "yes"}}
                      ).status_code == 200
    missing = coordinator.post(f"{path}/decide", json={"decision": "reject", "reason": ""})
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    rejected = coordinator.post(f"{path}/decide", json={"decision": "reject", "reason": "Not in the age group"})
    assert rejected.status_code == 200 and rejected.json() == {
        "application": {**rejected.json()["application"], "status": "rejected"}, "agreement": None}
    assert board.get(path).json()["decision_reason"] == "Not in the age group"
