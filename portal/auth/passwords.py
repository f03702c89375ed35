"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations), and the rules
for a new password as NIST SP 800-63B gives them: long enough, not a known one, no composition rules."""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

if TYPE_CHECKING:
    from portal.models import User

MIN_LENGTH = 12
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")

_hasher = PasswordHasher()
# Verifying against this when the e-mail is unknown keeps both failures equally slow.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def use_test_profile() -> None:
    """Cheap argon2 parameters, for the test suite only (hundreds of sign-ins would take minutes)."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    _DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash of password, salted."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether password matches the hash; with no hash, spend the same time and say no."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's and should be replaced."""
    return _hasher.check_needs_rehash(password_hash)


@functools.cache
def _common_passwords() -> frozenset[str]:
    # Read once per process: about 40,000 lines, shipped with the code (nothing is fetched at run time).
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _folded(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()


def check_new_password(password: str, user: User | None = None) -> list[str]:
    """Why ``password`` may not become someone's password (empty: it may), in words for the form.

    Every place that sets a password asks this. Length is counted in code points after NFKC, so a
    character typed in a decomposed form counts once. Passwords that already exist are never checked.
    """
    normalised = unicodedata.normalize("NFKC", password)
    if len(normalised) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters: a few unrelated words work well."]
    if len(normalised) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    folded = normalised.casefold()
    problems = []
    if folded in _common_passwords():
        problems.append("This password is on a list of common or leaked passwords: choose another.")
    if user is not None and folded in _personal_words(user):
        problems.append("Do not use your e-mail address or your name as your password.")
    return problems


def _personal_words(user: User) -> set[str]:
    email = _folded(user.email)
    name = _folded(user.full_name)
    return {email, email.split("@")[0], name, "".join(name.split())} - {""}
