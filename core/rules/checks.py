"""Plugins' checks inside the core's rules (the ``check_rules`` hook).

A programme type's plugin may need a rule the core does not know — Odense gives a sign-on fee
only to organisations new to its network, say. The core's rule functions call ``run`` with a
``RuleCheck`` inside their own transaction, after they have locked the programme and made
their own checks and before they write; every plugin's ``check_rules`` may add problems to
``check.problems``, and the rule then refuses with the core's and the plugins' problems
together, writing nothing. A plugin usually looks at ``check.programme_type.key`` (or
``check.programme_type.plugin``) first, so its rule applies to its own programmes only.
"""
from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from core import db
from core.rules.errors import Collector

ACTIONS = (
    "application.submit",   # an applicant submits: row is the Application
    "application.decide",   # a decider accepts or rejects: row is the Application, values has 'decision'
    "sign_on_fee.record",   # values: amount_ore, granted_on
    "grant.record",         # values: amount_ore, year
    "payment.request",      # row is the sign-on fee or grant; values: kind, amount_ore
    "payment.approve",      # row is the PaymentRequest
    "payment.paid",         # row is the PaymentRequest; values: paid_on, reference
)


@dataclasses.dataclass
class RuleCheck:
    """What a plugin's check is told. ``programme`` is locked for this transaction;
    ``organisation_id`` is whom it concerns; ``values`` holds the action's amounts and dates
    (see ``ACTIONS``); ``row`` the record the action is about, when there is one."""

    action: str
    programme: Any
    programme_type: Any
    organisation_id: int | None
    actor: str
    problems: Collector
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    row: Any = None
    today: datetime.date = dataclasses.field(default_factory=datetime.date.today)


def run(platform, action: str, *, programme, organisation_id: int | None, actor: Any, problems: Collector,
        values: dict[str, Any] | None = None, row: Any = None) -> None:
    """Ask every plugin's ``check_rules`` (call inside the rule's transaction); their problems
    join ``problems``, which the rule raises together with its own."""
    if action not in ACTIONS:
        raise ValueError(f"unknown rule action '{action}'")
    platform = platform or db.current_platform()
    if platform is None:
        return
    programme_type = platform.programme_types.get(programme.programme_type)
    label = actor if isinstance(actor, str) else getattr(actor, "label", str(actor))
    check = RuleCheck(action, programme, programme_type, organisation_id, label, problems, dict(values or {}), row)
    platform.pm.hook.check_rules(platform=platform, check=check)


__all__ = ["ACTIONS", "RuleCheck", "run"]
