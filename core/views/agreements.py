"""Partnership agreements: the list, an agreement's page (the handover kit: the agreement,
its contacts, the resource persons over time and every handover note in one place),
extending it, assigning its consultant, changing its resource person; a consultant's
caseload; and the to-do page."""
from __future__ import annotations

import datetime

from peewee import JOIN
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse

from core import authz, roles, todo
from core.models.account import Account, RoleAssignment
from core.models.agreement import Agreement, AgreementExtension
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.models.resource_person import HandoverNote, ResourcePerson
from core.rules import agreements as rules, resource_persons
from core.rules.errors import RuleViolation
from core.tenancy import scoped
from core.web.pages import page_blocks, render
from core.web.routing import page

Consultant = Account.alias("consultant")


def _query():
    return (Agreement.select(Agreement, Programme, Municipality, Organisation, Consultant)
            .join(Programme).join(Municipality)
            .switch(Agreement).join(Organisation)
            .switch(Agreement).join(Consultant, JOIN.LEFT_OUTER, on=(Agreement.consultant == Consultant.id)))


def current_people(agreement_ids: list[int], today: datetime.date) -> dict[int, ResourcePerson]:
    """The resource person holding each agreement's post today, in one query."""
    if not agreement_ids:
        return {}
    rows = (ResourcePerson.select().where(ResourcePerson.agreement.in_(agreement_ids), ResourcePerson.started_on <= today,
                                          ResourcePerson.ended_on.is_null() | (ResourcePerson.ended_on >= today))
            .order_by(ResourcePerson.started_on))
    return {row.agreement_id: row for row in rows}


def agreement_list(request):
    actor = request.state.actor
    today = datetime.date.today()
    rows = list(scoped(_query(), Agreement, actor, "agreement.read")
                .order_by(Municipality.name, Programme.name, Organisation.name).limit(1000))
    return render(request, "agreements/list.html", {
        "agreements": rows, "today": today, "people": current_people([a.id for a in rows], today),
        "heading": "all"})


def caseload(request):
    """The associations a consultant follows: their agreements, with term and resource person.
    Only consultants follow associations; anyone else is sent to the agreements they may see."""
    actor = request.state.actor
    if not roles.follows_associations(actor):
        return RedirectResponse("/agreements", status_code=303)
    today = datetime.date.today()
    rows = list(scoped(_query(), Agreement, actor, "agreement.read")
                .where(Agreement.consultant == actor.account.id, Agreement.end_date >= today)
                .order_by(Organisation.name))
    return render(request, "agreements/list.html", {
        "agreements": rows, "today": today, "people": current_people([a.id for a in rows], today),
        "heading": "caseload"})


def _load(request, action: str = "agreement.read") -> Agreement:
    agreement = scoped(_query(), Agreement, request.state.actor, action).where(
        Agreement.id == request.path_params["agreement_id"]).first()
    if agreement is None:
        raise HTTPException(404)
    return agreement


def agreement_page(request, agreement: Agreement, errors=None, form=None, status_code=200):
    platform = request.app.state.platform
    actor = request.state.actor
    today = datetime.date.today()
    programme_type = platform.programme_types.get(agreement.programme.programme_type)
    people = list(ResourcePerson.select().where(ResourcePerson.agreement == agreement.id)
                  .order_by(ResourcePerson.started_on.desc(), ResourcePerson.id.desc()))
    current = next((p for p in people if p.started_on <= today and (p.ended_on is None or p.ended_on >= today)), None)
    From, To = ResourcePerson.alias("from_person"), ResourcePerson.alias("to_person")
    notes = list(HandoverNote.select(HandoverNote, From, To)
                 .join_from(HandoverNote, From, JOIN.LEFT_OUTER, on=(HandoverNote.from_person == From.id))
                 .join_from(HandoverNote, To, JOIN.LEFT_OUTER, on=(HandoverNote.to_person == To.id))
                 .where(HandoverNote.agreement == agreement.id).order_by(HandoverNote.created_at.desc()))
    extensions = list(AgreementExtension.select().where(AgreementExtension.agreement == agreement.id)
                      .order_by(AgreementExtension.created_at))
    # the organisation's people on the platform: its board members and resource persons
    contacts = list(RoleAssignment.select(RoleAssignment, Account).join(Account)
                    .where(RoleAssignment.organisation == agreement.organisation_id, Account.active == True)  # noqa: E712
                    .order_by(RoleAssignment.role, Account.name))
    # One truth about the post: the agreement's resource-person record. A login with the resource-person
    # role is access to the platform, not the post; the page says when the two disagree and offers to
    # record that person in the post.
    current_email = (current.email or "").lower() if current else None
    contacts = [c for c in contacts if not (c.role == "resource_person" and current_email
                                            and c.account.email.lower() == current_email)]
    unrecorded = [c.account for c in contacts if c.role == "resource_person"] if current is None else []
    if current is None and unrecorded and not form:
        form = {"name": unrecorded[0].name or "", "email": unrecorded[0].email}
    may_manage = authz.can(actor, "agreement.manage", agreement)
    context = {
        "unrecorded": unrecorded,
        "money": _money(actor, agreement, programme_type, today),
        "agreement": agreement, "programme": agreement.programme, "organisation": agreement.organisation,
        "programme_type": programme_type, "people": people, "current": current, "notes": notes,
        "extensions": extensions, "contacts": contacts, "state": agreement.state(today), "today": today,
        "may_manage": may_manage, "may_extend": may_manage and bool(programme_type and programme_type.agreement_extendable),
        "may_change_person": authz.can(actor, "resource_person.manage", agreement),
        "consultants": rules.consultants_for(agreement.programme) if may_manage else [],
        "errors": errors or {}, "form": form or {},
    }
    context["blocks"] = page_blocks(request, "agreement", context)
    return render(request, "agreements/detail.html", context, status_code=status_code)


def _money(actor, agreement: Agreement, programme_type, today: datetime.date) -> dict:
    """The agreement's money: the organisation's sign-on fees and grants in the programme with
    what is requested and paid of each, and its payments. Everyone who may see the agreement
    sees it — the association's own people too, so they know whether they have been paid —
    and those who handle the programme's money also get the ways forward (record a fee or a
    grant, request a payment) and links to each payment."""
    from core.models.money import Grant, SignOnFee
    from core.models.payment import PaymentRequest
    programme = agreement.programme
    may_record = authz.can(actor, "money.record", programme)
    may_request = authz.can(actor, "payment.request", programme)
    fees = list(SignOnFee.select().where(SignOnFee.programme == programme.id,
                                         SignOnFee.organisation == agreement.organisation_id,
                                         SignOnFee.deleted_at.is_null()).order_by(SignOnFee.granted_on))
    grants = list(Grant.select().where(Grant.programme == programme.id, Grant.organisation == agreement.organisation_id,
                                       Grant.deleted_at.is_null()).order_by(Grant.year.desc()))
    payments = list(PaymentRequest.select().where(PaymentRequest.programme == programme.id,
                                                  PaymentRequest.organisation == agreement.organisation_id)
                    .order_by(PaymentRequest.created_at, PaymentRequest.id))
    commitments = []
    for kind, row in [("sign_on_fee", fee) for fee in fees] + [("grant_instalment", grant) for grant in grants]:
        mine = [p for p in payments if (p.sign_on_fee_id if kind == "sign_on_fee" else p.grant_id) == row.id]
        requested = sum(p.amount_ore for p in mine if p.status != "cancelled")
        commitments.append({
            "kind": kind, "row": row, "value": f"{'fee' if kind == 'sign_on_fee' else 'grant'}:{row.id}",
            "requested": requested, "paid": sum(p.amount_ore for p in mine if p.status == "paid"),
            "left": row.amount_ore - requested})
    allows_fees = bool(programme_type and programme_type.allows_sign_on_fees)
    return {
        "commitments": commitments, "payments": payments, "may_request": may_request,
        "may_open_payments": authz.can(actor, "payment.read", programme),
        "may_record": may_record, "allows_fees": allows_fees,
        "record_fee": may_record and allows_fees and not fees,
        "record_grant": may_record and bool(agreement.yearly_grant_ore) and agreement.start_date <= today
                        and not any(g.year == today.year for g in grants),
        "year": today.year,
    }


def agreement_detail(request):
    return agreement_page(request, _load(request))


def _form(request) -> dict[str, str]:
    return {key: str(value) for key, value in request.state.form.items()}


def _act(request, action: str, do):
    agreement = _load(request, action)
    data = _form(request)
    try:
        do(agreement, data)
    except RuleViolation as exc:
        return agreement_page(request, _load(request), exc.by_field(), data, 400)
    return RedirectResponse(f"/agreements/{agreement.id}", status_code=303)


def agreement_extend(request):
    platform, actor = request.app.state.platform, request.state.actor
    return _act(request, "agreement.manage", lambda agreement, data: rules.extend_agreement(
        platform, agreement, new_end=data.get("new_end"), reason=data.get("reason", ""), actor=actor.label))


def agreement_consultant(request):
    actor = request.state.actor
    return _act(request, "agreement.manage", lambda agreement, data: rules.assign_consultant(
        agreement, consultant_id=data.get("consultant") or None, actor=actor.label))


def resource_person_appoint(request):
    platform, actor = request.app.state.platform, request.state.actor
    return _act(request, "resource_person.manage", lambda agreement, data: resource_persons.appoint(
        platform, agreement, data, actor=actor.label))


def resource_person_end(request):
    platform, actor = request.app.state.platform, request.state.actor
    return _act(request, "resource_person.manage", lambda agreement, data: resource_persons.end_employment(
        platform, agreement, data, actor=actor.label))


def todo_page(request):
    platform = request.app.state.platform
    items = todo.items_for(platform, request.state.actor)
    context = {"sections": todo.grouped(items), "items": items}
    context["blocks"] = page_blocks(request, "todo", context)
    return render(request, "todo.html", context)


def routes():
    return [
        page("/agreements", agreement_list, name="agreements", permission="agreement.read"),
        page("/agreements/{agreement_id:id}", agreement_detail, name="agreement", permission="agreement.read"),
        page("/agreements/{agreement_id:id}/extend", agreement_extend, name="agreement_extend", methods=("POST",),
             permission="agreement.manage"),
        page("/agreements/{agreement_id:id}/consultant", agreement_consultant, name="agreement_consultant",
             methods=("POST",), permission="agreement.manage"),
        page("/agreements/{agreement_id:id}/resource-person", resource_person_appoint, name="resource_person_appoint",
             methods=("POST",), permission="resource_person.manage"),
        page("/agreements/{agreement_id:id}/resource-person/end", resource_person_end, name="resource_person_end",
             methods=("POST",), permission="resource_person.manage"),
        page("/caseload", caseload, name="caseload", permission="agreement.read"),
        page("/todo", todo_page, name="todo", permission="account.self"),
    ]


def navigation_links(request):
    """Calls for everyone; the to-do list, applications and agreements for those who may see them."""
    from core.i18n import lazy_gettext
    from core.web.pages import NavLink
    actor = getattr(request.state, "actor", None)
    links = [NavLink("/calls", lazy_gettext("Calls"), order=30)]
    if actor is not None and actor.is_authenticated:
        links.append(NavLink("/todo", lazy_gettext("To do"), order=31))
        if authz.can(actor, "application.read"):
            links.append(NavLink("/applications", lazy_gettext("Applications"), order=32))
        if authz.can(actor, "agreement.read"):
            links.append(NavLink("/agreements", lazy_gettext("Agreements"), order=33))
    return links
