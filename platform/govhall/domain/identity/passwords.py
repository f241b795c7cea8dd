"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

import secrets
import string

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


def check_policy(password: str, field: str = "newPassword") -> None:
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
