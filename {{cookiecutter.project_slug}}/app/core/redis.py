"""The Redis client a worker shares, when REDIS_URL is set: what one worker writes there, every
worker and replica reads."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from app.core.config import Settings


@asynccontextmanager
async def connect_redis(settings: Settings) -> AsyncIterator[Redis | None]:
    """A client for REDIS_URL (None when it is unset), closed when the application stops."""
    if settings.redis_url is None:
        yield None
        return
    client = Redis.from_url(settings.redis_url)
    try:
        yield client
    finally:
        await client.aclose()
