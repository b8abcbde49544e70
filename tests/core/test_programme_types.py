"""Programme types: the registry, agreement periods, and the numbers the plugins register."""
from __future__ import annotations

import datetime

import pytest

from core import i18n
from core.plugins import plugin_infos
from core.programme_types import ProgrammeType, ProgrammeTypeRegistry
from plugins import copenhagen, hillerod, roskilde, slagelse


def simple(key="t", **fields) -> ProgrammeType:
    return ProgrammeType(key=key, name=key, plugin="test", **fields)


def test_registry_refuses_duplicate_keys():
    registry = ProgrammeTypeRegistry([simple("a"), simple("b")])
    with pytest.raises(ValueError, match="programme type 'a' is registered twice"):
        registry.add(simple("a", agreement_years=2))
    with pytest.raises(ValueError, match="registered twice"):
        ProgrammeTypeRegistry([simple("x"), simple("x")])
    assert [t.key for t in registry] == ["a", "b"] and len(registry) == 2
    assert registry["a"].agreement_years is None  # the first one stays


def test_registry_lookup():
    registry = ProgrammeTypeRegistry([simple("a")])
    assert "a" in registry and "z" not in registry
    assert registry.get("z") is None
    with pytest.raises(KeyError):
        registry["z"]


def test_platform_registry_has_every_enabled_plugin_type(platform):
    """Every type each enabled plugin registers, under that plugin's name, and every declared
    (TOML) type under its file's name, and no other."""
    expected = {}
    for info in plugin_infos(platform.pm):
        register = getattr(info.module, "register_programme_types", None)
        if info.name != "core" and register is not None:
            expected.update({programme_type.key: info.name for programme_type in register()})
    assert expected
    expected.update({d.programme_type.key: f"declared:{d.source.rsplit('/', 1)[-1]}" for d in platform.declarations})
    assert {t.key: t.plugin for t in platform.programme_types} == expected
    known = {copenhagen.SOCIAL_PARTNERSHIPS: "copenhagen", copenhagen.INTEGRATION_2007: "copenhagen",
             roskilde.TYPE_KEY: "roskilde", slagelse.TYPE_KEY: "slagelse", hillerod.TYPE_KEY: "hillerod"}
    assert {key: plugin for key, plugin in known.items() if plugin in platform.settings.plugins}.items() \
        <= expected.items()


@pytest.mark.parametrize("start, end", [
    (datetime.date(2024, 1, 1), datetime.date(2027, 12, 31)),
    (datetime.date(2023, 7, 15), datetime.date(2027, 7, 14)),
    (datetime.date(2024, 3, 1), datetime.date(2028, 2, 29)),
    (datetime.date(2024, 2, 29), datetime.date(2028, 2, 28)),
])
def test_agreement_end_for_four_year_types(start, end):
    assert simple(agreement_years=4).agreement_end(start) == end


def test_agreement_end_across_a_missing_leap_day():
    assert simple(agreement_years=1).agreement_end(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    assert simple(agreement_years=3).agreement_end(datetime.date(2024, 2, 29)) == datetime.date(2027, 2, 28)


def test_agreement_end_fixed_period_and_none():
    assert roskilde.PROGRAMME_TYPE.fixed_period == (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31))
    for start in (datetime.date(2021, 1, 1), datetime.date(2022, 6, 1)):
        assert roskilde.PROGRAMME_TYPE.agreement_end(start) == datetime.date(2023, 12, 31)
    assert simple().agreement_end(datetime.date(2024, 1, 1)) is None


@pytest.mark.parametrize("fields, words", [
    ({"sign_on_fee_cap_ore": 0}, "sign-on fee cap must be positive"),
    ({"sign_on_fee_cap_ore": -1}, "sign-on fee cap must be positive"),
    ({"sign_on_fees_per_organisation": 0}, "at least one sign-on fee"),
    ({"resource_person_hours_min": 13, "resource_person_hours_max": 12}, "minimum above maximum"),
])
def test_inconsistent_types_are_refused(fields, words):
    with pytest.raises(ValueError, match=words):
        simple(**fields)


def test_allows_sign_on_fees_follows_the_cap():
    assert simple(sign_on_fee_cap_ore=1).allows_sign_on_fees
    assert not simple().allows_sign_on_fees


def test_copenhagen_social_partnerships(platform):
    t = platform.programme_types[copenhagen.SOCIAL_PARTNERSHIPS]
    assert t.grant_per_partner_per_year_ore == 20_000_000  # 200,000 DKK
    assert t.resource_person_hours_min == 20 and t.resource_person_hours_max is None
    assert t.agreement_years == 4 and t.agreement_extendable is True
    assert t.agreement_end(datetime.date(2012, 1, 1)) == datetime.date(2015, 12, 31)
    assert [area.number for area in t.focus_areas] == [1, 2, 3, 4, 5, 6]
    assert t.owner_kinds == ("municipality",) and not t.allows_sign_on_fees
    assert t.age_range == (0, 25)
    with i18n.locale_context("en"):
        assert str(t.focus_areas[5].title) == "Involving parents"
        assert str(t.name) == "Social partnerships (Copenhagen)"


def test_copenhagen_integration_2007(platform):
    t = platform.programme_types[copenhagen.INTEGRATION_2007]
    assert t.agreement_years == 3 and t.grant_per_partner_per_year_ore is None
    assert t.agreement_end(datetime.date(2008, 1, 1)) == datetime.date(2010, 12, 31)


def test_roskilde(platform):
    t = platform.programme_types[roskilde.TYPE_KEY]
    assert (t.resource_person_hours_min, t.resource_person_hours_max) == (10, 12)
    assert t.fixed_period == (datetime.date(2021, 1, 1), datetime.date(2023, 12, 31))
    assert not t.allows_sign_on_fees and t.sign_on_fee_cap_ore is None
    assert t.owner_kinds == ("municipality",)


@pytest.mark.parametrize("module", [slagelse, hillerod])
def test_slagelse_and_hillerod(platform, module):
    t = platform.programme_types[module.TYPE_KEY]
    assert t.sign_on_fee_cap_ore == 3_000_000  # 30,000 DKK
    assert t.sign_on_fees_per_organisation == 1 and t.allows_sign_on_fees
    assert t.age_range == (16, 24) and t.target_groups == ("youth_16_24",)
    assert t.agreement_years == 4 and t.fixed_period is None
    assert t.agreement_end(datetime.date(2023, 1, 1)) == datetime.date(2026, 12, 31)
    assert t.owner_kinds == ("volunteer_centre",)
    assert t.grant_per_partner_per_year_ore is None


def test_type_target_groups_are_known(platform):
    for t in platform.programme_types:
        assert set(t.target_groups) <= set(platform.target_groups), t.key
