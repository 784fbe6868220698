"""`python -m toolkit check` fails a route that serves a tenant-scoped model outside its scope."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI

from app.core.db import SessionDep
from app.models.item import Item
from app.models.tenant import Tenant
from app.routers.items import ItemRepositoryDep
from app.schemas.item import ItemPublic
from app.tenancy import TenantRepository
from toolkit.checks.routes import api_routes, service_app
from toolkit.checks.tenancy import tenancy_problems


def app_with(router: APIRouter) -> FastAPI:
    app = FastAPI()
    app.include_router(router, prefix="/api/v1")
    return app


def test_the_service_reaches_tenant_data_only_through_its_scope() -> None:
    assert tenancy_problems(api_routes(service_app())) == []


def test_a_route_that_reads_the_session_directly_is_a_problem() -> None:
    router = APIRouter()

    @router.get(
        "/leaky/{item_id}/", response_model=ItemPublic, summary="Leaky", operation_id="leaky"
    )
    async def leaky(item_id: uuid.UUID, session: SessionDep) -> Item | None:
        return await session.get(Item, item_id)

    problems = tenancy_problems(api_routes(app_with(router)))

    assert len(problems) == 1
    assert "GET /api/v1/leaky/{item_id}/" in problems[0]
    assert "serves Item, which is tenant-scoped, without its TenantRepository" in problems[0]


def test_a_route_without_a_response_model_is_judged_by_its_code() -> None:
    router = APIRouter()

    @router.delete("/leaky/{item_id}/", status_code=204, summary="Leaky", operation_id="leaky")
    async def leaky(item_id: uuid.UUID, session: SessionDep) -> None:
        item = await session.get(Item, item_id)
        await session.delete(item)

    assert len(tenancy_problems(api_routes(app_with(router)))) == 1


class OtherModelRepository(TenantRepository[Item]):
    """Scoped, but to another model: it does not confine queries of Item."""

    model = Tenant


def test_another_models_repository_is_not_the_scope_of_this_one() -> None:
    router = APIRouter()

    @router.get("/mixed/{item_id}/", response_model=ItemPublic, summary="M", operation_id="m")
    async def mixed(
        item_id: uuid.UUID,
        other: Annotated[OtherModelRepository, Depends(OtherModelRepository.provider())],
        session: SessionDep,
    ) -> Item | None:
        return await session.get(Item, item_id)

    [problem] = tenancy_problems(api_routes(app_with(router)))
    assert "serves Item" in problem


def test_a_route_through_the_repository_is_fine() -> None:
    router = APIRouter()

    @router.get("/fine/{item_id}/", response_model=ItemPublic, summary="Fine", operation_id="fine")
    async def fine(item_id: uuid.UUID, repository: ItemRepositoryDep) -> Item:
        return await repository.get(item_id)

    assert tenancy_problems(api_routes(app_with(router))) == []
