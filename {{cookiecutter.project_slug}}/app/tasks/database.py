"""The database from a task: a task is synchronous, the repositories are asynchronous."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker

T = TypeVar("T")


def run_in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one unit of work, as a request's session does: committed when it returns,
    rolled back when it raises. Each call gets a fresh event loop, engine and session: a
    worker process runs one task after another in new loops, and a pooled connection belongs to
    the loop that opened it."""
    return asyncio.run(_in_session(work))


async def _in_session(work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    engine = create_engine(get_settings())
    try:
        async with create_sessionmaker(engine).begin() as session:
            return await work(session)
    finally:
        await engine.dispose()
