"""Fixtures: a fresh, migrated database and a running app for every test, and `client`{{ ", signed
in as `user`" if cookiecutter.auth != "none" }}."""

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.config import Settings
from app.main import create_app
{%- if cookiecutter.auth != "none" %}
from app.models.user import User
{%- endif %}
from tests.clients import client_for
from tests.databases import TestDatabases, databases_for
{%- if cookiecutter.auth != "none" %}
from tests.sign_in_{{ cookiecutter.auth }} import TEST_SETTINGS, credentials
from tests.users import add_user
{%- endif %}

# Whatever .env says (a clone has none; a developer's says `local`), the suite is a test run.
os.environ["ENVIRONMENT"] = "test"


@pytest.fixture(scope="session")
def suite_settings() -> Settings:
    """Read once: reading the environment and .env cost every test a few milliseconds."""
    return Settings(log_level="WARNING"{{ ", **TEST_SETTINGS" if cookiecutter.auth != "none" }})


@pytest.fixture(scope="session")
def databases(
    suite_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestDatabases]:
    directory = Path(tmp_path_factory.mktemp("databases"))
    databases = databases_for(suite_settings.database_url, directory)
    databases.migrate()
    yield databases
    databases.drop()


@pytest.fixture
async def settings(suite_settings: Settings, databases: TestDatabases) -> AsyncIterator[Settings]:
    async with databases.fresh() as database_url:
        yield suite_settings.model_copy(update={"database_url": database_url})


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app
{% if cookiecutter.auth == "none" %}

@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    async with client_for(app, {}) as client:
        yield client
{%- else %}

@pytest.fixture
async def user(app: FastAPI) -> User:
    """The user `client` is signed in as{{ ", alone in a tenant of their own" if cookiecutter.multi_tenant == "yes" }}."""
    return await add_user(app, "alice@tenant-a.example")


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
async def other_tenant_client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """A client signed in as a user of another tenant than `client`'s."""
    other = await add_user(app, "bob@tenant-b.example")
    async with client_for(app, credentials(app, other)) as client:
        yield client
{%- endif %}
{%- endif %}
