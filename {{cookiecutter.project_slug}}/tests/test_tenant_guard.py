"""The session guard: a route that queries the session itself still sees one tenant's rows."""

import logging
import uuid

import pytest
from fastapi import FastAPI
from httpx import AsyncClient
from sqlmodel import select

from app.core.db import SessionDep
from app.models.item import Item
from app.routers.items import ItemRepositoryDep
from app.tenancy import SIGN_IN_TO_TENANT
from tests.factories.item import create_item
from tests.test_logging import json_access_line


def add_session_routes(app: FastAPI) -> None:
    """Routes that bypass ItemRepository, as a hurried hand-written route might."""

    signed_in = [SIGN_IN_TO_TENANT]  # as every route in api_router is

    @app.get("/api/v1/raw-items/{item_id}/", dependencies=signed_in)
    async def raw_get(item_id: uuid.UUID, session: SessionDep) -> dict[str, bool]:
        return {"found": await session.get(Item, item_id) is not None}

    @app.get("/api/v1/raw-items/", dependencies=signed_in)
    async def raw_list(session: SessionDep) -> dict[str, int]:
        return {"count": len((await session.exec(select(Item))).all())}


async def test_a_route_using_the_session_directly_sees_only_its_tenant(
    app: FastAPI, client: AsyncClient, other_tenant_client: AsyncClient
) -> None:
    add_session_routes(app)
    created = await create_item(client)

    assert (await client.get(f"/api/v1/raw-items/{created['id']}/")).json() == {"found": True}
    assert (await client.get("/api/v1/raw-items/")).json() == {"count": 1}
    theirs = await other_tenant_client.get(f"/api/v1/raw-items/{created['id']}/")
    assert theirs.json() == {"found": False}
    assert (await other_tenant_client.get("/api/v1/raw-items/")).json() == {"count": 0}


async def test_a_repository_on_a_route_that_did_not_sign_in_refuses_to_run(
    app: FastAPI, anonymous_client: AsyncClient
) -> None:
    """Repositories read the sign-in the API's routers make; without it they serve nothing."""

    @app.get("/unsigned-items/{item_id}/")
    async def unsigned_get(item_id: uuid.UUID, repository: ItemRepositoryDep) -> dict[str, str]:
        return {"title": (await repository.get(item_id)).title}

    response = await anonymous_client.get(f"/unsigned-items/{uuid.uuid4()}/")

    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"


async def test_the_access_line_names_the_tenant(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app.requests")

    me = (await client.get("/api/v1/users/me/")).json()

    assert json_access_line(caplog)["tenant_id"] == me["tenant_id"]
