"""Tenants found or made by name: a user joins the tenant that has the name, and finding one
that exists writes nothing."""

from fastapi import FastAPI

from app.repositories.tenants import tenant_named
from tests.statements import counted_statements


async def test_a_tenant_is_found_by_its_own_name_among_others(app: FastAPI) -> None:
    async with app.state.sessionmaker() as session:
        acme_id = (await tenant_named(session, "acme")).id
        globex_id = (await tenant_named(session, "globex")).id
        await session.commit()

    async with app.state.sessionmaker() as session:
        assert (await tenant_named(session, "globex")).id == globex_id
        assert (await tenant_named(session, "acme")).id == acme_id
    assert acme_id != globex_id


async def test_finding_a_tenant_that_exists_is_one_read(app: FastAPI) -> None:
    async with app.state.sessionmaker() as session:
        await tenant_named(session, "acme")
        await session.commit()
    with counted_statements(app) as statements:
        async with app.state.sessionmaker() as session:
            await tenant_named(session, "acme")

    assert len(statements) == 1, statements
    assert statements[0].startswith("SELECT")
