"""Every refusal a rule can give is in the reader's language: each message id that reaches a
``Message`` — directly, through ``RuleViolation.one``/``Collector.add`` (and their plural
forms), or through a helper that takes a message and raises it (``_require(actor, ...,
"You may not ...")``) — has Danish words, in the core's catalogue or its plugin's.

The messages are found by reading the code (its syntax tree), not by Babel's keywords, so a
helper nobody told Babel about is found too: the test then fails until babel.cfg lists it
(or the message has its Danish words). A message id that is not written out in the code (a
variable) cannot be checked or extracted at all and fails the test as well.
"""
from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLUGINS_DIR = ROOT / "plugins"

# The calls that make a message, and the (0-based) positions of their message ids.
MESSAGE_CALLS: dict[str, tuple[int, ...]] = {
    "Message": (0,), "PluralMessage": (0, 1), "one": (1,), "add": (1,), "add_plural": (1, 2),
}
# Where the message machinery itself passes a message id on (it defines the calls above).
MACHINERY = {"core/i18n.py", "core/rules/errors.py"}
# Message ids read from a table whose every entry is an ``N_("...")`` literal: Babel extracts
# them (``N_`` is one of its default keywords) and test_i18n checks each has Danish words.
N_TABLES = {"core/criteria.py"}


def python_files() -> list[Path]:
    return sorted(p for folder in (ROOT / "core", PLUGINS_DIR) for p in folder.rglob("*.py")
                  if "locale" not in p.parts)


def _name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else (
        call.func.attr if isinstance(call.func, ast.Attribute) else None)


def _is_message_call(call: ast.Call, positions: tuple[int, ...], name: str) -> bool:
    if len(call.args) <= max(positions):
        return False
    if name in ("add", "one"):  # set.add(x) and friends have one argument; a rule's has a field first
        field = call.args[0]
        return len(call.args) >= 2 and not (isinstance(field, ast.Constant) and not isinstance(field.value, str))
    return True


def _functions(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def collect() -> tuple[dict[str, list[str]], list[str], dict[str, tuple[int, ...]]]:
    """(message id -> places, message ids that are not literals, helpers that forward a message)."""
    trees = {path: ast.parse(path.read_text(), filename=str(path)) for path in python_files()}
    calls = dict(MESSAGE_CALLS)
    # helpers: a function that hands one of its own parameters on as a message id
    changed = True
    while changed:
        changed = False
        for path, tree in trees.items():
            if str(path.relative_to(ROOT)) in MACHINERY:
                continue
            for function in _functions(tree):
                params = [a.arg for a in function.args.args]
                for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                    name = _name(call)
                    if name not in calls or not _is_message_call(call, calls[name], name):
                        continue
                    for position in calls[name]:
                        arg = call.args[position]
                        if isinstance(arg, ast.Name) and arg.id in params:
                            forwarded = (params.index(arg.id),)
                            if calls.get(function.name) != forwarded and function.name not in MESSAGE_CALLS:
                                calls[function.name] = forwarded
                                changed = True
    found: dict[str, list[str]] = {}
    not_literal: list[str] = []
    for path, tree in trees.items():
        relative = str(path.relative_to(ROOT))
        if relative in MACHINERY:
            continue
        if relative in N_TABLES:
            continue
        forwarding_params = {}
        for function in _functions(tree):
            # a helper passing a message on — also one named like a message call (``Reader.add``
            # with the message where ``Collector.add`` has it): its callers are checked as such
            if function.name in calls:
                forwarding_params[function.name] = {a.arg for a in function.args.args}
        # module constants that name a message: ``NOT_AN_SVG = N_("...")``
        constants = {target.id: node.value.args[0].value for node in tree.body if isinstance(node, ast.Assign)
                     for target in node.targets if isinstance(target, ast.Name)
                     and isinstance(node.value, ast.Call) and _name(node.value) == "N_" and node.value.args
                     and isinstance(node.value.args[0], ast.Constant) and isinstance(node.value.args[0].value, str)}
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name(node)
            if name not in calls or not _is_message_call(node, calls[name], name):
                continue
            for position in calls[name][:1]:  # the singular: a plural message is filed under it
                arg = node.args[position]
                place = f"{relative}:{node.lineno}"
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.setdefault(arg.value, []).append(place)
                elif isinstance(arg, ast.Name) and arg.id in constants:
                    found.setdefault(constants[arg.id], []).append(place)
                elif isinstance(arg, ast.Name) and any(arg.id in params for params in forwarding_params.values()):
                    continue  # a helper passing its own parameter on: its callers are checked
                else:
                    not_literal.append(f"{place}: {ast.unparse(node)[:100]}")
    helpers = {name: positions for name, positions in calls.items() if name not in MESSAGE_CALLS}
    return found, not_literal, helpers


@pytest.fixture(scope="module")
def rule_messages():
    return collect()


def _catalogue(path: Path):
    with open(path, "rb") as fh:
        return read_po(fh, locale="da")


def _translated(catalogue, key: str) -> bool:
    entry = catalogue.get(key)
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return bool(strings) and all(s and s.strip() for s in strings)


def test_the_scan_finds_messages_of_every_kind(rule_messages):
    found, _, helpers = rule_messages
    assert "Enter an amount in kroner" in found                      # RuleViolation.one
    assert "The organisation is not in this programme's network" in found  # Collector.add
    assert "You may not approve payments in this programme" in found  # a helper: _require(..., msgid)
    assert any(key.startswith("%(organisation)s already has %(num)s sign-on fee") for key in found)  # add_plural
    assert {"_require", "_status_problem", "_organisation_ref"} <= set(helpers)


def test_every_message_id_is_written_out(rule_messages):
    _, not_literal, _ = rule_messages
    assert not not_literal, ("these messages are built at run time, so they cannot be translated; write the "
                             "message id out in the call:\n  " + "\n  ".join(not_literal))


def test_babel_extracts_through_every_helper(rule_messages):
    """`make messages` only puts what Babel's keywords find into the catalogue: each helper that
    takes a message must be a keyword, at the right argument."""
    _, _, helpers = rule_messages
    parser = configparser.RawConfigParser()
    parser.read(ROOT / "babel.cfg", encoding="utf-8")
    keywords = {kw for section in parser.sections() if section.startswith("python:")
                for kw in parser.get(section, "keywords", fallback="").split()}
    missing = [f"{name}:{','.join(str(p + 1) for p in positions)}" for name, positions in helpers.items()
               if f"{name}:{','.join(str(p + 1) for p in positions)}" not in keywords]
    assert not missing, f"add these keywords to babel.cfg and the Makefile's `messages`: {' '.join(missing)}"


def test_every_rule_message_has_danish(rule_messages):
    found, _, _ = rule_messages
    core_da = _catalogue(ROOT / "core" / "locale" / "da" / "LC_MESSAGES" / "messages.po")
    plugin_da = {p.name: _catalogue(p / "locale" / "da" / "LC_MESSAGES" / "messages.po")
                 for p in PLUGINS_DIR.iterdir() if (p / "locale" / "da" / "LC_MESSAGES" / "messages.po").exists()}
    missing = {}
    for key, places in found.items():
        plugins = {Path(place).parts[1] for place in places if place.startswith("plugins/")}
        if _translated(core_da, key) or any(_translated(plugin_da[p], key) for p in plugins if p in plugin_da):
            continue
        missing[key] = places
    assert not missing, (f"{len(missing)} rule message(s) have no Danish words (run `make messages` and "
                         f"translate, or add them to the plugin's catalogue):\n"
                         + "\n".join(f"  {key!r} ({', '.join(places[:2])})" for key, places in sorted(missing.items())))


def test_plural_rule_messages_have_both_danish_forms(rule_messages):
    found, _, _ = rule_messages
    core_da = _catalogue(ROOT / "core" / "locale" / "da" / "LC_MESSAGES" / "messages.po")
    for key in found:
        entry = core_da.get(key)
        if entry is not None and isinstance(entry.id, tuple):
            assert len(entry.string) == 2 and all(entry.string), key


# --- what the messages say -------------------------------------------------------------------

def test_a_refusal_names_a_status_in_words_not_its_key(platform):  # platform: catalogues loaded
    from core import i18n
    from core.rules import money
    from core.rules.errors import RuleViolation

    class Paid:
        status = "paid"
    with pytest.raises(RuleViolation) as caught:
        money._status_problem(Paid(), ("created",), "Only a payment waiting for approval can be approved; "
                              "its status is: %(status)s")
    with i18n.locale_context("da"):
        assert caught.value.messages() == ["Kun en betaling, der afventer godkendelse, kan godkendes; "
                                           "dens status er: Udbetalt"]
    with i18n.locale_context("en"):
        assert caught.value.messages()[0].endswith("its status is: Paid")


def test_counts_take_the_plural_form_of_the_readers_language(platform):
    from core import i18n
    from core.rules.errors import Collector
    problems = Collector()
    for n in (1, 2):
        problems.add_plural("organisation", "%(organisation)s already has %(num)s sign-on fee in this programme; "
                            "the programme type allows %(allowed)s",
                            "%(organisation)s already has %(num)s sign-on fees in this programme; "
                            "the programme type allows %(allowed)s", n, organisation="RBBC", allowed="1")
    with i18n.locale_context("en"):
        one, two = (str(p) for p in problems.problems)
    assert one.startswith("RBBC already has 1 sign-on fee in") and two.startswith("RBBC already has 2 sign-on fees in")
    assert "(s)" not in one + two
    with i18n.locale_context("da"):
        assert str(problems.problems[0]).startswith("RBBC har allerede fået 1 tilslutningsbeløb")


def test_kinds_in_a_message_are_words(platform):
    from core import i18n
    from core.labels import LabelList, organisation_kind
    from core.rules.errors import RuleViolation
    refusal = RuleViolation.one("owner_organisation", "A programme of this type is owned by: %(kinds)s",
                                kinds=LabelList(organisation_kind, ("municipality", "volunteer_centre")))
    with i18n.locale_context("da"):
        assert refusal.messages() == ["Et partnerskab af denne type ejes af: Kommunen selv, Frivilligcenter"]
    with i18n.locale_context("en"):
        assert refusal.messages() == ["A programme of this type is owned by: The municipality itself, Volunteer centre"]
