"""Fixtures: a fresh, migrated database and a running app for every test{% if cookiecutter.auth != "none" %}, and clients signed in
as users{% if cookiecutter.multi_tenant == "yes" %} of two different tenants{% endif %}{% endif %}."""

from collections.abc import AsyncIterator, Iterator
{%- if cookiecutter.auth != "none" %}
from contextlib import asynccontextmanager
{%- endif %}
from pathlib import Path
{%- if cookiecutter.auth != "none" %}
from typing import Any
{%- endif %}

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
{%- if cookiecutter.auth == "jwt" %}
from pydantic import SecretStr
{%- endif %}
{%- if cookiecutter.auth != "none" %}
from sqlmodel import col, select
{%- endif %}

{% if cookiecutter.auth == "jwt" -%}
from app.auth.passwords import hash_password
from app.auth.tokens import issue_token
{% endif -%}
from app.core.config import Settings
from app.main import create_app
{%- if cookiecutter.auth != "none" %}
from app.models.user import User
from app.repositories.user import UserRepository
{%- endif %}
from tests.databases import TestDatabases, databases_for
{%- if cookiecutter.auth == "jwt" %}

TEST_PASSWORD = "correct horse battery staple"
TEST_SECRET_KEY = SecretStr("a-test-only-signing-key-of-at-least-32-bytes")
{%- endif %}


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    configured_url = Settings(environment="test").database_url
    databases = databases_for(configured_url, Path(tmp_path_factory.mktemp("databases")))
    databases.create_template()
    yield databases
    databases.drop_template()


@pytest.fixture
async def settings(databases: TestDatabases) -> AsyncIterator[Settings]:
    async with databases.fresh() as database_url:
        yield Settings(
            environment="test",
            database_url=database_url,
            log_level="WARNING",
{%- if cookiecutter.auth == "jwt" %}
            secret_key=TEST_SECRET_KEY,
            redis_url=None,
{%- endif %}
        )


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app
{%- if cookiecutter.auth == "none" %}


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
{%- else %}
{%- if cookiecutter.auth == "jwt" %}


@pytest.fixture(scope="session")
def password_hash() -> str:
    """Hashing is slow on purpose: one hash of TEST_PASSWORD serves every test user."""
    return hash_password(TEST_PASSWORD)
{%- endif %}


async def add_user(app: FastAPI, email: str, **values: Any) -> User:
    """Store a user straight through the repository, as `python -m app.cli create-user` does."""
    async with app.state.sessionmaker() as session:
        user = await UserRepository(session).add(email, **values)
        await session.commit()
        return user


async def set_active(app: FastAPI, email: str, *, active: bool) -> None:
    async with app.state.sessionmaker() as session:
        user = (await session.exec(select(User).where(col(User.email) == email))).one()
        user.is_active = active
        await session.commit()


def credentials(app: FastAPI, user: User) -> dict[str, str]:
    """The headers that sign a request in as `user`."""
{%- if cookiecutter.auth == "jwt" %}
    token = issue_token(user.id, "access", app.state.settings)
    return {"Authorization": f"Bearer {token.encoded}"}
{%- else %}
    return {"X-Forwarded-Email": user.email, "X-Forwarded-Preferred-Username": user.username}
{%- endif %}


@asynccontextmanager
async def client_for(app: FastAPI, headers: dict[str, str]) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app)
    async with AsyncClient(
        transport=transport, base_url="http://testserver", headers=headers
    ) as client:
        yield client


@pytest.fixture
async def user(app: FastAPI{% if cookiecutter.auth == "jwt" %}, password_hash: str{% endif %}) -> User:
    """The user `client` is signed in as{% if cookiecutter.multi_tenant == "yes" %}, alone in a tenant of their own{% endif %}."""
{%- if cookiecutter.auth == "jwt" %}
    return await add_user(app, "alice@tenant-a.example", hashed_password=password_hash)
{%- else %}
    return await add_user(app, "alice@tenant-a.example", username="alice")
{%- endif %}


@pytest.fixture
async def client(app: FastAPI, user: User) -> AsyncIterator[AsyncClient]:
    """A client signed in as `user`."""
    async with client_for(app, credentials(app, user)) as client:
        yield client


@pytest.fixture
async def anonymous_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with client_for(app, {}) as client:
        yield client
{%- if cookiecutter.multi_tenant == "yes" %}


@pytest.fixture
{%- if cookiecutter.auth == "jwt" %}
async def other_tenant_client(app: FastAPI, password_hash: str) -> AsyncIterator[AsyncClient]:
{%- else %}
async def other_tenant_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
{%- endif %}
    """A client signed in as a user of another tenant than `client`'s."""
{%- if cookiecutter.auth == "jwt" %}
    other = await add_user(app, "bob@tenant-b.example", hashed_password=password_hash)
{%- else %}
    other = await add_user(app, "bob@tenant-b.example", username="bob")
{%- endif %}
    async with client_for(app, credentials(app, other)) as client:
        yield client
{%- endif %}
{%- endif %}
