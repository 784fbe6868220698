"""The signed-in user: who `/users/me/` is, and that no API route serves an anonymous caller."""

import re
import uuid
from datetime import datetime
{%- if cookiecutter.auth == "oauth2_proxy" %}
from typing import Literal
{%- endif %}

import pytest
{%- if cookiecutter.auth == "oauth2_proxy" %}
from fastapi import FastAPI
{%- endif %}
from httpx import AsyncClient

from app.cli.checks.routes import api_routes, service_app
{%- if cookiecutter.auth == "oauth2_proxy" %}
from app.core.config import Settings
from app.main import create_app
{%- if cookiecutter.multi_tenant == "yes" %}
from app.models.tenant import Tenant
{%- endif %}
{%- endif %}
from app.models.user import User
{%- if cookiecutter.auth == "oauth2_proxy" %}
from tests.conftest import add_user, client_for, set_active
{%- endif %}

ME = "/api/v1/users/me/"
{%- if cookiecutter.auth == "jwt" %}
# The routes that sign users in are the only ones open to anonymous callers.
PUBLIC_OPERATIONS = {"login", "refresh_tokens"}
{%- else %}
PUBLIC_OPERATIONS: set[str] = set()
{%- endif %}


def guarded_requests() -> list[tuple[str, str]]:
    """Every method and path of the API but the public ones, path parameters filled in."""
    return [
        (method, re.sub(r"\{[^}]+\}", str(uuid.uuid4()), route.path))
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
    assert response.json() == {
        "id": str(user.id),
        "email": "alice@tenant-a.example",
{%- if cookiecutter.auth == "oauth2_proxy" %}
        "username": "alice",
{%- endif %}
        "role": "member",
        "is_active": True,
{%- if cookiecutter.multi_tenant == "yes" %}
        "tenant_id": str(user.tenant_id),
{%- endif %}
        "created_at": response.json()["created_at"],
    }
    assert datetime.fromisoformat(response.json()["created_at"]) == user.created_at
{%- if cookiecutter.auth == "oauth2_proxy" %}


def proxy_headers(email: str, username: str) -> dict[str, str]:
    return {"X-Forwarded-Email": email, "X-Forwarded-Preferred-Username": username}


async def test_the_first_request_creates_the_user(
    app: FastAPI, anonymous_client: AsyncClient
) -> None:
    first = await anonymous_client.get(ME, headers=proxy_headers("New@Tenant-C.example", "newbie"))
    again = await anonymous_client.get(ME, headers=proxy_headers("new@tenant-c.example", "renamed"))

    assert first.status_code == 200
    assert first.json()["email"] == "new@tenant-c.example"
    assert first.json()["role"] == "member"
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["username"] == "renamed"
{%- if cookiecutter.multi_tenant == "yes" %}
    async with app.state.sessionmaker() as session:
        tenant = await session.get(Tenant, uuid.UUID(first.json()["tenant_id"]))
    assert tenant is not None
    assert tenant.name == "new@tenant-c.example"  # a tenant of their own
{%- endif %}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(proxy_headers("not-an-email", "someone"), id="email-without-at"),
        pytest.param(proxy_headers("someone@", "someone"), id="email-without-domain"),
        pytest.param(proxy_headers("some one@example.com", "someone"), id="email-with-space"),
        pytest.param(proxy_headers("x" * 320 + "@example.com", "someone"), id="email-too-long"),
        pytest.param({"X-Forwarded-Preferred-Username": "someone"}, id="username-only"),
    ],
)
async def test_unusable_proxy_headers_are_refused(
    anonymous_client: AsyncClient, headers: dict[str, str]
) -> None:
    response = await anonymous_client.get(ME, headers=headers)

    assert response.status_code == 401


async def test_a_deactivated_user_is_refused(app: FastAPI, client: AsyncClient) -> None:
    await set_active(app, "alice@tenant-a.example", active=False)

    response = await client.get(ME)

    assert response.status_code == 401


async def test_a_user_created_beforehand_keeps_their_role(app: FastAPI) -> None:
    admin = await add_user(app, "boss@tenant-a.example", username="boss", role="admin")

    async with client_for(app, proxy_headers("boss@tenant-a.example", "boss")) as client:
        response = await client.get(ME)

    assert response.json()["id"] == str(admin.id)
    assert response.json()["role"] == "admin"


@pytest.mark.parametrize(
    ("environment", "status"),
    [("local", 200), ("test", 401), ("staging", 401), ("production", 401)],
)
async def test_dev_user_only_in_the_local_environment(
    settings: Settings, environment: Literal["local", "test", "staging", "production"], status: int
) -> None:
    app = create_app(settings.model_copy(update={"environment": environment}))
    async with app.router.lifespan_context(app), client_for(app, {}) as client:
        response = await client.get(ME)

    assert response.status_code == status
    if status == 200:
        assert response.json()["email"] == "dev-user@example.com"
{%- endif %}
