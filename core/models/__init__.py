"""The core's tables, one module per concept; ``CORE_MODELS`` lists them in creation order."""
from core.models.account import Account, LoginAttempt, RoleAssignment, Session
from core.models.api_token import ApiToken
from core.models.agreement import Agreement, AgreementExtension
from core.models.application import Application, ApplicationAnswer, Review
from core.models.audit import AuditEntry
from core.models.call import Call, CallQuestion
from core.models.changes import ChangeCounter
from core.models.membership import Membership
from core.models.money import Grant, SignOnFee
from core.models.municipality import Municipality
from core.models.organisation import Organisation, OrganisationTargetGroup
from core.models.job_run import JobRun
from core.models.outbox import OutboxAttachment, OutboxMessage
from core.models.payment import PaymentRequest
from core.models.programme import BudgetTotal, Programme, ProgrammeBudget
from core.models.resource_person import HandoverNote, ResourcePerson
from core.models.tokens import Invitation, PasswordReset
from core.models.two_factor import LoginChallenge, RecoveryCode, TwoFactor

CORE_MODELS = [
    ChangeCounter, Municipality, Organisation, OrganisationTargetGroup, Programme,
    ProgrammeBudget, Membership, SignOnFee, Grant, AuditEntry,
    Account, RoleAssignment, Session, LoginAttempt,
    TwoFactor, RecoveryCode, LoginChallenge,
    OutboxMessage, Invitation, PasswordReset,
    PaymentRequest,
    Call, CallQuestion, Application, ApplicationAnswer, Review,
    Agreement, AgreementExtension, ResourcePerson, HandoverNote,
    ApiToken,
    JobRun, OutboxAttachment,
    BudgetTotal,
]

__all__ = [model.__name__ for model in CORE_MODELS] + ["CORE_MODELS"]
