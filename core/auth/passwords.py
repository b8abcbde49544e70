"""Password hashing and the password policy.

Hashing is argon2id through argon2-cffi's ``PasswordHasher`` with the OWASP Password Storage
Cheat Sheet's configuration (19 MiB, 2 passes, 1 lane): argon2-cffi's own default (64 MiB, 3
passes, 4 lanes) takes 1–2 seconds per login on a small two-core server, which turns a burst
of logins into a denial of service. When ``HASH_PARAMETERS`` change, ``needs_rehash`` says so
for every stored hash and the login view stores a fresh one while it has the password in hand.

The policy follows NIST SP 800-63B and OWASP ASVS 2.1: length matters, composition rules do
not (they make people write "Sommer2024!"). So: at least 12 characters, at most 256 (argon2
has no 72-byte limit like bcrypt, the cap only keeps hashing cheap), not a common password,
and not built from the person's own email, name or municipality.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.rules.errors import Collector

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt")

HASH_PARAMETERS = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
_hasher = PasswordHasher(**HASH_PARAMETERS)
# A hash of a random password, verified when no account matches the email so an unknown
# address takes as long to refuse as a wrong password (no account discovery by timing).
_DUMMY_HASH = _hasher.hash("dummy password that never matches anything")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """True when the password matches; a missing or damaged hash is simply 'no'."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@functools.lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(_fold(line) for line in lines if line.strip() and not line.startswith("#"))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _personal_words(email: str, name: str, municipality_name: str) -> list[str]:
    """Parts of who the person is that must not appear in their password."""
    words = []
    local = _fold(email).split("@")[0]
    words += [local] + re.split(r"[._+\-]+", local)
    words += re.split(r"\s+", _fold(name))
    municipality = _fold(municipality_name).replace(" kommune", "").replace("kommune", "")
    words += [municipality.strip()]
    return sorted({word for word in words if len(word) >= 4}, key=len, reverse=True)


def check_policy(password: str, *, email: str = "", name: str = "", municipality_name: str = "",
                 field: str = "password") -> None:
    """Raise ``RuleViolation`` (all problems at once, on ``field``) unless the password is acceptable."""
    problems = Collector()
    length = len(password)
    if length < MIN_LENGTH:
        problems.add(field, "The password must be at least %(min)s characters long; it has %(count)s.",
                     min=MIN_LENGTH, count=length)
    elif length > MAX_LENGTH:
        problems.add(field, "The password can be at most %(max)s characters long.", max=MAX_LENGTH)
    folded = _fold(password)
    common = common_passwords()
    if folded in common or folded.rstrip("0123456789!?.,-_ ") in common:
        problems.add(field, "This password is too common: it is on the lists attackers try first. "
                            "A few unrelated words make a strong password that is easy to remember.")
    else:
        for word in _personal_words(email, name, municipality_name):
            if word in folded:
                problems.add(field, "The password must not contain your name, your email address "
                                    "or your municipality.")
                break
    problems.raise_if_any()
