"""The core's tables, one module per concept; ``CORE_MODELS`` lists them in creation order."""
from core.models.account import Account, LoginAttempt, RoleAssignment, Session
from core.models.audit import AuditEntry
from core.models.changes import ChangeCounter
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.municipality import Municipality
from core.models.organisation import Organisation, OrganisationTargetGroup
from core.models.programme import Programme, ProgrammeBudget

CORE_MODELS = [
    ChangeCounter, Municipality, Organisation, OrganisationTargetGroup, Programme,
    ProgrammeBudget, Membership, SignOnFee, Grant, AuditEntry,
    Account, RoleAssignment, Session, LoginAttempt,
]

__all__ = [model.__name__ for model in CORE_MODELS] + ["CORE_MODELS"]
