"""The item tasks stay inside the tenant they carry: another tenant's items are not found."""

import uuid

import pytest
from httpx import AsyncClient

from app.core.config import Settings
from app.tasks.items import deactivate_items
from tests.factories.item import ITEMS, create_item
from tests.tasks import run_tasks_eagerly, send

ME = "/api/v1/users/me/"


@pytest.fixture(autouse=True)
def eager(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    run_tasks_eagerly(monkeypatch, settings)


async def test_another_tenants_items_are_left_alone(
    client: AsyncClient, other_tenant_client: AsyncClient
) -> None:
    item = await create_item(client, is_active=True)
    other_tenant_id = uuid.UUID((await other_tenant_client.get(ME)).json()["tenant_id"])

    assert await send(deactivate_items, other_tenant_id, [uuid.UUID(item["id"])]) == 0

    assert (await client.get(f"{ITEMS}{item['id']}/")).json()["is_active"] is True
