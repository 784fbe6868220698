"""Password hashing with Argon2id (argon2-cffi): only the hash is ever stored.

Hashing is deliberately slow, so the routes run it in a worker thread, off the event loop.
"""

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except VerificationError:
        return False
    except InvalidHashError:  # not an Argon2 hash at all: nothing can match it
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the hasher now uses."""
    return _hasher.check_needs_rehash(password_hash)


@cache
def _unmatchable_hash() -> str:
    return _hasher.hash("a password no account has")


def spend_verification_time(password: str) -> None:
    """Verify against a throwaway hash, so an unknown email takes as long as a wrong password
    and response times do not tell which addresses have accounts."""
    verify_password(password, _unmatchable_hash())
