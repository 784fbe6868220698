"""The item routes: list, read, create, update and delete."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from app.core.errors import Conflict, NotFound, ValidationFailed, error_responses
from app.models.item import Item
from app.repositories.item import ItemRepository
from app.schemas.item import ItemCreate, ItemListParams, ItemPublic, ItemsPublic, ItemUpdate

router = APIRouter(
    prefix="/items",
    tags=["items"],
    responses=error_responses(ValidationFailed),
)

ItemRepositoryDep = Annotated[ItemRepository, Depends()]


@router.get(
    "/",
    response_model=ItemsPublic,
    summary="List items",
    operation_id="list_items",
)
async def list_items(
    repository: ItemRepositoryDep, params: Annotated[ItemListParams, Query()]
) -> ItemsPublic:
    page = await repository.list_page(params)
    return ItemsPublic.model_validate(page, from_attributes=True)


@router.get(
    "/{item_id}/",
    response_model=ItemPublic,
    summary="Get an item",
    operation_id="get_item",
    responses=error_responses(NotFound),
)
async def get_item(item_id: uuid.UUID, repository: ItemRepositoryDep) -> Item:
    return await repository.get(item_id)


@router.post(
    "/",
    response_model=ItemPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create an item",
    operation_id="create_item",
    responses=error_responses(Conflict),
)
async def create_item(item_in: ItemCreate, repository: ItemRepositoryDep) -> Item:
    return await repository.create(item_in)


@router.patch(
    "/{item_id}/",
    response_model=ItemPublic,
    summary="Update an item",
    operation_id="update_item",
    responses=error_responses(NotFound, Conflict),
)
async def update_item(
    item_id: uuid.UUID, item_in: ItemUpdate, repository: ItemRepositoryDep
) -> Item:
    item = await repository.get(item_id)
    return await repository.update(item, item_in)


@router.delete(
    "/{item_id}/",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete an item",
    operation_id="delete_item",
    responses=error_responses(NotFound),
)
async def delete_item(item_id: uuid.UUID, repository: ItemRepositoryDep) -> None:
    item = await repository.get(item_id)
    await repository.delete(item)
