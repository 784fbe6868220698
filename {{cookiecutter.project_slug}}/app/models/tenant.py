"""Tenants, and the mixin that puts a table's rows inside one.

A tenant-scoped row is only ever read or written through a `TenantRepository`, which takes
the tenant from the signed-in user: filtering by tenant is never optional.
"""

import uuid

from sqlmodel import Field, SQLModel

from app.models.base import Timestamps, UUIDPrimaryKey


class Tenant(Timestamps, UUIDPrimaryKey, table=True):
    """The `tenants` table: one row per customer whose data is kept apart from the others'."""

    __tablename__ = "tenants"

    name: str = Field(min_length=1, max_length=255, unique=True)


class TenantScoped(SQLModel):
    """The tenant a row belongs to. Set by the server from the signed-in user, never sent by a
    client: `server_set` tells `python -m toolkit check` not to expect it in the Create schema."""

    tenant_id: uuid.UUID = Field(
        foreign_key="tenants.id",
        ondelete="CASCADE",
        index=True,
        sa_column_kwargs={"info": {"server_set": True}},
    )
