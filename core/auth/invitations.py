"""Invitations: a person who governs a place invites someone by email to a role there.

Who may invite whom is decided in two steps. First ``core.authz.can(actor,
'account.invite', scope)`` with the scope the new role would be held in, so a municipality
administrator invites only into their own municipality (and its organisations) and a
volunteer-centre coordinator only into their centre and the organisations in its
programmes' networks. Second, ``MAY_INVITE``: the roles a role may hand out, so nobody
invites above their own station (only a platform administrator makes platform
administrators or national coordinators). Both must hold for the same grant.

The mail carries a single-use link (``core.auth.tokens``, valid 7 days). A person without
an account sets their name and password there (the password policy applies) and is logged
in; a person who already has an account logs in and accepts, and the role is added to it.
"""
from __future__ import annotations

import dataclasses

from core import authz, i18n, mail
from core.auth import accounts, tokens
from core.db import database
from core.i18n import gettext as _
from core.models.account import ROLES, Account, RoleAssignment, utcnow
from core.models.audit import record
from core.models.membership import Membership
from core.models.municipality import Municipality
from core.models.organisation import Organisation
from core.models.programme import Programme
from core.models.tokens import Invitation
from core.rules.errors import Collector, RuleViolation

ACTION = "account.invite"

# The roles each role may hand out (within the scope its own grant covers).
MAY_INVITE: dict[str, tuple[str, ...]] = {
    "platform_admin": ROLES,
    "municipality_admin": ("municipality_admin", "consultant", "volunteer_centre_coordinator",
                           "resource_person", "board_member"),
    "volunteer_centre_coordinator": ("volunteer_centre_coordinator", "resource_person", "board_member"),
}


class NotAllowed(RuleViolation):
    """The actor does not govern the role or the place they tried to invite into."""


def role_label(role: str) -> str:
    return {
        "platform_admin": _("Platform administrator"), "municipality_admin": _("Municipality administrator"),
        "consultant": _("Consultant"), "volunteer_centre_coordinator": _("Volunteer-centre coordinator"),
        "resource_person": _("Resource person"), "board_member": _("Board member"),
        "national_coordinator": _("National coordinator"),
    }.get(role, role)


def _centres_of(organisation: Organisation) -> set[int]:
    """The organisations owning a programme whose network ``organisation`` is in (volunteer centres)."""
    rows = (Programme.select(Programme.owner_organisation).join(Membership)
            .where(Membership.organisation == organisation.id, Membership.deleted_at.is_null(),
                   Programme.deleted_at.is_null(), Programme.owner_organisation.is_null(False)))
    return {row.owner_organisation_id for row in rows}


def target_scope(role: str, municipality: Municipality | None, organisation: Organisation | None) -> authz.Scope:
    """Where the invited role would be held, as ``can`` reads it."""
    if municipality is not None:
        return authz.Scope(frozenset({municipality.id}))
    if organisation is not None:
        governing = {organisation.id}
        if role != "volunteer_centre_coordinator":  # a centre's coordinator is made by the centre only
            governing |= _centres_of(organisation)
        return authz.Scope(frozenset({organisation.municipality_id} - {None}), frozenset(governing))
    return authz.Scope()  # an instance-wide role: only an instance-wide grant covers it


def may_invite(actor: authz.Actor, role: str, scope: authz.Scope) -> bool:
    if not actor.is_authenticated or not authz.can(actor, ACTION, scope):
        return False
    for grant in actor.grants:
        if role in MAY_INVITE.get(grant.role, ()) and authz.can(dataclasses.replace(actor, grants=(grant,)),
                                                                 ACTION, scope):
            return True
    return False


def invitable_roles(actor: authz.Actor) -> list[str]:
    """The roles the actor may hand out somewhere (for the form)."""
    held = {role for grant in actor.grants if actor.table.grants(grant.role, ACTION)
            for role in MAY_INVITE.get(grant.role, ())}
    return [role for role in ROLES if role in held]


def invitable_places(actor: authz.Actor, limit: int = 2000) -> tuple[list[Municipality], list[Organisation]]:
    """The municipalities and organisations the actor may invite into (for the form; the
    submit checks again with ``may_invite``)."""
    grants = [g for g in actor.grants if actor.table.grants(g.role, ACTION) and g.role in MAY_INVITE]
    municipalities = Municipality.select().order_by(Municipality.name)
    organisations = Organisation.select().where(Organisation.deleted_at.is_null()).order_by(Organisation.name)
    if not any(g.municipality_id is None and g.organisation_id is None for g in grants):
        municipality_ids = [g.municipality_id for g in grants if g.municipality_id]
        centre_ids = [g.organisation_id for g in grants if g.organisation_id]
        networks = (Membership.select(Membership.organisation).join(Programme)
                    .where(Programme.owner_organisation.in_(centre_ids or [0]), Membership.deleted_at.is_null(),
                           Programme.deleted_at.is_null()))
        municipalities = municipalities.where(Municipality.id.in_(municipality_ids or [0]))
        organisations = organisations.where(Organisation.municipality.in_(municipality_ids or [0]) |
                                            Organisation.id.in_(centre_ids or [0]) | Organisation.id.in_(networks))
    return list(municipalities), list(organisations.limit(limit))


def scope_label(municipality, organisation) -> str:
    if municipality is not None:
        return f"municipality:{municipality.id}"  # the id, as every other audit scope (core.tenancy reads ids)
    if organisation is not None:
        return f"organisation:{organisation.id}"
    return ""


def place_name(invitation: Invitation) -> str:
    if invitation.municipality_id:
        return invitation.municipality.name
    if invitation.organisation_id:
        return invitation.organisation.name
    return _("the whole platform")


def invite(platform, actor: authz.Actor, *, email: str, role: str, municipality_code: str | None,
           organisation_ref: str | None, base_url: str) -> Invitation:
    """Check, store the invitation, send the mail; raises ``RuleViolation`` (``NotAllowed``
    when the actor does not govern the role or the place) before anything is written."""
    problems = Collector()
    email = accounts.normalise_email(email)
    if not accounts.EMAIL_PATTERN.match(email) or len(email) > 254:
        problems.add("email", "Enter an email address, such as name@example.dk.")
    if role not in ROLES:
        problems.add("role", "Choose a role.")
        problems.raise_if_any()
    municipality, organisation = accounts.resolve_scope(role, municipality_code or None, organisation_ref or None,
                                                        problems)
    problems.raise_if_any()
    if not may_invite(actor, role, target_scope(role, municipality, organisation)):
        raise NotAllowed.one("role", "You cannot invite someone to this role there: you can only invite "
                                     "to roles and places you govern yourself.")
    existing = Account.get_or_none(Account.email == email)
    if existing is not None and RoleAssignment.select().where(
            RoleAssignment.account == existing.id, RoleAssignment.role == role,
            RoleAssignment.municipality == (municipality.id if municipality else None),
            RoleAssignment.organisation == (organisation.id if organisation else None)).exists():
        raise RuleViolation.one("email", "%(email)s already has this role there.", email=email)

    token, token_hash, expires_at = tokens.issue(platform.settings, tokens.INVITATION)
    with database.atomic():
        invitation = Invitation.create(token_hash=token_hash, email=email, role=role, municipality=municipality,
                                       organisation=organisation, invited_by=actor.account.id,
                                       expires_at=expires_at)
    link = f"{base_url.rstrip('/')}/invitations/{token}"
    with i18n.locale_context(platform.settings.default_locale):
        subject = _("You are invited to %(site)s") % {"site": platform.settings.site_name}
        body = _("Hello,\n\n%(inviter)s has invited you to %(site)s as %(role)s (%(place)s).\n\n"
                 "Open this link to accept the invitation:\n%(link)s\n\n"
                 "The link can be used once and works for 7 days. If you already have an account "
                 "with this email address, log in and the role is added to it.\n\n"
                 "If you did not expect this invitation, you can ignore this mail.\n") % {
            "inviter": actor.account.name or actor.account.email, "site": platform.settings.site_name,
            "role": role_label(role), "place": place_name(invitation), "link": link}
    try:
        mail.send(platform, to=email, subject=subject, body=body)
    except mail.MailError:
        Invitation.delete().where(Invitation.id == invitation.id).execute()
        raise RuleViolation.one("email", "The invitation could not be sent: the mail server did not accept "
                                         "it. Try again later.") from None
    with database.atomic():
        record(actor.label, "invitation.sent", invitation, scope=scope_label(municipality, organisation),
               after={"email": email, "role": role, "expires_at": expires_at.isoformat(timespec="seconds")})
    return invitation


def load(settings, token: str) -> Invitation:
    """The open invitation a link names; raises ``tokens.TokenProblem`` (invalid, expired, used)."""
    token_hash = tokens.verify(settings, tokens.INVITATION, token)
    invitation = Invitation.get_or_none(Invitation.token_hash == token_hash)
    tokens.check_row(invitation)
    return invitation


def _claim(invitation: Invitation, account_id: int | None = None) -> None:
    """Mark the invitation used, inside the caller's transaction; a second claim fails."""
    claimed = (Invitation.update(used_at=utcnow(), accepted_by=account_id)
               .where(Invitation.id == invitation.id, Invitation.used_at.is_null()).execute())
    if claimed != 1:
        raise tokens.TokenProblem(tokens.USED)


def accept_new(invitation: Invitation, *, name: str, password: str, password_again: str) -> Account:
    """Create the invited person's account with the role; the invitation is used up."""
    problems = Collector()
    if not name.strip():
        problems.add("name", "Enter your name.")
    if password != password_again:
        problems.add("password_again", "The two passwords are not the same.")
    problems.raise_if_any()
    actor = f"invitation:{invitation.id}"
    with database.atomic():
        _claim(invitation)
        account = accounts.create_account(
            email=invitation.email, name=name[:200], password=password, role=invitation.role,
            municipality_code=invitation.municipality.code if invitation.municipality_id else None,
            organisation_ref=invitation.organisation.slug if invitation.organisation_id else None, actor=actor)
        Invitation.update(accepted_by=account.id).where(Invitation.id == invitation.id).execute()
        record(f"account:{account.id}:{account.email}", "invitation.accepted", invitation,
               scope=scope_label(invitation.municipality if invitation.municipality_id else None,
                                 invitation.organisation if invitation.organisation_id else None),
               after={"email": account.email, "role": invitation.role, "new_account": True})
    return account


def accept_existing(invitation: Invitation, account: Account) -> None:
    """Add the invited role to the logged-in account the invitation was sent to."""
    if account.email != invitation.email:
        raise NotAllowed.one("email", "This invitation was sent to another email address.")
    municipality = invitation.municipality if invitation.municipality_id else None
    organisation = invitation.organisation if invitation.organisation_id else None
    label = f"account:{account.id}:{account.email}"
    with database.atomic():
        _claim(invitation, account.id)
        held = RoleAssignment.select().where(
            RoleAssignment.account == account.id, RoleAssignment.role == invitation.role,
            RoleAssignment.municipality == invitation.municipality_id,
            RoleAssignment.organisation == invitation.organisation_id).exists()
        if not held:
            assignment = RoleAssignment.create(account=account.id, role=invitation.role,
                                               municipality=invitation.municipality_id,
                                               organisation=invitation.organisation_id)
            record(label, "role.grant", assignment, scope=scope_label(municipality, organisation),
                   after={"account": account.email, "role": invitation.role, "invitation": invitation.id})
        record(label, "invitation.accepted", invitation, scope=scope_label(municipality, organisation),
               after={"email": account.email, "role": invitation.role, "new_account": False})
