"""The item tasks, run eagerly: what they change, and what a lost database connection does."""

import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy.exc import OperationalError

from app.core.config import Settings
from app.repositories.item import ItemRepository
from app.tasks.celery_app import ServiceTask
from app.tasks.items import deactivate_items
from tests.factories.item import ITEMS, create_item
from tests.tasks import run_tasks_eagerly, send

Deactivate = Callable[..., Awaitable[int]]


@pytest.fixture(autouse=True)
def eager(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    run_tasks_eagerly(monkeypatch, settings)
{%- if cookiecutter.multi_tenant == "yes" %}


@pytest.fixture
async def deactivate(client: AsyncClient) -> Deactivate:
    """Sends `deactivate_items` for these items, in the signed-in user's tenant."""
    tenant_id = uuid.UUID((await client.get("/api/v1/users/me/")).json()["tenant_id"])

    async def send_in_tenant(*items: dict[str, Any]) -> int:
        return await send(deactivate_items, tenant_id, [uuid.UUID(item["id"]) for item in items])

    return send_in_tenant
{%- else %}


@pytest.fixture
def deactivate() -> Deactivate:
    """Sends `deactivate_items` for these items."""

    async def send_for(*items: dict[str, Any]) -> int:
        return await send(deactivate_items, [uuid.UUID(item["id"]) for item in items])

    return send_for
{%- endif %}


def lost_connection() -> OperationalError:
    return OperationalError("SELECT", {}, ConnectionResetError("connection reset by peer"))


async def test_items_on_sale_are_taken_off(client: AsyncClient, deactivate: Deactivate) -> None:
    on_sale = await create_item(client, is_active=True)
    off_sale = await create_item(client, is_active=False)
    untouched = await create_item(client, is_active=True)

    assert await deactivate(on_sale, off_sale) == 1

    assert (await client.get(f"{ITEMS}{on_sale['id']}/")).json()["is_active"] is False
    assert (await client.get(f"{ITEMS}{off_sale['id']}/")).json()["is_active"] is False
    assert (await client.get(f"{ITEMS}{untouched['id']}/")).json()["is_active"] is True


async def test_running_twice_is_safe(client: AsyncClient, deactivate: Deactivate) -> None:
    item = await create_item(client, is_active=True)

    assert await deactivate(item) == 1
    assert await deactivate(item) == 0


async def test_a_deleted_item_is_skipped(client: AsyncClient, deactivate: Deactivate) -> None:
    gone = await create_item(client, is_active=True)
    assert (await client.delete(f"{ITEMS}{gone['id']}/")).status_code == 204
    item = await create_item(client, is_active=True)

    assert await deactivate(gone, item) == 1


async def test_a_lost_connection_is_retried(
    client: AsyncClient, deactivate: Deactivate, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = await create_item(client, is_active=True)
    attempts = 0
    get = ItemRepository.get

    async def get_after_a_lost_connection(repository: ItemRepository, item_id: uuid.UUID) -> Any:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise lost_connection()
        return await get(repository, item_id)

    with monkeypatch.context() as patched:
        patched.setattr(ItemRepository, "get", get_after_a_lost_connection)
        assert await deactivate(item) == 1

    assert attempts == 2
    assert (await client.get(f"{ITEMS}{item['id']}/")).json()["is_active"] is False


async def test_retries_give_up_after_max_retries(
    client: AsyncClient, deactivate: Deactivate, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = await create_item(client, is_active=True)
    attempts = 0

    async def never_connects(_repository: ItemRepository, _item_id: uuid.UUID) -> Any:
        nonlocal attempts
        attempts += 1
        raise lost_connection()

    with monkeypatch.context() as patched:
        patched.setattr(ItemRepository, "get", never_connects)
        with pytest.raises(OperationalError):
            await deactivate(item)

    assert attempts == 1 + ServiceTask.max_retries
    assert (await client.get(f"{ITEMS}{item['id']}/")).json()["is_active"] is True
