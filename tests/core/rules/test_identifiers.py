"""CVR numbers (modulus 11 through python-stdnum) and municipality codes."""
from __future__ import annotations

import pytest
from stdnum.dk import cvr as stdnum_cvr

from core import i18n
from core.rules.errors import RuleViolation
from core.rules.identifiers import normalise_cvr, normalise_municipality_code

# Real, published CVR numbers: python-stdnum's own example and Københavns Kommune.
VALID = ("13585628", "64942212")


def test_examples_are_valid_by_stdnum():
    assert all(stdnum_cvr.is_valid(number) for number in VALID)


@pytest.mark.parametrize("typed, expected", [
    ("13585628", "13585628"),
    ("DK 13585628", "13585628"),
    ("dk13585628", "13585628"),
    ("13 58 56 28", "13585628"),
    ("13-58-56-28", "13585628"),
    (" 64942212 ", "64942212"),
    (64942212, "64942212"),
])
def test_valid_cvr_is_normalised_to_eight_digits(typed, expected):
    assert normalise_cvr(typed) == expected


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_cvr_is_none(blank):
    assert normalise_cvr(blank) is None


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


@pytest.mark.parametrize("typed", [
    wrong_check_digit(VALID[0]), wrong_check_digit(VALID[1]), "1358562", "135856280", "03585628",
    "1358562X", "abcdefgh", "DK",
])
def test_invalid_cvr_is_refused_with_the_value(typed):
    assert not stdnum_cvr.is_valid(typed)
    with pytest.raises(RuleViolation) as caught:
        normalise_cvr(typed)
    assert caught.value.problems[0].field == "cvr"
    with i18n.locale_context("en"):
        [message] = caught.value.messages()
    assert message == (f"'{typed.strip()}' is not a valid CVR number: "
                       "it must be 8 digits with a correct check digit")


def test_every_single_digit_change_is_caught():
    """Modulus 11 with these weights catches every one-digit typing error."""
    number = VALID[1]
    for position in range(8):
        for digit in "0123456789":
            changed = number[:position] + digit + number[position + 1:]
            if changed == number:
                continue
            with pytest.raises(RuleViolation):
                normalise_cvr(changed)


def test_cvr_problem_names_the_given_field():
    with pytest.raises(RuleViolation) as caught:
        normalise_cvr("12345678", field="funder_cvr")
    assert list(caught.value.by_field()) == ["funder_cvr"]


@pytest.mark.parametrize("typed, expected", [
    ("0101", "0101"), ("101", "0101"), (" 0330 ", "0330"), ("265", "0265"), ("0999", "0999"),
])
def test_municipality_code_is_four_digits(typed, expected):
    assert normalise_municipality_code(typed) == expected


@pytest.mark.parametrize("typed", ["", None, "1", "11", "12345", "abcd", "01a1", "01 01", "-101"])
def test_bad_municipality_code_is_refused(typed):
    with pytest.raises(RuleViolation) as caught:
        normalise_municipality_code(typed, field="kommune")
    with i18n.locale_context("en"):
        assert caught.value.by_field() == {
            "kommune": [f"'{(typed or '').strip()}' is not a municipality code: it must be 4 digits"]}
