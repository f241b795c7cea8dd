"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import secrets
import string
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from govhall.errors import AppError, field_error

_hasher = PasswordHasher()
# A valid hash of a random password, verified when the user does not exist so timing does not tell.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")
"""The 10,000 most common passwords (lower case), shipped with the product: the head of the frequency list of
zxcvbn 4.5.0 (MIT; Dropbox), itself from leaked password corpora."""
_UNLEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


@cache
def _common() -> frozenset[str]:
    return frozenset(line.strip() for line in COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines() if line.strip())


def is_common(password: str) -> bool:
    """A listed password, ignoring case, look-alike digits and symbols (Passw0rd = password) and a trailing run of
    digits and symbols (Password123!)."""
    common = _common()
    low = password.lower()
    base = low.rstrip(string.digits + string.punctuation)
    candidates = {low, low.translate(_UNLEET)}
    if len(base) >= 4:  # "ab" + digits is not "a common password followed by digits"
        candidates |= {base, base.translate(_UNLEET)}
    return any(c in common for c in candidates)


def check_policy(password: str, field: str = "newPassword") -> None:
    if is_common(password):
        raise AppError(
            "common_password", "此密码过于常见，容易被猜中，请换一个",
            "This password is too common and easy to guess; choose another", status=400,
            fields=[field_error(field, "密码过于常见", "Too common a password")],
        )
    kinds = sum(any(c in group for c in password) for group in
                (string.ascii_lowercase, string.ascii_uppercase, string.digits, string.punctuation))
    if len(password) < MIN_LENGTH or kinds < 3:
        raise AppError(
            "weak_password", "密码至少 8 位，且包含大写字母、小写字母、数字、符号中的至少三类",
            "Password needs 8+ characters and three of: lower case, upper case, digits, symbols",
            status=400,
            fields=[field_error(field, "密码强度不足", "Password too weak")],
        )


def one_time_password() -> str:
    """A one-time password that satisfies the policy; shown once, must be changed at first login."""
    alphabet = string.ascii_letters + string.digits
    core = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{core}#{secrets.randbelow(90) + 10}Aa"
