"""The audit log as staff read it: who (the person's name) did what (the action in words) to
which named thing (with a link to it), where, and which fields changed, before → after, with
money in kroner, dates as dates and references as names.

The rows store keys — ``account:3:anna@…``, ``programme:4``, ``{"organisation": 22,
"amount_ore": 10000000}`` — so a page of rows is turned into words here, with one query per
kind of thing named on the page (accounts, organisations, programmes, payments, …), however
many rows the page has: the page's query count does not grow with its rows.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import re
from typing import Any, Iterable

from core import labels, roles
from core.audit_labels import FIELD_LABELS, HIDDEN_FIELDS, action_label
from core.i18n import gettext as _

ACCOUNT_ACTOR = re.compile(r"^account:(\d{1,18}):")
SCOPE = re.compile(r"^(municipality|programme|organisation|account):(\d{1,18})$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")

# fields whose value is the id of a thing, and the kind of thing
REFERENCE_FIELDS = {
    "organisation": "organisation", "programme": "programme", "municipality": "municipality",
    "grant": "grant", "sign_on_fee": "sign_on_fee", "approved_by": "account", "reviewer": "account",
    "consultant": "account", "application": "application", "agreement": "agreement", "call": "call",
    "previous": "resource_person", "funder": "organisation", "owner_organisation": "organisation",
}
MONEY_FIELDS = {"amount_ore", "yearly_grant_ore"}
DATE_FIELDS = {"start", "end", "start_date", "end_date", "joined_on", "granted_on", "paid_on", "opens_on",
               "closes_on", "started_on", "ended_on", "decided_at", "expires_at"}
# the model name an audit row gives its object (``type(obj).__name__.lower()``) -> kind of thing
OBJECT_KINDS = {
    "organisation": "organisation", "programme": "programme", "programmebudget": "budget",
    "membership": "membership", "grant": "grant", "signonfee": "sign_on_fee", "paymentrequest": "payment",
    "application": "application", "agreement": "agreement", "call": "call", "callquestion": "call_question",
    "account": "account", "roleassignment": "role_assignment", "resourceperson": "resource_person",
    "invitation": "invitation", "apitoken": "api_token", "municipality": "municipality",
}


@dataclasses.dataclass(frozen=True)
class Thing:
    """Something an audit row names, as words and (when it has a page) a link."""

    label: str
    href: str = ""


@dataclasses.dataclass(frozen=True)
class Value:
    """A field's value, shown by the template: ``kind`` is text, money (øre), date or thing."""

    kind: str
    data: Any


@dataclasses.dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: Value | None
    after: Value | None


@dataclasses.dataclass(frozen=True)
class Row:
    id: int
    at: Any
    actor: Thing
    action: str
    action_label: str
    thing: Thing | None
    place: Thing | None
    changes: tuple[Change, ...]


def _load(text: str):
    if not text:
        return None
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    if isinstance(value, str) and value.isdecimal() and len(value) <= 18:
        return int(value)
    return None


class Resolver:
    """Collects the things a page of rows names, then names them all, one query per kind."""

    def __init__(self, platform):
        self.platform = platform
        self.wanted: dict[str, set] = {}
        self.names: dict[tuple[str, Any], Thing] = {}

    def want(self, kind: str, key) -> None:
        if key is not None:
            self.wanted.setdefault(kind, set()).add(key)

    def get(self, kind: str, key) -> Thing | None:
        return self.names.get((kind, key))

    def resolve(self) -> None:
        for kind, keys in self.wanted.items():
            method = getattr(self, f"_{kind}", None)
            if method is not None and keys:
                for key, thing in method(sorted(keys, key=str)):
                    self.names[(kind, key)] = thing

    # one method per kind: (key, Thing) for each key found -------------------------------------
    def _account(self, ids):
        from core.models.account import Account
        for a in Account.select(Account.id, Account.name, Account.email).where(Account.id.in_(ids)):
            yield a.id, Thing(a.name or a.email)

    def _organisation(self, ids):
        from core.models.organisation import Organisation
        for o in Organisation.select(Organisation.id, Organisation.name, Organisation.slug).where(Organisation.id.in_(ids)):
            yield o.id, Thing(o.name, f"/organisations/{o.slug}")

    def _programme(self, ids):
        from core.models.programme import Programme
        for p in Programme.select(Programme.id, Programme.name, Programme.slug).where(Programme.id.in_(ids)):
            yield p.id, Thing(p.name, f"/programmes/{p.slug}")

    def _municipality(self, ids):
        from core.models.municipality import Municipality
        for m in Municipality.select().where(Municipality.id.in_(ids)):
            yield m.id, Thing(m.name, f"/municipalities/{m.code}")

    def _municipality_code(self, codes):
        from core.models.municipality import Municipality
        for m in Municipality.select().where(Municipality.code.in_(codes)):
            yield m.code, Thing(m.name, f"/municipalities/{m.code}")

    def _payment(self, ids):
        from core.models.organisation import Organisation
        from core.models.payment import PaymentRequest
        for p in PaymentRequest.select(PaymentRequest, Organisation).join(Organisation).where(PaymentRequest.id.in_(ids)):
            yield p.id, Thing(_("Payment %(id)s to %(organisation)s") % {"id": p.id, "organisation": p.organisation.name},
                              f"/payments/{p.id}")

    def _application(self, ids):
        from core.models.application import Application
        from core.models.organisation import Organisation
        for a in Application.select(Application, Organisation).join(Organisation).where(Application.id.in_(ids)):
            yield a.id, Thing(_("Application from %(organisation)s") % {"organisation": a.organisation.name},
                              f"/applications/{a.id}")

    def _agreement(self, ids):
        from core.models.agreement import Agreement
        from core.models.organisation import Organisation
        for a in Agreement.select(Agreement, Organisation).join(Organisation).where(Agreement.id.in_(ids)):
            yield a.id, Thing(_("Agreement with %(organisation)s") % {"organisation": a.organisation.name},
                              f"/agreements/{a.id}")

    def _call(self, ids):
        from core.models.call import Call
        for c in Call.select(Call.id, Call.title).where(Call.id.in_(ids)):
            yield c.id, Thing(c.title, f"/calls/{c.id}")

    def _call_question(self, ids):
        from core.models.call import Call, CallQuestion
        for q in CallQuestion.select(CallQuestion, Call).join(Call).where(CallQuestion.id.in_(ids)):
            yield q.id, Thing(_("A question in %(call)s") % {"call": q.call.title}, f"/calls/{q.call.id}")

    def _grant(self, ids):
        from core.models.money import Grant
        from core.models.organisation import Organisation
        from core.models.programme import Programme
        for g in Grant.select(Grant, Organisation, Programme).join(Organisation).switch(Grant).join(Programme).where(Grant.id.in_(ids)):
            yield g.id, Thing(_("Grant for %(year)s to %(organisation)s") % {"year": g.year, "organisation": g.organisation.name},
                              f"/programmes/{g.programme.slug}#grants")

    def _sign_on_fee(self, ids):
        from core.models.money import SignOnFee
        from core.models.organisation import Organisation
        from core.models.programme import Programme
        for f in (SignOnFee.select(SignOnFee, Organisation, Programme).join(Organisation).switch(SignOnFee)
                  .join(Programme).where(SignOnFee.id.in_(ids))):
            yield f.id, Thing(_("Sign-on fee to %(organisation)s") % {"organisation": f.organisation.name},
                              f"/programmes/{f.programme.slug}#fees")

    def _budget(self, ids):
        from core.models.programme import Programme, ProgrammeBudget
        for b in ProgrammeBudget.select(ProgrammeBudget, Programme).join(Programme).where(ProgrammeBudget.id.in_(ids)):
            yield b.id, Thing(_("Budget for %(year)s of %(programme)s") % {"year": b.year, "programme": b.programme.name},
                              f"/programmes/{b.programme.slug}#budget")

    def _membership(self, ids):
        from core.models.membership import Membership
        from core.models.organisation import Organisation
        from core.models.programme import Programme
        for m in (Membership.select(Membership, Organisation, Programme).join(Organisation).switch(Membership)
                  .join(Programme).where(Membership.id.in_(ids))):
            yield m.id, Thing(_("%(organisation)s in the network of %(programme)s")
                              % {"organisation": m.organisation.name, "programme": m.programme.name},
                              f"/programmes/{m.programme.slug}#network")

    def _resource_person(self, ids):
        from core.models.resource_person import ResourcePerson
        for p in ResourcePerson.select(ResourcePerson.id, ResourcePerson.name, ResourcePerson.agreement).where(
                ResourcePerson.id.in_(ids)):
            yield p.id, Thing(_("Resource person %(name)s") % {"name": p.name}, f"/agreements/{p.agreement_id}#resource-persons")

    def _role_assignment(self, ids):
        from core.models.account import Account, RoleAssignment
        for r in RoleAssignment.select(RoleAssignment, Account).join(Account).where(RoleAssignment.id.in_(ids)):
            yield r.id, Thing(_("%(role)s: %(name)s") % {"role": roles.role_label(r.role),
                                                          "name": r.account.name or r.account.email})

    def _invitation(self, ids):
        from core.models.tokens import Invitation
        for i in Invitation.select(Invitation.id, Invitation.email, Invitation.role).where(Invitation.id.in_(ids)):
            yield i.id, Thing(_("Invitation of %(email)s as %(role)s") % {"email": i.email,
                                                                          "role": roles.role_label(i.role)})

    def _api_token(self, ids):
        from core.models.api_token import ApiToken
        for t in ApiToken.select(ApiToken.id, ApiToken.name).where(ApiToken.id.in_(ids)):
            yield t.id, Thing(_("API token “%(name)s”") % {"name": t.name})


def _scope_ref(scope: str) -> tuple[str, Any] | None:
    """A row's scope as (kind, key): 'programme:4' -> ('programme', 4). A municipality written by
    its code ('municipality:0101', older rows) -> ('municipality_code', '0101')."""
    kind, _sep, key = (scope or "").partition(":")
    if kind == "municipality" and len(key) == 4 and key.startswith("0") and key.isdecimal():
        return "municipality_code", key
    match = SCOPE.match(scope or "")
    if not match or match.group(1) == "account":
        return None
    return match.group(1), int(match.group(2))


def _actor_ref(actor: str) -> int | None:
    match = ACCOUNT_ACTOR.match(actor or "")
    return int(match.group(1)) if match else None


def _field_kind(field: str, object_kind: str | None) -> str:
    """Which words a key-valued field takes (status of a payment vs. of an application, …)."""
    if field == "status":
        return {"payment": "payment_status", "application": "application_status",
                "programme": "programme_status"}.get(object_kind or "", "text")
    if field == "kind":
        return "payment_kind" if object_kind == "payment" else "organisation_kind"
    if field == "role":
        return "membership_role" if object_kind == "membership" else "account_role"
    return "text"


WORDS = {
    "payment_status": labels.payment_status, "application_status": labels.application_status,
    "programme_status": labels.programme_status, "payment_kind": labels.payment_kind,
    "organisation_kind": labels.organisation_kind, "membership_role": labels.membership_role,
    "account_role": roles.role_label,
}


def present(rows: Iterable, platform) -> list[Row]:
    """Audit rows (``AuditEntry``) in words, resolving every name on the page in a few queries."""
    rows = list(rows)
    resolver = Resolver(platform)
    parsed = []
    for row in rows:
        before, after = _load(row.before), _load(row.after)
        object_kind = OBJECT_KINDS.get(row.object_type)
        resolver.want("account", _actor_ref(row.actor))
        if object_kind:
            resolver.want(object_kind, _int(row.object_id))
        scope = _scope_ref(row.scope)
        if scope:
            resolver.want(*scope)
        for values in (before, after):
            if isinstance(values, dict):
                for field, value in values.items():
                    if field in REFERENCE_FIELDS:
                        resolver.want(REFERENCE_FIELDS[field], _int(value))
        parsed.append((row, before, after, object_kind, scope))
    resolver.resolve()
    return [_row(row, before, after, object_kind, scope, resolver, platform)
            for row, before, after, object_kind, scope in parsed]


def _actor(actor: str, resolver: Resolver) -> Thing:
    account_id = _actor_ref(actor)
    if account_id is not None:
        return resolver.get("account", account_id) or Thing(actor.split(":", 2)[-1])
    if actor == "demo-data":
        return Thing(_("Demo data"))
    if actor == "anonymous":
        return Thing(_("Someone not logged in"))
    return Thing(actor)  # what was typed at a failed login, or a command's name


def _thing(row, object_kind: str | None, resolver: Resolver) -> Thing | None:
    if object_kind:
        found = resolver.get(object_kind, _int(row.object_id))
        if found:
            return found
    if row.object_type == "route":
        return Thing(_("The page %(address)s") % {"address": row.object_id})
    if row.object_type == "audit_entry":
        return Thing(_("The audit log"), "/admin/audit")
    if row.object_type and row.object_id:
        return Thing(_("Deleted or unknown record (%(kind)s %(id)s)") % {"kind": row.object_type, "id": row.object_id})
    return None


def _row(row, before, after, object_kind, scope, resolver: Resolver, platform) -> Row:
    return Row(
        id=row.id, at=row.at, actor=_actor(row.actor, resolver), action=row.action,
        action_label=action_label(row.action), thing=_thing(row, object_kind, resolver),
        place=resolver.get(*scope) if scope else None,
        changes=tuple(_changes(before, after, object_kind, resolver, platform, scope)))


def _changes(before, after, object_kind, resolver, platform, scope=None) -> list[Change]:
    """Fields that changed (both sides known), or every field set (a creation or an event)."""
    before = before if isinstance(before, dict) else {}
    if not isinstance(after, dict):
        after = {"text": after} if after else {}
    fields = list(dict.fromkeys([*after, *before]))
    changes = []
    for field in fields:
        if field in HIDDEN_FIELDS:
            continue
        old, new = before.get(field), after.get(field)
        if before and field in before and field in after and old == new:
            continue
        if not before and new in (None, "", [], {}):
            continue
        if field not in after and old in (None, "", [], {}):
            continue  # nothing was there and the field is gone: nothing to tell
        if scope and scope == (field, _int(new)) and old in (None, new):
            continue  # the programme (or municipality) the row is in, said already under "where"
        changes.append(Change(field, _field_label(field),
                              _value(field, old, object_kind, resolver, platform) if field in before else None,
                              _value(field, new, object_kind, resolver, platform) if field in after else None))
    return changes


def _field_label(field: str) -> str:
    label = FIELD_LABELS.get(field)
    return str(label) if label is not None else field.replace("_", " ").capitalize()


def _value(field: str, value, object_kind, resolver: Resolver, platform) -> Value:
    if value is None or value == "":
        return Value("text", "–")
    if isinstance(value, bool):
        return Value("text", _("Yes") if value else _("No"))
    if field in MONEY_FIELDS and isinstance(value, int):
        return Value("money", value)
    if field in DATE_FIELDS and isinstance(value, str) and ISO_DATE.match(value):
        try:
            return Value("date", datetime.date.fromisoformat(value[:10]))
        except ValueError:
            return Value("text", value)
    if field in REFERENCE_FIELDS:
        found = resolver.get(REFERENCE_FIELDS[field], _int(value))
        if found:
            return Value("thing", found)
        if isinstance(value, str) and not value.isdecimal():
            return Value("text", value)  # e.g. the email of the account a role was given to
        return Value("text", _("deleted (%(id)s)") % {"id": value})
    if field == "target_groups" and isinstance(value, list):
        return Value("text", ", ".join(platform.target_group_label(str(v)) for v in value))
    if field == "type" and isinstance(value, str):
        programme_type = platform.programme_types.get(value)
        return Value("text", str(programme_type.name) if programme_type else value)
    if field == "factor" and isinstance(value, str):
        return Value("text", {"password": _("password"), "totp": _("password and code from an app"),
                              "recovery_code": _("password and a recovery code")}.get(value, value))
    words = _field_kind(field, object_kind)
    if words != "text" and isinstance(value, str):
        return Value("text", WORDS[words](value))
    if isinstance(value, list):
        return Value("text", "; ".join(str(v) for v in value))
    if isinstance(value, dict):
        return Value("text", ", ".join(f"{_field_label(k)}: {v}" for k, v in value.items()) or "–")
    return Value("text", str(value))
