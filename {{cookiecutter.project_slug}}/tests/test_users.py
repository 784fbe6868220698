"""The signed-in user: who `/users/me/` is, and that no API route serves an anonymous caller."""

import logging
import re
import uuid
from datetime import datetime

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.auth.dependencies import SIGN_IN, SignedInDep
from app.core.db import SessionDep
from app.models.user import User
from app.schemas.user import UserPublic
from tests.test_logging import json_access_line
from tests.users import set_active
from toolkit.checks.routes import api_routes, service_app

ME = "/api/v1/users/me/"
# Only the routes that sign users in with a password are open to anonymous callers.
PUBLIC_OPERATIONS = {"login", "refresh_tokens"}


# The same in every process, so parallel runs (pytest -n) collect the same test ids.
SOME_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def guarded_requests() -> list[tuple[str, str]]:
    """Every method and path of the API but the public ones, path parameters filled in."""
    return [
        (method, re.sub(r"\{[^}]+\}", str(SOME_ID), route.path))
        for route in api_routes(service_app())
        if route.path.startswith("/api/") and route.operation_id not in PUBLIC_OPERATIONS
        for method in sorted(route.methods)
    ]


@pytest.mark.parametrize(("method", "path"), guarded_requests())
async def test_every_api_route_refuses_anonymous_callers(
    anonymous_client: AsyncClient, method: str, path: str
) -> None:
    response = await anonymous_client.request(method, path, json={})

    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated.", "code": "not_authenticated"}


async def test_me_is_the_signed_in_user(client: AsyncClient, user: User) -> None:
    response = await client.get(ME)

    assert response.status_code == 200
    me = response.json()
    expected = {"id": str(user.id), "email": user.email, "role": "member", "is_active": True}
    assert me | expected == me
    assert datetime.fromisoformat(me["created_at"]) == user.created_at
    assert set(me) == set(UserPublic.model_fields)


async def test_a_deactivated_user_is_refused(app: FastAPI, client: AsyncClient) -> None:
    await set_active(app, "alice@tenant-a.example", active=False)

    response = await client.get(ME)

    assert response.status_code == 401


async def test_the_access_line_names_the_signed_in_user(
    client: AsyncClient, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.requests")

    await client.get("/api/v1/users/me/")

    assert json_access_line(caplog)["user_id"] == str(user.id)


async def test_a_route_shares_the_session_sign_in_opened(app: FastAPI, client: AsyncClient) -> None:
    # Sign-in, a repository and the route's own SessionDep all use the request's one session:
    # a second one would hold a second connection, outside the first one's transaction.
    @app.post("/api/v1/test-session-owner/", dependencies=[SIGN_IN])
    async def session_owner(signed_in: SignedInDep, session: SessionDep) -> dict[str, bool]:
        return {"shared": signed_in.session is session, "in_transaction": session.in_transaction()}

    response = await client.post("/api/v1/test-session-owner/")

    assert response.json() == {"shared": True, "in_transaction": True}
