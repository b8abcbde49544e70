"""Payment requests: the list, the form that requests one, and a payment's page with its
approval, payment and cancellation. Every write goes through ``core.rules.money``."""
from __future__ import annotations

import datetime

from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz, inputs, tenancy, todo
from core.i18n import Message, Money, lazy_gettext as _
from core.models.audit import AuditEntry
from core.models.money import Grant, SignOnFee
from core.models.organisation import Organisation
from core.models.payment import PAYMENT_STATUSES, PaymentRequest
from core.models.programme import Programme
from core.rules import money
from core.rules.errors import RuleViolation
from core.web.pages import NavLink, render
from core.web.routing import page

NO_STORE = {"Cache-Control": "no-store"}
PAGE_SIZE = 100


def navigation_links(request) -> list[NavLink]:
    """Payments, budgets and exports in the main navigation, for those who may see them."""
    actor = getattr(request.state, "actor", None)
    links = [NavLink("/budgets", _("Budgets"), order=40)]
    if actor is not None and actor.is_authenticated:
        if authz.can(actor, "payment.read"):
            links.append(NavLink("/payments", _("Payments"), order=41))
        if authz.can(actor, "export.read"):
            links.append(NavLink("/exports", _("Exports"), order=42))
    return links


def payments_to_approve(platform, actor, today) -> list[todo.TodoItem]:
    """The to-do list's share of payments: those waiting for this person's approval."""
    return [todo.TodoItem("payments", Message("Payments waiting for your approval"),
                          f"#{p.id} {p.organisation.name} – {p.programme.name}", f"/payments/{p.id}",
                          Money(p.amount_ore))
            for p in money.payments_waiting(actor, limit=200)]


def _programme_or_404(actor, slug: str, action: str) -> Programme:
    programme = tenancy.get_scoped(Programme, actor, action, Programme.slug == slug, Programme.deleted_at.is_null())
    if programme is None:
        raise HTTPException(404)
    return programme


def _payment_or_404(actor, raw_id) -> PaymentRequest:
    payment_id = inputs.parse_id(raw_id)
    if payment_id is None:
        raise HTTPException(404)
    payment = tenancy.scoped(money.payments_query(), PaymentRequest, actor, "payment.read").where(
        PaymentRequest.id == payment_id).first()
    if payment is None:
        raise HTTPException(404)
    return payment


def payment_list(request):
    actor = request.state.actor
    status = request.query_params.get("status", "")
    query = tenancy.scoped(money.payments_query(), PaymentRequest, actor, "payment.read")
    if status in PAYMENT_STATUSES:
        query = query.where(PaymentRequest.status == status)
    payments = list(query.order_by(PaymentRequest.created_at.desc(), PaymentRequest.id.desc()).limit(PAGE_SIZE))
    programmes = list(tenancy.scoped(Programme.select(), Programme, actor, "payment.request")
                      .where(Programme.deleted_at.is_null()).order_by(Programme.name))
    return render(request, "payments/list.html", {
        "payments": payments, "status": status, "statuses": PAYMENT_STATUSES,
        "waiting": money.payments_waiting(actor, limit=50), "programmes": programmes,
    }, headers=NO_STORE)


def _commitments(programme: Programme) -> list[dict]:
    """The programme's fees and grants with what is left to request of each (three queries)."""
    fees = list(SignOnFee.select(SignOnFee, Organisation).join(Organisation)
                .where(SignOnFee.programme == programme.id, SignOnFee.deleted_at.is_null())
                .order_by(Organisation.name))
    grants = list(Grant.select(Grant, Organisation).join(Organisation)
                  .where(Grant.programme == programme.id, Grant.deleted_at.is_null())
                  .order_by(Grant.year.desc(), Organisation.name))
    from peewee import fn
    requested: dict[tuple[str, int], int] = {}
    for fee_id, grant_id, total in (PaymentRequest.select(PaymentRequest.sign_on_fee, PaymentRequest.grant,
                                                          fn.SUM(PaymentRequest.amount_ore))
                                    .where(PaymentRequest.programme == programme.id,
                                           PaymentRequest.status != "cancelled")
                                    .group_by(PaymentRequest.sign_on_fee, PaymentRequest.grant).tuples()):
        key = ("fee", fee_id) if fee_id else ("grant", grant_id)
        requested[key] = requested.get(key, 0) + int(total)
    rows = []
    for fee in fees:
        left = fee.amount_ore - requested.get(("fee", fee.id), 0)
        rows.append({"value": f"fee:{fee.id}", "kind": "sign_on_fee", "organisation": fee.organisation,
                     "year": fee.granted_on.year, "amount": fee.amount_ore, "left": left})
    for grant in grants:
        left = grant.amount_ore - requested.get(("grant", grant.id), 0)
        rows.append({"value": f"grant:{grant.id}", "kind": "grant_instalment", "organisation": grant.organisation,
                     "year": grant.year, "amount": grant.amount_ore, "left": left})
    return rows


def _form_page(request, programme, *, values=None, errors=None, status_code=200):
    values = {"commitment": "", "amount": "", "note": "", **(values or {})}
    if not values.get("idempotency_key"):
        values["idempotency_key"] = money.new_idempotency_key()
    return render(request, "payments/form.html", {
        "programme": programme, "commitments": _commitments(programme), "values": values,
        "errors": errors or {},
    }, status_code=status_code, headers=NO_STORE)


def payment_new(request):
    actor = request.state.actor
    slug = request.query_params.get("programme", "")
    if not slug:
        raise HTTPException(400, detail=str(_("Choose a programme first")))
    programme = _programme_or_404(actor, slug, "payment.request")
    return _form_page(request, programme, values={"commitment": request.query_params.get("commitment", "")})


def _parse_commitment(value: str) -> tuple[str, int | None, int | None]:
    kind, _sep, raw_id = (value or "").partition(":")
    commitment_id = inputs.parse_id(raw_id)
    if kind == "fee" and commitment_id:
        return "sign_on_fee", commitment_id, None
    if kind == "grant" and commitment_id:
        return "grant_instalment", None, commitment_id
    raise RuleViolation.one("commitment", "Choose the sign-on fee or grant to pay")


def payment_create(request):
    actor = request.state.actor
    form = request.state.form
    programme = _programme_or_404(actor, str(form.get("programme", "")), "payment.request")
    values = {key: str(form.get(key, "")) for key in ("commitment", "amount", "note", "idempotency_key")}
    try:
        kind, fee_id, grant_id = _parse_commitment(values["commitment"])
        # the commitment must belong to the programme the form was for
        commitment = (SignOnFee if fee_id else Grant).get_or_none(id=fee_id or grant_id)
        if commitment is None or commitment.programme_id != programme.id:
            raise RuleViolation.one("commitment", "Choose the sign-on fee or grant to pay")
        amount = money.parse_amount(values["amount"])
        payment = money.request_payment(actor=actor, kind=kind, amount_ore=amount,
                                        idempotency_key=values["idempotency_key"], sign_on_fee_id=fee_id,
                                        grant_id=grant_id, note=values["note"])
    except RuleViolation as exc:
        if "permission" in exc.by_field():
            raise HTTPException(403) from None
        return _form_page(request, programme, values=values, errors=exc.by_field(), status_code=400)
    return RedirectResponse(f"/payments/{payment.id}", status_code=303)


def payment_detail(request):
    actor = request.state.actor
    payment = _payment_or_404(actor, request.path_params["payment_id"])
    return _detail_page(request, payment)


def _detail_page(request, payment, *, errors=None, values=None, status_code=200):
    actor = request.state.actor
    commitment = payment.sign_on_fee if payment.kind == "sign_on_fee" else payment.grant
    history = list(AuditEntry.select().where(AuditEntry.object_type == "paymentrequest",
                                             AuditEntry.object_id == str(payment.id)).order_by(AuditEntry.id))
    cancelled_by = payment.cancelled_by if payment.cancelled_by_id else None
    can_approve = authz.can(actor, "payment.approve", payment)
    second_person = can_approve and money.independent_of_requester(actor, payment, payment.programme)
    return render(request, "payments/detail.html", {
        "payment": payment, "commitment": commitment, "history": history, "cancelled_by": cancelled_by,
        "can_approve": second_person and payment.status == "created",
        "own_request": payment.created_by_id == actor.account.id,
        "granted_by_requester": (can_approve and not second_person and payment.created_by_id != actor.account.id
                                 and payment.status in ("created", "approved")),
        "can_pay": second_person and payment.status == "approved",
        "can_cancel": payment.status in ("created", "approved") and (
            can_approve or (payment.created_by_id == actor.account.id and payment.status == "created")),
        "errors": errors or {}, "values": {"paid_on": "", "reference": "", "reason": "", **(values or {})},
        "today": datetime.date.today(),
    }, status_code=status_code, headers=NO_STORE)


def _act(request, action):
    actor = request.state.actor
    payment = _payment_or_404(actor, request.path_params["payment_id"])
    form = request.state.form
    values = {key: str(form.get(key, "")) for key in ("paid_on", "reference", "reason")}
    try:
        action(actor, payment, values)
    except RuleViolation as exc:
        if "permission" in exc.by_field():
            raise HTTPException(403) from None
        payment = _payment_or_404(actor, payment.id)
        return _detail_page(request, payment, errors=exc.by_field(), values=values, status_code=400)
    return RedirectResponse(f"/payments/{payment.id}", status_code=303)


def payment_approve(request):
    return _act(request, lambda actor, payment, values: money.approve_payment(actor=actor, payment_id=payment.id))


def _paid(actor, payment, values):
    paid_on = inputs.parse_date(values["paid_on"], "paid_on")
    money.mark_paid(actor=actor, payment_id=payment.id, paid_on=paid_on, reference=values["reference"])


def payment_paid(request):
    return _act(request, _paid)


def payment_cancel(request):
    return _act(request, lambda actor, payment, values: money.cancel_payment(
        actor=actor, payment_id=payment.id, reason=values["reason"]))


def routes():
    return [
        page("/payments", payment_list, name="payments", permission="payment.read"),
        page("/payments/new", payment_new, name="payment_new", permission="payment.request"),
        page("/payments/new", payment_create, name="payment_create", methods=("POST",),
             permission="payment.request"),
        page("/payments/{payment_id:id}", payment_detail, name="payment", permission="payment.read"),
        page("/payments/{payment_id:id}/approve", payment_approve, name="payment_approve", methods=("POST",),
             permission="payment.approve"),
        page("/payments/{payment_id:id}/paid", payment_paid, name="payment_paid", methods=("POST",),
             permission="payment.approve"),
        page("/payments/{payment_id:id}/cancel", payment_cancel, name="payment_cancel", methods=("POST",),
             permission="payment.request"),
    ]
