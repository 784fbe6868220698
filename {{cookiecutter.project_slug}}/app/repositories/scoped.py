"""`TenantRepository`: the way routes reach tenant-scoped rows.

It takes the tenant from the signed-in user and adds `tenant_id == <that tenant>` to every
query it builds (`get` and `list_page` start from `_select()`, the count from `_scope()`);
`update` and `delete` refuse a row of another tenant, however the route found it; `create` sets
`tenant_id`, and no client can change it. A row of another tenant is simply not found: a 404,
never a 403, so a caller cannot learn that it exists. `app.cli check` fails when a route serves
a tenant-scoped model without going through one, and `app.core.tenancy` confines every ORM
query of a signed-in request's session to its tenant as a second line of defence.
"""

from typing import Any

from sqlalchemy import ColumnElement, ForeignKey, func
from sqlmodel import SQLModel, col, select

from app.auth.dependencies import CurrentUser
from app.core.db import SessionDep
from app.core.errors import ValidationFailed
from app.models.tenant import TenantScoped
from app.repositories.base import BaseRepository, ModelT


class TenantRepository(BaseRepository[ModelT]):
    """Queries for one tenant-scoped model (a `TenantScoped` table), confined to the signed-in
    user's tenant."""

    def __init__(self, session: SessionDep, user: CurrentUser) -> None:
        super().__init__(session)
        self.tenant_id = user.tenant_id

    def _scope(self) -> list[ColumnElement[bool]]:
        return [col(self.model.tenant_id) == self.tenant_id]

    async def create(self, data: SQLModel, **values: Any) -> ModelT:
        """The row lands in the caller's tenant, whatever `tenant_id` the body may have held."""
        await self._refuse_references_outside_tenant(data.model_dump())
        return await super().create(data, **values, tenant_id=self.tenant_id)

    async def update(self, record: ModelT, data: SQLModel) -> ModelT:
        self._refuse_other_tenants(record)
        changes = data.model_dump(exclude_unset=True)
        server_set = [name for name in changes if self.table.columns[name].info.get("server_set")]
        if server_set:
            raise ValidationFailed(f"{server_set[0]} is set by the server and cannot be changed.")
        await self._refuse_references_outside_tenant(changes)
        return await super().update(record, data)

    async def delete(self, record: ModelT) -> None:
        self._refuse_other_tenants(record)
        await super().delete(record)

    def _refuse_other_tenants(self, record: ModelT) -> None:
        """A row found some other way than `get` is still only this tenant's to change."""
        if not isinstance(record, TenantScoped) or record.tenant_id != self.tenant_id:
            raise self._not_found(record.id)

    async def _refuse_references_outside_tenant(self, values: dict[str, Any]) -> None:
        """A foreign key may only point at a row of the same tenant. A row that does not exist
        and a row of another tenant get the same answer, so neither leaks."""
        for column in self.table.columns:
            value = values.get(column.name)
            if value is None or column.info.get("server_set"):
                continue
            for foreign_key in column.foreign_keys:
                await self._refuse_reference(column.name, foreign_key, value)

    async def _refuse_reference(self, name: str, foreign_key: ForeignKey, value: Any) -> None:
        target = foreign_key.column.table
        if "tenant_id" not in target.columns:
            return
        statement = (
            select(func.count())
            .select_from(target)
            .where(foreign_key.column == value, target.columns["tenant_id"] == self.tenant_id)
        )
        if (await self.session.exec(statement)).one() == 0:
            raise ValidationFailed(f"{name} does not refer to an existing record.")
