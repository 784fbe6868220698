"""Tasks on items: work too large or too slow for a request, sent by one."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import NotFound
from app.repositories.item import ItemRepository
from app.schemas.item import ItemUpdate
from app.tasks.celery_app import celery_app
from app.tasks.database import run_in_session


@celery_app.task
def deactivate_items({{ "tenant_id: uuid.UUID, " if cookiecutter.multi_tenant == "yes" }}item_ids: list[uuid.UUID]) -> int:
    """Take items off sale (`is_active` false) in one unit of work; return how many were on
    sale. An id with no item{{ " in the tenant (another tenant's, or" if cookiecutter.multi_tenant == "yes" else " (" }} deleted since) is skipped, and
    running it twice is safe: the second run finds the items off sale. A route sends it with
    `deactivate_items.delay({{ "tenant_id, " if cookiecutter.multi_tenant == "yes" }}item_ids)`.
    """

    async def deactivate(session: AsyncSession) -> int:
        repository = ItemRepository(session{{ ", tenant_id" if cookiecutter.multi_tenant == "yes" }})
        deactivated = 0
        for item_id in item_ids:
            try:
                item = await repository.get(item_id)
            except NotFound:
                continue
            if item.is_active:
                await repository.update(item, ItemUpdate(is_active=False))
                deactivated += 1
        return deactivated

    return run_in_session(deactivate)
