"""Scope once: every model with private rows declares its ``scope_rule`` (core/scope.py), and the
one-row answer (``authz.can`` through ``scope_of``) and the whole-query answer
(``tenancy.scoped`` through ``condition_for``) both come from it, so they agree for every
model the platform knows, the core's and the plugins' alike."""
from __future__ import annotations

import pytest
from peewee import CharField, ForeignKeyField

from core import authz, scope, tenancy
from core.auth.web import actor_for
from core.db import BaseModel
from core.models import Account, AuditEntry, Call, HandoverNote, Programme
from core.models.changes import ChangeCounter
from core.scope import Columns, Personal, Scope, Via
from tests.core.views._manage import KBH_ADMIN, KBH_CONSULTANT, NATIONAL, RBBC_RESOURCE_PERSON, SLAGELSE_COORDINATOR

ACTIONS = ("registry.read_private", "application.read", "agreement.read", "payment.read", "audit.read")
SAMPLE = 40  # rows per model: spread over the table, so every tenant's rows are among them


def _sample(model):
    rows = list(model.select().order_by(*model._meta.get_primary_keys()))  # a composite key by its fields
    return rows[::max(1, len(rows) // SAMPLE)]


def scoped_models(platform):
    return [model for model in platform.models if scope.rule_of(model) is not None]


def test_the_core_models_with_private_rows_declare_their_scope(platform):
    declared = {model.__name__ for model in scoped_models(platform)}
    assert {"Municipality", "Organisation", "Programme", "Membership", "SignOnFee", "Grant", "Call",
            "CallQuestion", "Application", "Agreement", "ResourcePerson", "HandoverNote", "PaymentRequest",
            "Account", "ApiToken", "AuditEntry"} <= declared


@pytest.mark.parametrize("email", [KBH_ADMIN, KBH_CONSULTANT, SLAGELSE_COORDINATOR, RBBC_RESOURCE_PERSON, NATIONAL])
def test_one_row_and_a_whole_query_agree_for_every_declared_model(platform, dbconn, email):
    person = actor_for(platform, Account.get(Account.email == email))
    checked = 0
    for model in scoped_models(platform):
        if isinstance(scope.rule_of(model), Personal):
            continue  # an account's own rows: only the account (never a grant) acts on them, see below
        rows = _sample(model)
        for action in ACTIONS:
            listed = {row.get_id() for row in tenancy.scoped(model.select(), model, person, action)}
            for row in rows:
                assert (row.get_id() in listed) == authz.can(person, action, row), (email, model.__name__, action,
                                                                                  row.get_id())
                checked += 1
    assert checked > 500


def test_a_personal_row_is_its_account_s_alone(platform, dbconn):
    from core.models import ApiToken
    rule = scope.rule_of(ApiToken)
    token = ApiToken(account=7)
    assert rule.scope(token) == Scope(account_id=7)
    kbh_admin = actor_for(platform, Account.get(Account.email == KBH_ADMIN))
    assert not authz.can(kbh_admin, "account.manage", token)


def test_a_chain_is_declared_at_each_link(dbconn):
    """A handover note is governed where its agreement is, and that where its programme is
    plus the partner, whose own people act on both: no model repeats its parent's rule."""
    note = HandoverNote.select().first()
    agreement = note.agreement
    programme = agreement.programme
    assert scope.scope_of(note) == scope.scope_of(agreement) == Scope(
        frozenset({programme.municipality_id}),
        frozenset({programme.owner_organisation_id, agreement.organisation_id} - {None}),
        own_organisation_ids=frozenset({agreement.organisation_id}))
    call = Call.select().first()
    assert scope.scope_of(call) == scope.scope_of(call.programme)


def test_an_audit_row_is_governed_where_the_record_it_names_is(dbconn):
    programme = Programme.select().where(Programme.owner_organisation.is_null(False)).first()
    entry = AuditEntry(scope=f"programme:{programme.id}")
    assert scope.scope_of(entry) == scope.scope_of(programme)
    assert scope.scope_of(AuditEntry(scope="municipality:5")) == Scope(frozenset({5}))
    assert scope.scope_of(AuditEntry(scope="organisation:999999")) == Scope(
        organisation_ids=frozenset({999999}), own_organisation_ids=frozenset({999999}))
    assert scope.scope_of(AuditEntry(scope="")) == Scope()


def test_a_model_without_a_rule_has_no_scope_and_no_condition():
    with pytest.raises(TypeError, match="give the model a scope_rule"):
        scope.scope_of(ChangeCounter(name="x"))
    with pytest.raises(TypeError, match="no tenancy rule"):
        scope.condition_for(ChangeCounter, [1], [1])
    with pytest.raises(ValueError):
        Columns()


def test_a_plugin_model_declares_its_rule_the_same_way(dbconn):
    """A plugin's table joins authorisation and tenancy by naming its parent: nothing else."""
    class Note(BaseModel):
        programme = ForeignKeyField(Programme)
        text = CharField()
        scope_rule = Via("programme")

        class Meta:
            table_name = "scope_test_note"

    try:
        programme = Programme.select().first()
        assert scope.scope_of(Note(programme=programme, text="x")) == scope.scope_of(programme)
        sql, params = Note.select().where(scope.condition_for(Note, [programme.municipality_id], [0])).sql()
        assert '"programme_id" IN (SELECT' in sql and programme.municipality_id in params
    finally:  # the throw-away model has no table: keep Programme's recursive deletes from looking for it
        Note._meta.remove_ref(Note.programme)
