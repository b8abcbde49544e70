"""The money rules, in one place: amounts, commitments, payments and overviews.

Every amount is integer øre, and every write runs in one transaction that locks the programme
first. The rules are split by concern so each module has one job:

* ``amounts`` — kroner as people type them, parsed to øre;
* ``commitments`` — sign-on fees, grants and budgets, checked under the programme's lock
  against the type's caps, the network, the period and the year's budget;
* ``payments`` — commitments paid out through requests: request, approve, paid, cancel, with
  four eyes (no single person moves money) and an idempotency key per form;
* ``overview`` — read-only figures per programme and year, and per funder.

Callers keep one import, ``from core.rules import money``, and call ``money.record_grant(...)``
etc.: this package re-exports each rule, so where a rule lives is the package's own business.
"""
from __future__ import annotations

# the models, as callers of the old single module reached them (``money.SignOnFee``, ``money.Programme``)
from core.models.money import Grant, SignOnFee
from core.models.programme import Programme, ProgrammeBudget
from core.rules.money.amounts import MAX_AMOUNT_ORE, parse_amount
from core.rules.money.commitments import (
    SIGN_ON_FEE_RECIPIENT_KINDS, lock_programme, programme_type_of, record_grant, record_sign_on_fee,
    set_budget, sign_on_fee_recipients, sign_on_fee_refusal, spent_in_year,
)
from core.rules.money.overview import budget_overview, funder_overview, money_overview, paid_by_programme_year
# ``_status_problem`` too: a test checks its message is translated
from core.rules.money.payments import (
    IDEMPOTENCY_KEY, REFERENCE_MAX, _status_problem, approve_payment, cancel_payment, independent_of_requester,
    mark_paid, new_idempotency_key, payments_query, payments_waiting, request_payment, requested_against,
)

__all__ = ["parse_amount", "record_sign_on_fee", "record_grant", "set_budget", "spent_in_year",
           "money_overview", "request_payment", "approve_payment", "mark_paid", "cancel_payment",
           "payments_waiting", "budget_overview", "funder_overview", "new_idempotency_key",
           "MAX_AMOUNT_ORE", "SIGN_ON_FEE_RECIPIENT_KINDS", "IDEMPOTENCY_KEY", "REFERENCE_MAX",
           "lock_programme", "programme_type_of", "sign_on_fee_recipients", "sign_on_fee_refusal",
           "paid_by_programme_year", "payments_query", "independent_of_requester", "requested_against",
           "Grant", "SignOnFee", "Programme", "ProgrammeBudget"]
