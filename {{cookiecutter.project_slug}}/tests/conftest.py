"""Fixtures: one migrated database and one running app for the whole session, emptied after
every test that used them, and `client`{{ ", signed in as `user`" if cookiecutter.auth != "none" }}.

One app serves every test because FastAPI prepares a route on its first request, once per app: an
app per test spent more time there than in the tests themselves."""

import gc
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
from tests.databases import empty_every_table, suite_database_for
{%- if cookiecutter.auth != "none" %}
from tests.sign_in_{{ cookiecutter.auth }} import TEST_SETTINGS, credentials{{ ", forget_failed_logins" if cookiecutter.auth == "jwt" }}
from tests.users import add_user
{%- endif %}

# Whatever .env says (a clone has none; a developer's says `local`), the suite is a test run.
os.environ["ENVIRONMENT"] = "test"


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the run keeps to its end (every module imported, the tests collected) leaves the
    garbage collector's sight: pytest's closing collections and the interpreter's exit would
    otherwise walk all of it, which took half a second of a four-second suite."""
    gc.freeze()


@pytest.fixture(scope="session")
def suite_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Read once, pointing at a database of the suite's own beside the configured one."""
    configured = Settings(log_level="WARNING"{{ ", **TEST_SETTINGS" if cookiecutter.auth != "none" }})
    scratch = Path(tmp_path_factory.mktemp("database"))
    database = suite_database_for(configured.database_url, scratch)
    database.migrate()
    yield configured.model_copy(update={"database_url": database.url})
    database.drop()


@pytest.fixture(scope="session")
async def running_app(suite_settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(suite_settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def settings(suite_settings: Settings, running_app: FastAPI) -> AsyncIterator[Settings]:
    """The suite's settings; afterwards, the app is left as it started: every row the test
    stored is deleted{{ " and failed logins are forgotten" if cookiecutter.auth == "jwt" }}."""
    yield suite_settings
    await empty_every_table(running_app.state.engine)
{%- if cookiecutter.auth == "jwt" %}
    forget_failed_logins(running_app)
{%- endif %}


@pytest.fixture
def app(settings: Settings, running_app: FastAPI) -> FastAPI:
    return running_app
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
