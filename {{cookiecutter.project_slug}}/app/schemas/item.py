"""What clients send and receive for items."""

import uuid
from decimal import Decimal
from typing import Literal

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime
from app.models.item import ItemBase
from app.schemas.common import ListParams


class ItemCreate(ItemBase):
    """Body of a create: the shared fields, with their limits."""


class ItemUpdate(SQLModel):
    """Body of a partial update: every field optional; only the fields sent change."""

    title: str | None = Field(default=None, min_length=1, max_length=255)
    description: str | None = None
    price: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    is_active: bool | None = None


class ItemPublic(ItemBase):
    """An item as the API returns it."""

    id: uuid.UUID
    created_at: UTCDateTime
    updated_at: UTCDateTime


class ItemsPublic(SQLModel):
    """One page of items and the number matching the filters."""

    data: list[ItemPublic]
    count: int


class ItemListParams(ListParams):
    """Query parameters of the list: paging, sorting and exact-match filters."""

    sort_by: Literal["title", "price", "is_active", "created_at", "updated_at"] = "created_at"
    title: str | None = None
    is_active: bool | None = None
