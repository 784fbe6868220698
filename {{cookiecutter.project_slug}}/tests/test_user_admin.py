"""User administration: only admins, and only over the users they administer."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.models.user import User
from tests.clients import client_for
from tests.sign_in_jwt import credentials
from tests.users import add_user

USERS = "/api/v1/users/"
LOGIN = "/api/v1/auth/login/"
ME = "/api/v1/users/me/"
PASSWORD = "a first password"


@pytest.fixture
async def admin(app: FastAPI) -> User:
    return await add_user(app, "admin@tenant-c.example", role="admin")


@pytest.fixture
async def admin_client(app: FastAPI, admin: User) -> AsyncIterator[AsyncClient]:
    async with client_for(app, credentials(app, admin)) as client:
        yield client


async def create_user(admin_client: AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"email": "new@tenant-c.example", "password": PASSWORD} | fields
    response = await admin_client.post(USERS, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def log_in(client: AsyncClient, email: str, password: str) -> int:
    response = await client.post(LOGIN, data={"username": email, "password": password})
    return response.status_code


async def test_a_member_cannot_administer_users(client: AsyncClient) -> None:
    response = await client.get(USERS)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


async def test_a_user_an_admin_creates_can_sign_in(
    admin_client: AsyncClient, anonymous_client: AsyncClient, admin: User
) -> None:
    created = await create_user(admin_client, email="New@Tenant-C.example", role="admin")

    assert created["email"] == "new@tenant-c.example"
    assert created["role"] == "admin"
    assert "password" not in created
    assert "hashed_password" not in created
{%- if cookiecutter.multi_tenant == "yes" %}
    assert created["tenant_id"] == str(admin.tenant_id)
{%- endif %}
    assert await log_in(anonymous_client, "new@tenant-c.example", PASSWORD) == 200


async def test_an_email_that_has_an_account_is_a_409(admin_client: AsyncClient) -> None:
    await create_user(admin_client)
    again = {"email": "NEW@tenant-c.example", "password": PASSWORD}

    response = await admin_client.post(USERS, json=again)

    assert response.status_code == 409


async def test_the_list_holds_the_users_the_admin_administers(
    admin_client: AsyncClient, user: User
) -> None:
    created = await create_user(admin_client)

    response = await admin_client.get(USERS, params={"limit": 1})

    page = response.json()
    assert response.status_code == 200
    assert len(page["data"]) == 1
{%- if cookiecutter.multi_tenant == "yes" %}
    # `user` is in another tenant: the admin neither sees nor counts them.
    assert page["count"] == 2
    everyone = (await admin_client.get(USERS)).json()["data"]
    assert {entry["email"] for entry in everyone} == {"admin@tenant-c.example", created["email"]}
{%- else %}
    assert page["count"] == 3
    everyone = (await admin_client.get(USERS)).json()["data"]
    assert created["email"] in {entry["email"] for entry in everyone}
    assert user.email in {entry["email"] for entry in everyone}
{%- endif %}


async def test_a_deactivated_user_is_refused_at_once(
    admin_client: AsyncClient, anonymous_client: AsyncClient
) -> None:
    created = await create_user(admin_client)
    login = await anonymous_client.post(
        LOGIN, data={"username": created["email"], "password": PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await anonymous_client.get(ME, headers=headers)).status_code == 200

    response = await admin_client.patch(f"{USERS}{created['id']}/", json={"is_active": False})

    assert response.json()["is_active"] is False
    assert (await anonymous_client.get(ME, headers=headers)).status_code == 401
    assert await log_in(anonymous_client, created["email"], PASSWORD) == 401


async def test_an_admin_changes_a_role(admin_client: AsyncClient) -> None:
    created = await create_user(admin_client)

    response = await admin_client.patch(f"{USERS}{created['id']}/", json={"role": "admin"})

    assert response.status_code == 200
    assert response.json()["role"] == "admin"


@pytest.mark.parametrize("changes", [{"role": "member"}, {"is_active": False}])
async def test_an_admin_cannot_lock_themselves_out(
    admin_client: AsyncClient, admin: User, changes: dict[str, Any]
) -> None:
    response = await admin_client.patch(f"{USERS}{admin.id}/", json=changes)

    assert response.status_code == 409
    assert (await admin_client.get(ME)).json()["role"] == "admin"


async def test_a_null_change_is_refused(admin_client: AsyncClient) -> None:
    created = await create_user(admin_client)

    response = await admin_client.patch(f"{USERS}{created['id']}/", json={"role": None})

    assert response.status_code == 422


async def test_a_new_password_replaces_the_old_one(
    admin_client: AsyncClient, anonymous_client: AsyncClient
) -> None:
    created = await create_user(admin_client)

    response = await admin_client.put(
        f"{USERS}{created['id']}/password/", json={"password": "a second password"}
    )

    assert response.status_code == 204
    assert await log_in(anonymous_client, created["email"], PASSWORD) == 401
    assert await log_in(anonymous_client, created["email"], "a second password") == 200
{%- if cookiecutter.multi_tenant == "yes" %}


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [("PATCH", "", {"role": "admin"}), ("PUT", "password/", {"password": "taken over!"})],
)
async def test_another_tenants_user_is_not_found(
    admin_client: AsyncClient, user: User, method: str, suffix: str, body: dict[str, Any]
) -> None:
    response = await admin_client.request(method, f"{USERS}{user.id}/{suffix}", json=body)

    assert response.status_code == 404
{%- endif %}
