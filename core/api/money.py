"""Payments and budgets through the API: payment requests (read, request, approve) through
``core.rules.money`` like the payment pages, and each programme's budget per year (public, as
the budget page)."""
from __future__ import annotations

from core import authz, tenancy
from core.api.base import (DATE, DATETIME, ID, INT, PAGINATION, STR, Param, iso, list_of, not_found,
                           nullable, obj, operation, page_of)
from core.api.registry import programme_json, PROGRAMME
from core.models.money import Grant, SignOnFee
from core.models.payment import PAYMENT_KINDS, PAYMENT_STATUSES, PaymentRequest
from core.models.programme import Programme
from core.rules import money
from core.rules.errors import RuleViolation
from core.views.programmes import programmes_with_parties

PAYMENT = obj({
    "id": INT, "programme_id": INT, "organisation_id": INT, "kind": {"type": "string", "enum": list(PAYMENT_KINDS)},
    "sign_on_fee_id": nullable(INT), "grant_id": nullable(INT), "budget_year": INT, "amount_ore": INT,
    "status": {"type": "string", "enum": list(PAYMENT_STATUSES)}, "note": STR,
    "created_by": nullable(INT), "created_at": nullable(DATETIME), "approved_by": nullable(INT),
    "approved_at": nullable(DATETIME), "paid_on": nullable(DATE), "reference": STR,
})
REQUEST_BODY = {
    "type": "object", "additionalProperties": False,
    "required": ["kind", "amount_ore", "idempotency_key"],
    "properties": {
        "kind": {"type": "string", "enum": list(PAYMENT_KINDS)},
        "sign_on_fee_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**53 - 1,
                           "description": "For kind sign_on_fee"},
        "grant_id": {"type": ["integer", "null"], "minimum": 1, "maximum": 2**53 - 1,
                     "description": "For kind grant_instalment"},
        "amount_ore": {"type": "integer", "minimum": 1, "maximum": money.MAX_AMOUNT_ORE,
                       "description": "The amount in øre (1 krone = 100 øre)"},
        "idempotency_key": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,100}$", "minLength": 16,
                            "maxLength": 100, "description": "Your one-time key: sending the same request "
                            "again (a retry) answers with the payment it made, and creates no second one"},
        "note": {"type": "string", "maxLength": 500},
    },
}
YEAR = obj({"year": INT, "budget_ore": INT, "fees_ore": INT, "grants_ore": INT, "committed_ore": INT,
            "paid_ore": INT, "left_ore": INT})
BUDGET = obj({"programme": PROGRAMME, "years": {"type": "array", "items": YEAR}})


def payment_json(row: PaymentRequest) -> dict:
    return {"id": row.id, "programme_id": row.programme_id, "organisation_id": row.organisation_id,
            "kind": row.kind, "sign_on_fee_id": row.sign_on_fee_id, "grant_id": row.grant_id,
            "budget_year": row.budget_year, "amount_ore": row.amount_ore, "status": row.status, "note": row.note,
            "created_by": row.created_by_id, "created_at": iso(row.created_at), "approved_by": row.approved_by_id,
            "approved_at": iso(row.approved_at), "paid_on": iso(row.paid_on), "reference": row.reference}


def _payments(actor, action: str = "payment.read"):
    return tenancy.scoped(PaymentRequest.select(), PaymentRequest, actor, action)


def list_payments(call):
    query = _payments(call.actor)
    if call.params.get("status"):
        query = query.where(PaymentRequest.status == call.params["status"])
    if call.params.get("programme"):
        query = query.where(PaymentRequest.programme == call.params["programme"])
    return page_of(call, query, PaymentRequest.id, payment_json)


def _payment(call) -> PaymentRequest:
    row = _payments(call.actor).where(PaymentRequest.id == call.params["payment_id"]).first()
    if row is None:
        raise not_found("payment")
    return row


def get_payment(call):
    return payment_json(_payment(call))


def request_payment(call):
    """As the payment form: a sign-on fee or a grant instalment, in a programme where the actor
    may request payments (one outside it is answered as unknown), once per idempotency key."""
    body = call.body
    kind = body["kind"]
    field, model, raw_id = (("sign_on_fee_id", SignOnFee, body.get("sign_on_fee_id")) if kind == "sign_on_fee"
                            else ("grant_id", Grant, body.get("grant_id")))
    if raw_id is None:
        raise RuleViolation.one(field, "Choose the sign-on fee or grant to pay")
    programmes = tenancy.scoped(Programme.select(Programme.id), Programme, call.actor, "payment.request")
    commitment = model.select().where(model.id == raw_id, model.deleted_at.is_null(),
                                      model.programme.in_(programmes)).first()
    if commitment is None:
        raise RuleViolation.one(field, "There is no such sign-on fee or grant, or you may not pay it")
    payment = money.request_payment(
        actor=call.actor, kind=kind, amount_ore=body["amount_ore"], idempotency_key=body["idempotency_key"],
        sign_on_fee_id=commitment.id if kind == "sign_on_fee" else None,
        grant_id=commitment.id if kind == "grant_instalment" else None, note=body.get("note", ""))
    return (201 if payment.was_created else 200), payment_json(PaymentRequest.get_by_id(payment.id))


def approve_payment(call):
    """As the approve button: a second person with ``payment.approve`` for the programme."""
    payment = _payment(call)
    money.approve_payment(actor=call.actor, payment_id=payment.id)
    return payment_json(PaymentRequest.get_by_id(payment.id))


def _years(figures: dict) -> list[dict]:
    return [{"year": year, "budget_ore": row["budget"], "fees_ore": row["fees"], "grants_ore": row["grants"],
             "committed_ore": row["committed"], "paid_ore": row["paid"], "left_ore": row["left"]}
            for year, row in sorted(figures.items())]


def list_budgets(call):
    query = programmes_with_parties()
    result = page_of(call, query, Programme.id, lambda p: p)
    overview = money.budget_overview([p.id for p in result["items"]])  # three queries for the page
    year = call.params.get("year")
    result["items"] = [{"programme": programme_json(p),
                        "years": [y for y in _years(overview[p.id]) if year is None or y["year"] == year]}
                       for p in result["items"]]
    return result


def get_budget(call):
    programme = programmes_with_parties().where(Programme.id == call.params["programme_id"]).first()
    if programme is None:
        raise not_found("programme")
    return {"programme": programme_json(programme), "years": _years(money.budget_overview([programme.id])[programme.id])}


def routes():
    return [
        operation("GET", "/api/v1/payments", list_payments, permission="payment.read", tag="payments",
                  summary="List the payment requests you may read",
                  params=(*PAGINATION, Param("status", kind="enum", choices=PAYMENT_STATUSES),
                          Param("programme", description="Only those of this programme (its id)", minimum=1)),
                  response=list_of(PAYMENT)),
        operation("POST", "/api/v1/payments", request_payment, permission="payment.request", tag="payments",
                  summary="Request a payment of a sign-on fee or a grant instalment", body=REQUEST_BODY,
                  response=PAYMENT, status=201, extra_statuses=(200, 409, 422)),
        operation("GET", "/api/v1/payments/{payment_id}", get_payment, permission="payment.read", tag="payments",
                  summary="One payment request", params=(ID("payment_id", "payment"),), response=PAYMENT),
        operation("POST", "/api/v1/payments/{payment_id}/approve", approve_payment, permission="payment.approve",
                  tag="payments", summary="Approve a payment request (a second person, never its creator)",
                  params=(ID("payment_id", "payment"),), response=PAYMENT, extra_statuses=(409, 422)),
        operation("GET", "/api/v1/budgets", list_budgets, permission=authz.PUBLIC, tag="budgets",
                  summary="Each programme's budget, committed, paid and left per year",
                  params=(*PAGINATION, Param("year", description="Only this year", minimum=1900, maximum=2200)),
                  response=list_of(BUDGET)),
        operation("GET", "/api/v1/budgets/{programme_id}", get_budget, permission=authz.PUBLIC, tag="budgets",
                  summary="One programme's budget per year", params=(ID("programme_id", "programme"),),
                  response=BUDGET),
    ]
