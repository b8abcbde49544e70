"""Every action the code writes to the audit log has words for the log's readers: the test
reads the code for ``record(...)``/``record_event(...)`` calls and checks each action against
``core.audit_labels``, so a new action cannot reach the page as a developer's key."""
from __future__ import annotations

import ast
from pathlib import Path

from core import audit_labels

ROOT = Path(__file__).resolve().parents[2]


def recorded_actions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for folder in (ROOT / "core", ROOT / "plugins"):
        for path in sorted(folder.rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call) or len(node.args) < 2:
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name not in ("record", "record_event"):
                    continue
                action = node.args[1]
                place = f"{path.relative_to(ROOT)}:{node.lineno}"
                if isinstance(action, ast.Constant) and isinstance(action.value, str) and "." in action.value:
                    found.setdefault(action.value, []).append(place)
                elif isinstance(action, ast.JoinedStr):  # f"application.{status}": its known outcomes
                    prefix = "".join(v.value for v in action.values if isinstance(v, ast.Constant))
                    found.setdefault(prefix + "*", []).append(place)
    return found


def test_the_scan_finds_the_actions():
    found = recorded_actions()
    assert {"payment.approve", "login.success", "organisation.create", "budget.set"} <= set(found)
    assert "application.*" in found


def test_every_recorded_action_has_a_label():
    known = audit_labels.known_actions()
    missing = {}
    for action, places in recorded_actions().items():
        if action.endswith("*"):
            if not any(k.startswith(action[:-1]) for k in known):
                missing[action] = places
        elif action not in known:
            missing[action] = places
    assert not missing, "give these audited actions a label in core/audit_labels.py:\n" + "\n".join(
        f"  {action} ({', '.join(places[:2])})" for action, places in sorted(missing.items()))


def test_a_decision_has_both_outcomes_labelled():
    known = audit_labels.known_actions()
    assert {"application.accepted", "application.rejected"} <= known


def test_labels_are_words_in_the_readers_language(platform):
    from core import i18n
    with i18n.locale_context("da"):
        assert audit_labels.action_label("payment.approve") == "godkendte en betaling"
    with i18n.locale_context("en"):
        assert audit_labels.action_label("payment.approve") == "approved a payment"
    assert audit_labels.action_label("no.such.action") == ""
