"""Tenant isolation, the whole rule in one place.

Every tenant-scoped row (a table with the `TenantScoped` mixin) belongs to one tenant, and a
signed-in request sees and changes only its user's tenant's rows:

1. The request's tenant is the signed-in user's. `sign_in_to_tenant`, which every API route
   depends on, confines the request's session to it (rule 3); `CurrentTenant` is its id.
   A repository, or anything else that takes `SignedInToTenant`, reads that sign-in from the
   request, and refuses to run (a 500, logged) on a route that did not sign in.
2. `TenantRepository`, the base of every tenant-scoped resource's repository, adds
   `tenant_id == <that tenant>` to every query it runs (`scope()`), sets `tenant_id` on every
   insert, and refuses to update or delete another tenant's row however the route found it, or
   to point a reference into another tenant. Another tenant's row is simply not found: a 404,
   never a 403, so a caller cannot learn that it exists.
3. The session guard: every ORM query of a confined session (`select(Item)`,
   `session.get(Item, id)`, relationship loads) gets the same condition on each tenant-scoped
   entity, through SQLAlchemy's `with_loader_criteria`. A route that queries the session
   itself still cannot read another tenant's rows. Raw SQL (`text(...)`) is not covered: it
   stays the one way out, in plain sight.

`python -m toolkit check` fails a route that serves a tenant-scoped model without its
repository, so rule 2 is never skipped for rule 3 alone.
"""

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Self

from fastapi import Depends, Request
from sqlalchemy import ColumnElement, ForeignKey, bindparam, event, func
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.main import default_registry

from app.auth.dependencies import SignedInDep
from app.auth.signed_in import SignedIn
from app.core.errors import ValidationFailed
from app.core.logging import add_to_access_log
from app.models.tenant import TenantScoped
from app.repositories.base import BaseRepository, ModelT

TENANT_KEY = "tenant_id"
TENANT_SIGN_IN_KEY = "app.tenant_sign_in"  # the request's confined sign-in, in its ASGI scope


async def sign_in_to_tenant(request: Request, signed_in: SignedInDep) -> SignedIn:
    """Sign-in, then the request's session sees only the signed-in user's tenant's rows."""
    confine_to_tenant(signed_in.session, signed_in.user.tenant_id)
    add_to_access_log(tenant_id=signed_in.user.tenant_id)
    request.scope[TENANT_SIGN_IN_KEY] = signed_in
    return signed_in


# What every API route depends on (`app/routers`): FastAPI runs it before the route's own
# parameters, repositories included.
SIGN_IN_TO_TENANT = Depends(sign_in_to_tenant)


async def tenant_sign_in(request: Request) -> SignedIn:
    """The sign-in that `SIGN_IN_TO_TENANT` made for this request. Read from the request, not
    depended on again: FastAPI walks a dependency's whole subtree wherever it is used, before it
    looks in its cache, so a second `Depends(sign_in_to_tenant)` would cost every request."""
    signed_in: SignedIn | None = request.scope.get(TENANT_SIGN_IN_KEY)
    if signed_in is None:
        raise RuntimeError(
            "this route reads the tenant's data without signing in: include its router with "
            "include_api() or new_api_router(), or add dependencies=[SIGN_IN_TO_TENANT]"
        )
    return signed_in


SignedInToTenant = Annotated[SignedIn, Depends(tenant_sign_in)]


async def get_current_tenant(signed_in: SignedInToTenant) -> uuid.UUID:
    return signed_in.user.tenant_id


CurrentTenant = Annotated[uuid.UUID, Depends(get_current_tenant)]


class TenantRepository(BaseRepository[ModelT]):
    """Queries for one tenant-scoped model, confined to one tenant."""

    def __init__(self, session: AsyncSession, tenant_id: uuid.UUID) -> None:
        super().__init__(session)
        self.tenant_id = tenant_id

    @classmethod
    def provider(cls) -> Callable[..., Awaitable[Self]]:
        async def provide(signed_in: SignedInToTenant) -> Self:
            return cls(signed_in.session, signed_in.user.tenant_id)

        return provide

    @classmethod
    def scope(cls) -> list[ColumnElement[bool]]:
        return [col(cls.model.tenant_id) == bindparam(TENANT_KEY)]

    def scope_values(self) -> dict[str, Any]:
        return {TENANT_KEY: self.tenant_id}

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
        if TENANT_KEY not in target.columns:
            return
        statement = (
            select(func.count())
            .select_from(target)
            .where(foreign_key.column == value, target.columns[TENANT_KEY] == self.tenant_id)
        )
        if (await self.session.exec(statement)).one() == 0:
            raise ValidationFailed(f"{name} does not refer to an existing record.")


def confine_to_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    session.sync_session.info[TENANT_KEY] = tenant_id


def tenant_scoped_models() -> list[type[TenantScoped]]:
    """Every table model with the `TenantScoped` mixin, by name."""
    scoped = [mapper.class_ for mapper in default_registry.mappers]
    return sorted(
        (model for model in scoped if issubclass(model, TenantScoped)),
        key=lambda model: model.__name__,
    )


@event.listens_for(Session, "do_orm_execute")
def _only_the_tenants_rows(state: ORMExecuteState) -> None:
    tenant_id = state.session.info.get(TENANT_KEY)
    if tenant_id is None or not state.is_select:
        return
    # One criterion per model: a SQLModel mixin has no columns of its own to filter on.
    state.statement = state.statement.options(
        *(
            with_loader_criteria(
                model, lambda cls: col(cls.tenant_id) == tenant_id, include_aliases=True
            )
            for model in tenant_scoped_models()
        )
    )
