"""Behind oauth2-proxy: users come from the forwarded headers, created on first sight."""

{% if cookiecutter.multi_tenant == "yes" -%}
import uuid
{% endif -%}
from typing import Literal

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.config import Settings
from app.main import create_app
{%- if cookiecutter.multi_tenant == "yes" %}
from app.models.tenant import Tenant
{%- endif %}
from tests.clients import client_for
from tests.users import add_user

ME = "/api/v1/users/me/"


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
