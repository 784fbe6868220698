"""The Item resource: the fields it shares with its schemas, and its table."""

from decimal import Decimal

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.models.base import Timestamps, UUIDPrimaryKey


class ItemBase(SQLModel):
    """Fields shared with ItemCreate and ItemPublic, limits included."""

    title: str = Field(min_length=1, max_length=255, unique=True)
    description: str | None = Field(default=None, sa_type=Text)
    price: Decimal = Field(max_digits=12, decimal_places=2)
    is_active: bool = False


class Item(Timestamps, ItemBase, UUIDPrimaryKey, table=True):
    """The `items` table: id, the fields above, then the timestamps."""

    __tablename__ = "items"
