"""The password policy (unit tests of the rule) and argon2id hashing with rehash on login."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from core import db
from core.auth import passwords
from core.models.account import Account
from core.rules.errors import RuleViolation
from tests.core.auth.conftest import login


def problems(password, **who):
    try:
        passwords.check_policy(password, **who)
    except RuleViolation as exc:
        return [p.message.msgid for p in exc.problems]
    return []


def test_long_plain_passphrases_are_accepted_without_composition_rules():
    assert problems("blue kettle under the stairs") == []
    assert problems("abcdefghijkx") == []  # 12 characters, no digits or capitals needed
    assert problems("ø" * 256) == []


@pytest.mark.parametrize("password", ["", "short", "elevenchars"])
def test_fewer_than_12_characters_is_refused(password):
    assert any("at least" in msgid for msgid in problems(password))


def test_more_than_256_characters_is_refused():
    assert any("at most" in msgid for msgid in problems("x" * 257))


@pytest.mark.parametrize("password", ["password1234", "Qwertyuiop123", "kodeord1234", "Sommerfugl2024!",
                                      "CorrectHorseBatteryStaple", "velkommen2025"])
def test_common_passwords_are_refused_whatever_their_case_or_trailing_digits(password):
    assert any("too common" in msgid for msgid in problems(password))


def test_the_common_list_is_a_few_hundred_entries():
    assert 300 <= len(passwords.common_passwords()) < 5000


@pytest.mark.parametrize("password, who", [
    ("anna.jensen-rocks!", {"email": "anna.jensen@kk.dk"}),
    ("my jensen family rules", {"email": "aj@kk.dk", "name": "Anna Jensen"}),
    ("i work in Slagelse now", {"municipality_name": "Slagelse Kommune"}),
    ("københavns bedste kontor", {"municipality_name": "Københavns Kommune"}),
])
def test_own_email_name_or_municipality_is_refused(password, who):
    assert any("must not contain" in msgid for msgid in problems(password, **who))


def test_hashes_are_argon2id_and_verify():
    hashed = passwords.hash_password("blue kettle under the stairs")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "blue kettle under the stairs")
    assert not passwords.verify(hashed, "blue kettle under the chair")
    assert not passwords.verify(None, "anything")
    assert not passwords.verify("not a hash", "anything")
    assert not passwords.needs_rehash(hashed)


def test_a_hash_with_old_parameters_is_replaced_at_login(make_account, client):
    email = make_account()
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("blue kettle under the stairs")
    with db.connection():
        Account.update(password_hash=weak).where(Account.email == email).execute()
    assert passwords.needs_rehash(weak)
    assert login(client, email).status_code == 303
    with db.connection():
        stored = Account.get(Account.email == email).password_hash
    assert stored != weak and not passwords.needs_rehash(stored)
    assert passwords.verify(stored, "blue kettle under the stairs")
