"""Tenants, found or made by name when a user joins one (`create-user --tenant`, a first visit)."""

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import Conflict
from app.models.tenant import Tenant


def default_tenant_name(email: str) -> str:
    """A user given no tenant gets one of their own, named after their email: nobody shares
    data by accident (two strangers with gmail.com addresses must not share a tenant)."""
    return email


async def tenant_named(session: AsyncSession, name: str) -> Tenant:
    """The tenant called `name`, created when it does not exist yet."""
    statement = select(Tenant).where(col(Tenant.name) == name)
    tenant = (await session.exec(statement)).first()
    if tenant is not None:
        return tenant
    try:
        async with session.begin_nested():
            tenant = Tenant(name=name)
            session.add(tenant)
    except IntegrityError as error:
        # A concurrent request created it a moment ago.
        tenant = (await session.exec(statement)).first()
        if tenant is None:
            raise Conflict(f"The tenant {name} could not be stored.") from error
    return tenant
