"""The audit log's words: what each recorded action is called, grouped as staff look for them,
and what each recorded field is called.

Every action the code records (``core.models.audit.record``/``record_event``) has a label
here; ``tests/core/test_audit_labels.py`` reads the code and fails for one without, so the log
never shows a developer's key ("payment.approve") where a person's words belong. A plugin
that records its own actions adds their labels with ``register_action``.
"""
from __future__ import annotations

from core.i18n import lazy_gettext as _

# family -> (heading, {action: label}); the order is the order of the filter's list
ACTION_FAMILIES: dict[str, tuple] = {
    "money": (_("Money"), {
        "budget.set": _("set a year's budget"),
        "grant.create": _("recorded a grant"),
        "sign_on_fee.create": _("recorded a sign-on fee"),
        "payment.request": _("requested a payment"),
        "payment.approve": _("approved a payment"),
        "payment.paid": _("recorded a payment as paid"),
        "payment.cancel": _("cancelled a payment"),
    }),
    "lifecycle": (_("Calls, applications and agreements"), {
        "call.create": _("opened a call"),
        "call.question.add": _("added a question to a call"),
        "application.create": _("started an application"),
        "application.save": _("saved an application"),
        "application.submit": _("submitted an application"),
        "application.withdraw": _("withdrew an application"),
        "application.review": _("reviewed an application"),
        "application.accepted": _("accepted an application"),
        "application.rejected": _("rejected an application"),
        "agreement.create": _("made a partnership agreement"),
        "agreement.extend": _("extended an agreement"),
        "agreement.consultant": _("assigned an agreement's consultant"),
        "resource_person.appoint": _("appointed a resource person"),
        "resource_person.end": _("ended a resource person's employment"),
    }),
    "registry": (_("Organisations and programmes"), {
        "organisation.create": _("created an organisation"),
        "organisation.update": _("changed an organisation"),
        "programme.create": _("created a programme"),
        "programme.update": _("changed a programme"),
        "membership.create": _("added an organisation to a network"),
        "membership.delete": _("removed an organisation from a network"),
        "municipality.create": _("added a municipality"),
        "programme_type.declare": _("declared a programme type"),
        "look.update": _("changed the site's colours and logo"),
    }),
    "people": (_("People and roles"), {
        "account.create": _("created an account"),
        "account.delete": _("deleted an account"),
        "account.delete_refused": _("was refused deleting an account"),
        "role.grant": _("gave a role"),
        "invitation.sent": _("sent an invitation"),
        "invitation.accepted": _("accepted an invitation"),
        "invitation.awaiting_confirmation": _("made an invitation that waits for a second person's confirmation"),
        "invitation.confirmed": _("confirmed an invitation as the second person"),
        "personal_data.download": _("downloaded their personal data"),
        "api_token.create": _("made an API token"),
        "api_token.revoke": _("revoked an API token"),
    }),
    "security": (_("Logins and security"), {
        "login.success": _("logged in"),
        "login.password_ok": _("gave the right password (second factor next)"),
        "login.failure": _("failed to log in"),
        "login.throttled": _("was stopped after too many login attempts"),
        "logout": _("logged out"),
        "session.revoke": _("ended all logins of an account"),
        "password.change": _("changed their password"),
        "password.change_refused": _("was refused changing their password"),
        "password_reset.requested": _("asked for a password reset"),
        "password_reset.completed": _("set a new password from a reset link"),
        "two_factor.enable": _("turned on two-factor login"),
        "two_factor.disable": _("turned off two-factor login"),
        "two_factor.disable_refused": _("was refused turning off two-factor login"),
        "two_factor.recovery_code_used": _("logged in with a recovery code"),
        "two_factor.recovery_codes_renewed": _("made new recovery codes"),
        "permission.denied": _("was refused a page they lack the role for"),
        "csrf.refused": _("sent a form that was refused (expired or from another site)"),
        "audit.export": _("downloaded the audit log"),
    }),
}


def register_action(action: str, label, family: str = "registry", heading=None) -> None:
    """A plugin's own audited action, with its label (a ``lazy_gettext`` string); a new family
    needs its ``heading`` (the filter list groups the actions under it)."""
    ACTION_FAMILIES.setdefault(family, (heading or family, {}))[1][action] = label


def action_label(action: str) -> str:
    for _heading, actions in ACTION_FAMILIES.values():
        if action in actions:
            return str(actions[action])
    return ""


def known_actions() -> set[str]:
    return {action for _heading, actions in ACTION_FAMILIES.values() for action in actions}


def action_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For the filter: per family its heading and (value, label) pairs, "all of the family" first.
    The values are prefixes (``payment.`` finds every payment action)."""
    choices = []
    for _key, (heading, actions) in ACTION_FAMILIES.items():
        options = [(action, str(label)) for action, label in actions.items()]
        choices.append((str(heading), options))
    return choices


# field -> its label; the values are formatted by core.audit_view
FIELD_LABELS = {
    "amount_ore": _("Amount"), "yearly_grant_ore": _("Yearly grant"), "year": _("Year"),
    "budget_year": _("Budget year"), "organisation": _("Organisation"), "programme": _("Programme"),
    "municipality": _("Municipality"), "grant": _("Grant"), "sign_on_fee": _("Sign-on fee"),
    "approved_by": _("Approved by"), "reviewer": _("Reviewer"), "consultant": _("Consultant"),
    "account": _("Account"), "application": _("Application"), "agreement": _("Agreement"), "call": _("Call"),
    "status": _("Status"), "kind": _("Kind"), "role": _("Role"), "name": _("Name"), "email": _("Email"),
    "title": _("Title"), "reference": _("Reference"), "reason": _("Reason"), "note": _("Note"),
    "purpose": _("Purpose"), "description": _("Description"), "cvr": _("CVR"), "phone": _("Phone"),
    "street": _("Street"), "postcode": _("Postcode"), "city": _("City"), "website": _("Website"),
    "start": _("Start"), "end": _("End"), "start_date": _("Start"), "end_date": _("End"),
    "joined_on": _("Joined"), "granted_on": _("Granted"), "paid_on": _("Paid on"), "opens_on": _("Opens"),
    "closes_on": _("Closes"), "started_on": _("Started"), "ended_on": _("Ended"), "decided_at": _("Decided"),
    "score": _("Score"), "hours_per_week": _("Hours a week"), "cohort": _("Cohort"),
    "target_groups": _("Target groups"), "questions": _("Questions"), "type": _("Programme type"),
    "previous": _("Previous resource person"), "permission": _("Permission needed"),
    "address": _("Address (IP)"), "factor": _("Login with"), "client": _("Address (IP)"),
    "filters": _("Filters"), "text": _("Text"), "required": _("Required"), "funder": _("Funder"),
    "owner_organisation": _("Owner"), "expires_at": _("Expires"), "cancel_reason": _("Reason"),
    "request_id": _("Error reference"), "adult": _("Adult"),
}
# the kinds of record a row is about (the model's name in lower case), for the personal-data page
OBJECT_TYPE_LABELS = {
    "organisation": _("Organisation"), "programme": _("Programme"), "programmebudget": _("Budget"),
    "membership": _("Network membership"), "grant": _("Grant"), "signonfee": _("Sign-on fee"),
    "paymentrequest": _("Payment"), "application": _("Application"), "agreement": _("Agreement"),
    "call": _("Call"), "callquestion": _("Question"), "account": _("Account"), "roleassignment": _("Role"),
    "resourceperson": _("Resource person"), "invitation": _("Invitation"), "apitoken": _("API token"),
    "route": _("Page"), "audit_entry": _("Audit log"),
}


def object_type_label(object_type: str) -> str:
    label = OBJECT_TYPE_LABELS.get(object_type)
    return str(label) if label is not None else object_type


# recorded for the machines, not for the reader
HIDDEN_FIELDS = frozenset({"session", "up_to_id", "change_number", "token_hash", "prefix"})
