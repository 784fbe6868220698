"""How tests sign in with tokens: users with one known password, and a bearer token for each."""

from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from fastapi import FastAPI
from pydantic import SecretStr

from app.auth import passwords
from app.auth.passwords import hash_password
from app.auth.tokens import issue_token
from app.models.user import User

# Argon2id at its production cost takes about 50 ms and 64 MiB a hash, and the suite hashes and
# verifies hundreds of times: tests use the same algorithm at argon2's cheapest parameters,
# which the library offers for this. The service's own parameters stay argon2's defaults.
passwords._hasher = PasswordHasher.from_parameters(CHEAPEST)

TEST_PASSWORD = "correct horse battery staple"
TEST_SECRET_KEY = SecretStr("a-test-only-signing-key-of-at-least-32-bytes")
# What the tests' settings add: their own key, and revocations in the database.
TEST_SETTINGS: dict[str, Any] = {"secret_key": TEST_SECRET_KEY, "redis_url": None}


@cache
def password_hash() -> str:
    """Hashing is slow on purpose: one hash of TEST_PASSWORD serves every test user."""
    return hash_password(TEST_PASSWORD)


def sign_in_fields(_email: str) -> dict[str, Any]:
    return {"hashed_password": password_hash()}


def credentials(app: FastAPI, user: User) -> dict[str, str]:
    """The headers that sign a request in as `user`."""
    token = issue_token(user.id, "access", app.state.settings)
    return {"Authorization": f"Bearer {token.encoded}"}


def forget_failed_logins(app: FastAPI) -> None:
    """Without Redis, the app counts failed logins in memory for as long as it runs; a test
    starts with none."""
    if hasattr(app.state, "failed_logins"):
        del app.state.failed_logins
