"""Creating accounts and giving them a role in a scope: the one path the CLI, the demo data
and (later) invitations share, so each checks the same things.

Which scope a role needs is fixed here: a municipality for municipality administrators and
consultants, a volunteer centre for its coordinators, an organisation for resource persons
and board members, and none for the platform administrator and the national coordinator.
"""
from __future__ import annotations

import re

from core.auth import passwords, sessions
from core.db import database
from core.models.account import ROLES, Account, RoleAssignment
from core.models.audit import record, record_event
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.rules.errors import Collector, RuleViolation
from core.rules.identifiers import normalise_cvr

MUNICIPALITY_ROLES = ("municipality_admin", "consultant")
ORGANISATION_ROLES = ("volunteer_centre_coordinator", "resource_person", "board_member")
INSTANCE_ROLES = ("platform_admin", "national_coordinator")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_organisation(ref: str) -> Organisation | None:
    """An organisation by slug, or by CVR number (8 digits, spaces allowed)."""
    ref = ref.strip()
    organisation = Organisation.get_or_none(Organisation.slug == ref, Organisation.deleted_at.is_null())
    if organisation is None and ref.replace(" ", "").isdecimal():
        try:
            cvr = normalise_cvr(ref)
        except RuleViolation:
            return None
        organisation = Organisation.get_or_none(Organisation.cvr == cvr, Organisation.deleted_at.is_null())
    return organisation


def resolve_scope(role: str, municipality_code: str | None, organisation_ref: str | None,
                  problems: Collector) -> tuple[Municipality | None, Organisation | None]:
    municipality = organisation = None
    if role not in ROLES:
        problems.add("role", "Unknown role %(value)s; the roles are %(roles)s.", value=role, roles=", ".join(ROLES))
        return None, None
    if role in MUNICIPALITY_ROLES:
        if not municipality_code:
            problems.add("municipality", "The role %(role)s is held in a municipality: give its code.", role=role)
        else:
            municipality = Municipality.get_or_none(Municipality.code == municipality_code.strip())
            if municipality is None:
                problems.add("municipality", "There is no municipality with the code %(value)s.",
                             value=municipality_code)
    elif municipality_code:
        problems.add("municipality", "The role %(role)s is not held in a municipality.", role=role)
    if role in ORGANISATION_ROLES:
        if not organisation_ref:
            problems.add("organisation", "The role %(role)s is held in an organisation: give its CVR number "
                                         "or its short name.", role=role)
        else:
            organisation = find_organisation(organisation_ref)
            if organisation is None:
                problems.add("organisation", "There is no organisation %(value)s.", value=organisation_ref)
            elif role == "volunteer_centre_coordinator" and organisation.kind != "volunteer_centre":
                problems.add("organisation", "%(name)s is not a volunteer centre.", name=organisation.name)
    elif organisation_ref:
        problems.add("organisation", "The role %(role)s is not held in an organisation.", role=role)
    return municipality, organisation


def create_account(*, email: str, name: str, password: str, role: str, municipality_code: str | None = None,
                   organisation_ref: str | None = None, actor: str, granted_by: int | None = None,
                   confirmed_by: int | None = None) -> Account:
    """Check everything, then write the account and its role in one transaction.

    ``granted_by`` / ``confirmed_by``: the accounts whose invitation (and confirmation) grant
    the role; empty for an operator (the command line, the demo data)."""
    problems = Collector()
    email = normalise_email(email)
    if not EMAIL_PATTERN.match(email) or len(email) > 254:
        problems.add("email", "'%(value)s' is not an email address.", value=email)
    elif Account.select().where(Account.email == email).exists():
        problems.add("email", "There is already an account for %(value)s.", value=email)
    municipality, organisation = resolve_scope(role, municipality_code, organisation_ref, problems)
    scope_municipality = municipality or (organisation.municipality if organisation and
                                          organisation.municipality_id else None)
    try:
        passwords.check_policy(password, email=email, name=name,
                               municipality_name=scope_municipality.name if scope_municipality else "")
    except RuleViolation as exc:
        problems.problems.extend(exc.problems)
    problems.raise_if_any()
    with database.atomic():
        account = Account.create(email=email, name=name.strip(), password_hash=passwords.hash_password(password))
        assignment = RoleAssignment.create(account=account, role=role, municipality=municipality,
                                           organisation=organisation, granted_by_id=granted_by,
                                           confirmed_by_id=confirmed_by)
        record(actor, "account.create", account, after={"email": email, "name": account.name})
        record(actor, "role.grant", assignment, scope=_scope_label(municipality, organisation),
               after={"account": email, "role": role, "granted_by": granted_by, "confirmed_by": confirmed_by})
    return account


def revoke_sessions(email: str, actor: str) -> int:
    account = Account.get_or_none(Account.email == normalise_email(email))
    if account is None:
        raise RuleViolation.one("email", "There is no account for %(value)s.", value=email)
    with database.atomic():
        ended = sessions.end_all(account, "revoked")
        record_event(actor, "session.revoke", "account", str(account.id), after={"ended": ended})
    return ended


def _scope_label(municipality, organisation) -> str:
    if municipality is not None:
        return f"municipality:{municipality.id}"  # the id, as every other audit scope (core.tenancy reads ids)
    if organisation is not None:
        return f"organisation:{organisation.id}"
    return ""
