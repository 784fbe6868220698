"""Fixtures: a fresh, migrated database and a running app for every test."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.core.config import Settings
from app.main import create_app
from tests.databases import TestDatabases, databases_for


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    configured_url = Settings().database_url
    databases = databases_for(configured_url, Path(tmp_path_factory.mktemp("databases")))
    databases.create_template()
    yield databases
    databases.drop_template()


@pytest.fixture
async def settings(databases: TestDatabases) -> AsyncIterator[Settings]:
    async with databases.fresh() as database_url:
        yield Settings(environment="test", database_url=database_url, log_level="WARNING")


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
