"""How tests sign in behind oauth2-proxy: the headers the proxy would forward."""

from typing import Any

from fastapi import FastAPI

from app.models.user import User

TEST_SETTINGS: dict[str, Any] = {}


def sign_in_fields(email: str) -> dict[str, Any]:
    return {"username": email.partition("@")[0]}


def credentials(_app: FastAPI, user: User) -> dict[str, str]:
    """The headers that sign a request in as `user`."""
    return {"X-Forwarded-Email": user.email, "X-Forwarded-Preferred-Username": user.username}
