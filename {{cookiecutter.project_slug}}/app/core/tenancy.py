"""The second line of tenant isolation: a signed-in request's session sees one tenant's rows.

`TenantRepository` filters by tenant on purpose; this guard does it by default. Once the user
of a request is known, `confine_to_tenant` marks the request's session, and every ORM query the
session runs (`select(Item)`, `session.get(Item, id)`, relationship loads) gets
`tenant_id == <the user's tenant>` on each `TenantScoped` entity, through SQLAlchemy's
`with_loader_criteria`. So a route that queries the session itself still cannot read another
tenant's rows. Raw SQL (`text(...)`) is not covered: it stays the one way out, in plain sight.
"""

import uuid

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.main import default_registry

from app.models.tenant import TenantScoped

TENANT_KEY = "tenant_id"


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
