"""Amounts and numbers in the reader's language (core.i18n.format_money, format_number).

Money is integer øre: kroner are shown without decimals when the amount is whole and with two
when it is not, never through a float. The formatted amounts are kept per language, so the
same amount must still come out in each reader's own way after the other language asked."""
from __future__ import annotations

import pytest

from core import i18n


@pytest.mark.parametrize(("language", "amount_ore", "shown"), [
    ("da", 3_000_000, "30.000 kr."),
    ("en", 3_000_000, "DKK 30,000"),
    ("da", 12_345, "123,45 kr."),
    ("en", 12_345, "DKK 123.45"),
    ("da", 5, "0,05 kr."),
    ("da", -250_000, "-2.500 kr."),
    ("da", 0, "0 kr."),
    ("da", None, "–"),
    # beyond what a float holds exactly: 90,071,992,547,409.93 kr.
    ("da", 9_007_199_254_740_993, "90.071.992.547.409,93 kr."),
])
def test_money_in_the_readers_language(language, amount_ore, shown):
    with i18n.locale_context(language):
        assert i18n.format_money(amount_ore) == shown


def test_each_language_keeps_its_own_formatted_amounts():
    for _ in range(2):  # the second round comes from what was kept
        with i18n.locale_context("da"):
            assert (i18n.format_money(123_456_789), i18n.format_number(1_234_567)) == ("1.234.567,89 kr.", "1.234.567")
        with i18n.locale_context("en"):
            assert (i18n.format_money(123_456_789), i18n.format_number(1_234_567)) == ("DKK 1,234,567.89", "1,234,567")
