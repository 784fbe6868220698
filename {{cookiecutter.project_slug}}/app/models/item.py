"""The example resource: an item for sale."""

from decimal import Decimal

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.models.base import Timestamps, UUIDPrimaryKey


class ItemBase(SQLModel):
    """Fields an item shares with its Create and Public schemas, limits included."""

    title: str = Field(min_length=1, max_length=255, unique=True)
    description: str | None = Field(default=None, sa_type=Text)
    price: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    is_active: bool = True


class Item(Timestamps, ItemBase, UUIDPrimaryKey, table=True):
    """The `items` table. Columns follow the bases from the right: id, fields, timestamps."""

    __tablename__ = "items"
