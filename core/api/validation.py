"""Request bodies checked against their declared JSON schema, with ``jsonschema``.

The operations declare their bodies in JSON Schema (2020-12, as OpenAPI 3.1 uses), and the
same declaration goes into ``/api/openapi.json``: a maintained validator (``jsonschema``)
checks them, not a hand-written subset. What this module adds is the API's own voice:

* each error becomes a message per field (``errors`` of a 400 problem), in the reader's
  language — jsonschema's English ``message`` is never shown; its error kinds (``type``,
  ``required``, ``enum``, ``maxLength`` …) map to the platform's catalogued messages;
* ``format: date`` is asserted (jsonschema only annotates formats by default) through
  ``core.inputs.parse_date``, so the API's dates have the same years and messages as a form's;
* a whole number is bounded even when its schema says nothing (``MAX_INT``), so nothing beyond
  what the database and JSON keep exactly reaches a rule;
* a whole number written with a decimal point (``381.0``, an integer in JSON Schema) is handed
  on as an ``int``.
"""
from __future__ import annotations

from typing import Callable, Iterable

from jsonschema import Draft202012Validator, ValidationError, validators

from core import inputs
from core.api.params import MAX_INT
from core.i18n import Message, N_, gettext
from core.rules.errors import Collector

_TYPE_WORDS = {"string": N_("a string"), "integer": N_("a whole number"), "number": N_("a number"),
               "boolean": N_("true or false"), "object": N_("an object"), "array": N_("a list"),
               "null": N_("null")}
# the order in which one field's messages are given: what it is first, then what is wrong with it
_ORDER = ("type", "required", "additionalProperties", "enum", "const", "minLength", "maxLength", "pattern",
          "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "maxProperties",
          "minProperties", "maxItems", "minItems")
_SUBSCHEMAS = ("additionalProperties", "items", "contains", "not", "if", "then", "else")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")


def _date_format(validator, format_name, instance, schema):
    """``format: date`` asserted with the forms' date rules; other formats stay annotations."""
    if format_name != "date" or not isinstance(instance, str):
        return
    problems = Collector()
    inputs.parse_date(instance, "date", problems, iso_only=True)
    for problem in problems.problems:
        yield ValidationError(str(problem))  # already in the reader's language


BodyValidator = validators.extend(Draft202012Validator, {"format": _date_format})


def _bounded(schema):
    """A copy of ``schema`` where every whole number has bounds (``±MAX_INT`` unless declared)."""
    if not isinstance(schema, dict):
        return schema
    copy = dict(schema)
    kinds = copy.get("type")
    if "integer" in (kinds if isinstance(kinds, list) else [kinds]):
        copy.setdefault("minimum", -MAX_INT)
        copy.setdefault("maximum", MAX_INT)
    if isinstance(copy.get("properties"), dict):
        copy["properties"] = {name: _bounded(sub) for name, sub in copy["properties"].items()}
    for key in _SUBSCHEMAS:
        if isinstance(copy.get(key), dict):
            copy[key] = _bounded(copy[key])
    for key in _SUBSCHEMA_LISTS:
        if isinstance(copy.get(key), list):
            copy[key] = [_bounded(sub) for sub in copy[key]]
    return copy


def _field(path: Iterable) -> str:
    return ".".join(str(part)[:100] for part in path)


def _kind_words(kinds) -> str:
    words = [gettext(_TYPE_WORDS.get(kind, str(kind))) for kind in (kinds if isinstance(kinds, list) else [kinds])]
    text = words[0]
    for word in words[1:]:
        text = str(Message("%(one)s or %(other)s", one=text, other=word))
    return text


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs for one jsonschema error, in the reader's language."""
    kind, path, schema, instance = error.validator, list(error.absolute_path), error.schema, error.instance
    field = _field(path)
    if kind == "type":
        if not path:
            return [("body", gettext("The body must be a JSON object"))]
        return [(field, str(Message("Must be %(kind)s", kind=_kind_words(error.validator_value))))]
    if kind == "required":
        return [(_field([*path, name]), gettext("This field is required"))
                for name in error.validator_value if isinstance(instance, dict) and name not in instance]
    if kind == "additionalProperties" and error.validator_value is False:
        known = schema.get("properties", {})
        return [(_field([*path, name]), gettext("Unknown field")) for name in instance if name not in known]
    if kind == "enum":
        return [(field, str(Message("'%(value)s' is not one of: %(choices)s", value=str(instance)[:40],
                                    choices=", ".join(str(choice) for choice in error.validator_value))))]
    if kind in ("minLength", "maxLength"):
        return [(field, str(Message("Give from %(min)s to %(max)s characters", min=schema.get("minLength", 0),
                                    max=schema.get("maxLength", "∞"))))]
    if kind in ("minimum", "maximum"):
        return [(field, str(Message("Give a number from %(min)s to %(max)s", min=schema.get("minimum", -MAX_INT),
                                    max=schema.get("maximum", MAX_INT))))]
    if kind == "maxProperties":
        return [(field, str(Message("At most %(max)s entries", max=error.validator_value)))]
    if kind == "format":
        return [(field, error.message)]  # made in the reader's language by _date_format
    return [(field, gettext("The value has the wrong form"))]  # pattern, and any other kind


def _rank(error: ValidationError) -> int:
    return _ORDER.index(error.validator) if error.validator in _ORDER else len(_ORDER)


def body_validator(schema: dict) -> Callable[[object], dict[str, list[str]]]:
    """A checker for bodies of ``schema``, made once per operation: refuses a schema that is not
    valid JSON Schema at declaration (a plugin's mistake shows at start-up, not on a request)."""
    BodyValidator.check_schema(schema)
    validator = BodyValidator(_bounded(schema))
    properties = schema.get("properties", {})

    def check(body) -> dict[str, list[str]]:
        """Errors per field (empty when the body is valid); whole numbers become ``int``."""
        errors: dict[str, list[str]] = {}
        found = sorted(validator.iter_errors(body), key=_rank)
        mistyped = {tuple(error.absolute_path) for error in found if error.validator == "type"}
        for error in found:
            if error.validator != "type" and tuple(error.absolute_path) in mistyped:
                continue  # what a value of the wrong type is not: one message says it
            for field, message in _messages(error):
                if message not in errors.setdefault(field, []):
                    errors[field].append(message)
        if not errors and isinstance(body, dict):
            for name, prop in properties.items():
                value = body.get(name)
                if isinstance(value, float) and value.is_integer() and "integer" in _kinds(prop):
                    body[name] = int(value)  # a whole number written with a decimal point
        return errors

    return check


def _kinds(schema: dict) -> list:
    kind = schema.get("type") if isinstance(schema, dict) else None
    return kind if isinstance(kind, list) else [kind]


def validate_body(schema: dict, body) -> dict[str, list[str]]:
    """Check a JSON body against ``schema`` (see the module's docstring): errors per field."""
    return body_validator(schema)(body)
