"""Every table model, imported here so that `SQLModel.metadata` (and Alembic) sees them all."""

from app.models.base import Timestamps, UUIDPrimaryKey
from app.models.item import Item

__all__ = ["Item", "Timestamps", "UUIDPrimaryKey"]
