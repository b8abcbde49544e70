"""Agreements: the type's default end (4 years, or the fixed period), never past the
programme's end, no overlaps, extensions with history, and the consultant's scope."""
from __future__ import annotations

import datetime

import pytest

from core.models.account import Account
from core.models.agreement import AgreementExtension
from core.rules import agreements
from core.rules.errors import RuleViolation
from tests.core.rules.conftest import COPENHAGEN_TYPE, ROSKILDE_TYPE, SLAGELSE_TYPE


def test_four_years_for_copenhagen_with_the_yearly_grant(platform, build):
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2020, 1, 1), end=None)
    agreement = agreements.create_agreement(platform, programme=programme, organisation=build.organisation(),
                                            start_date=datetime.date(2024, 7, 1), actor="test")
    assert (agreement.end_date, agreement.cohort, agreement.yearly_grant_ore) == (
        datetime.date(2028, 6, 30), 2024, 200_000 * 100)


def test_local_partnerships_never_outlast_the_programme(platform, build):
    programme = build.programme(SLAGELSE_TYPE)  # 2023–2026
    agreement = agreements.create_agreement(platform, programme=programme, organisation=build.organisation(),
                                            start_date=datetime.date(2024, 3, 1), actor="test")
    assert agreement.end_date == datetime.date(2026, 12, 31) and agreement.yearly_grant_ore is None
    with pytest.raises(RuleViolation, match="cannot be extended"):
        agreements.extend_agreement(platform, agreement, new_end="2027-01-01", reason="x", actor="test")


def test_roskilde_takes_the_fixed_period_and_refuses_overlaps(platform, build):
    programme = build.programme(ROSKILDE_TYPE, start=datetime.date(2021, 1, 1), end=datetime.date(2023, 12, 31))
    organisation = build.organisation()
    agreement = agreements.create_agreement(platform, programme=programme, organisation=organisation,
                                            start_date=datetime.date(2021, 1, 1), actor="test")
    assert agreement.end_date == datetime.date(2023, 12, 31)
    with pytest.raises(RuleViolation, match="already has an agreement"):
        agreements.create_agreement(platform, programme=programme, organisation=organisation,
                                    start_date=datetime.date(2022, 1, 1), actor="test")


def test_extension_keeps_history_and_checks_the_new_end(platform, build):
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2020, 1, 1), end=None)
    agreement = agreements.create_agreement(platform, programme=programme, organisation=build.organisation(),
                                            start_date=datetime.date(2020, 1, 1), actor="test")
    with pytest.raises(RuleViolation) as refused:
        agreements.extend_agreement(platform, agreement, new_end="2022-01-01", reason="", actor="test")
    assert set(refused.value.by_field()) == {"new_end", "reason"}
    agreements.extend_agreement(platform, agreement, new_end="2027-12-31", reason="Status meeting", actor="test")
    agreements.extend_agreement(platform, agreement, new_end="2029-12-31", reason="Again", actor="test")
    history = [(e.previous_end.isoformat(), e.new_end.isoformat()) for e in
               AgreementExtension.select().where(AgreementExtension.agreement == agreement.id).order_by(AgreementExtension.id)]
    assert history == [("2023-12-31", "2027-12-31"), ("2027-12-31", "2029-12-31")]


def test_only_the_municipalitys_consultants(platform, build):
    programme = build.programme(COPENHAGEN_TYPE, start=datetime.date(2020, 1, 1), end=None)  # test municipality
    outsider = Account.get(Account.email == "kbh-konsulent@partnerskab.test")
    with pytest.raises(RuleViolation, match="Choose one of the programme's consultants"):
        agreements.create_agreement(platform, programme=programme, organisation=build.organisation(),
                                    start_date=datetime.date(2024, 1, 1), consultant_id=outsider.id, actor="test")
