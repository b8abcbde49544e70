"""Request bodies are checked by ``jsonschema`` against their declared schema, and each of its
error kinds answers with the platform's own message per field, in the reader's language."""
from __future__ import annotations

import jsonschema
import pytest

from core import i18n
from core.api.base import MAX_INT, operation
from core.api.validation import body_validator, validate_body
from tests.core.api.conftest import token_for

SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["kind", "amount"],
    "properties": {
        "kind": {"type": "string", "enum": ["fee", "grant"]},
        "amount": {"type": "integer", "minimum": 1, "maximum": 1000},
        "count": {"type": ["integer", "null"]},
        "key": {"type": "string", "pattern": "^[a-z]{4}$", "minLength": 4, "maxLength": 4},
        "on": {"type": ["string", "null"], "format": "date"},
        "flag": {"type": "boolean"},
        "answers": {"type": "object", "maxProperties": 2, "additionalProperties": {"type": "string", "maxLength": 3}},
    },
}


@pytest.fixture
def check(platform):  # platform: the catalogues are loaded
    return body_validator(SCHEMA)


def test_each_kind_of_error_has_its_message_per_field_in_english(check):
    with i18n.locale_context("en"):
        assert check([1, 2]) == {"body": ["The body must be a JSON object"]}
        assert check({"amount": 5, "extra": 1}) == {"kind": ["This field is required"], "extra": ["Unknown field"]}
        assert check({"kind": "gift", "amount": 0, "key": "ABCDE", "flag": "yes", "on": "2026-02-30",
                      "answers": {"a": "long", "b": 1, "c": "x"}}) == {
            "kind": ["'gift' is not one of: fee, grant"],
            "amount": ["Give a number from 1 to 1000"],
            "key": ["Give from 4 to 4 characters", "The value has the wrong form"],
            "flag": ["Must be true or false"],
            "on": ["'2026-02-30' is not a date (YYYY-MM-DD)"],
            "answers": ["At most 2 entries"],
            "answers.a": ["Give from 0 to 3 characters"],
            "answers.b": ["Must be a string"],
        }


def test_the_messages_are_in_danish_for_a_danish_reader(check):
    with i18n.locale_context("da"):
        errors = check({"kind": 7, "amount": "ten", "count": "x", "extra": True})
    assert errors == {"kind": ["Skal være en tekst"], "amount": ["Skal være et helt tal"],
                      "count": ["Skal være et helt tal eller null"], "extra": ["Ukendt felt"]}


def test_a_value_of_the_wrong_type_gets_one_message_not_every_rule_it_also_breaks(check):
    with i18n.locale_context("en"):
        assert check({"kind": 1, "amount": 5}) == {"kind": ["Must be a string"]}  # not also "not one of"


def test_whole_numbers_are_bounded_even_where_the_schema_says_nothing(check):
    with i18n.locale_context("en"):
        assert check({"kind": "fee", "amount": 5, "count": MAX_INT}) == {}
        assert check({"kind": "fee", "amount": 5, "count": 10**40}) == {
            "count": [f"Give a number from {-MAX_INT} to {MAX_INT}"]}
    assert SCHEMA["properties"]["count"] == {"type": ["integer", "null"]}  # the declaration is left as it is


def test_a_whole_number_with_a_decimal_point_is_handed_on_as_an_int(check):
    body = {"kind": "fee", "amount": 381.0, "count": None, "on": None}
    assert check(body) == {}
    assert body["amount"] == 381 and isinstance(body["amount"], int)
    with i18n.locale_context("en"):
        assert check({"kind": "fee", "amount": 3.5}) == {"amount": ["Must be a whole number"]}


def test_dates_follow_the_forms_rules(check):
    assert check({"kind": "fee", "amount": 5, "on": "2026-12-01"}) == {}
    with i18n.locale_context("en"):
        assert check({"kind": "fee", "amount": 5, "on": "1.12.2026"}) == {
            "on": ["'1.12.2026' is not a date (YYYY-MM-DD)"]}  # the API keeps ISO dates
        assert "on" in check({"kind": "fee", "amount": 5, "on": "1066-10-14"})  # outside the years kept


def test_validate_body_is_the_same_check(platform):
    with i18n.locale_context("en"):
        assert validate_body(SCHEMA, {"amount": 5}) == {"kind": ["This field is required"]}


def test_a_declaration_with_a_broken_schema_is_refused_when_it_is_made():
    def handler(call):
        return {}
    with pytest.raises(jsonschema.SchemaError):
        operation("POST", "/api/v1/broken", handler, permission="registry.read", summary="Broken", tag="Test",
                  body={"type": "objekt"})


def test_the_api_answers_a_danish_reader_in_danish(api):
    admin = api(token_for("admin@partnerskab.test"), **{"Accept-Language": "da"})
    response = admin.post("/api/v1/payments", json={"kind": 5, "amount_ore": 10**40, "idempotency_key": "k" * 20,
                                                    "sign_on_fee_id": 1, "surprise": 1})
    assert response.status_code == 400, response.text
    assert response.json()["errors"] == {"kind": ["Skal være en tekst"], "surprise": ["Ukendt felt"],
                                         "amount_ore": ["Angiv et tal fra 1 til 10000000000000"]}
