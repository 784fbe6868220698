"""Failed logins, counted per email and per client address: past the limit, a 429 until the
window has passed, so passwords cannot be guessed at the speed of the network.

Counted in the process by default, in Redis when REDIS_URL is set (then every worker and replica
shares the count). Only failures count; a successful login clears its email's count.
"""

import time
from collections import defaultdict, deque
from typing import Annotated, Protocol

from fastapi import Depends, Request
from redis.asyncio import Redis

from app.core.config import SettingsDep
from app.core.errors import TooManyRequests

# Several services may share one Redis: each keeps to its own keys.
REDIS_KEY_PREFIX = "{{ cookiecutter.__package_name }}:failed-logins:"


class FailureCounts(Protocol):
    async def count(self, key: str) -> int: ...

    async def add(self, key: str) -> None: ...

    async def clear(self, key: str) -> None: ...


class ProcessFailureCounts:
    """Failure times per key in this process, forgotten once older than the window."""

    def __init__(self, window_seconds: int) -> None:
        self.window_seconds = window_seconds
        self.failures: defaultdict[str, deque[float]] = defaultdict(deque)

    async def count(self, key: str) -> int:
        failures = self.failures.get(key)
        if failures is None:
            return 0
        while failures and failures[0] < time.monotonic() - self.window_seconds:
            failures.popleft()
        if not failures:
            del self.failures[key]
        return len(failures)

    async def add(self, key: str) -> None:
        self.failures[key].append(time.monotonic())

    async def clear(self, key: str) -> None:
        self.failures.pop(key, None)


class RedisFailureCounts:
    """A counter per key, which Redis deletes when the window has passed since the first."""

    def __init__(self, redis: Redis, window_seconds: int) -> None:
        self.redis = redis
        self.window_seconds = window_seconds

    async def count(self, key: str) -> int:
        return int(await self.redis.get(REDIS_KEY_PREFIX + key) or 0)

    async def add(self, key: str) -> None:
        async with self.redis.pipeline(transaction=True) as pipeline:
            pipeline.incr(REDIS_KEY_PREFIX + key)
            pipeline.expire(REDIS_KEY_PREFIX + key, self.window_seconds, nx=True)
            await pipeline.execute()

    async def clear(self, key: str) -> None:
        await self.redis.delete(REDIS_KEY_PREFIX + key)


class LoginThrottle:
    def __init__(self, counts: FailureCounts, allowed: int, window_seconds: int) -> None:
        self.counts = counts
        self.allowed = allowed
        self.window_seconds = window_seconds

    def keys(self, email: str, address: str) -> list[str]:
        return [f"email:{email.strip().lower()}", f"address:{address}"]

    async def refuse_when_over(self, email: str, address: str) -> None:
        """A 429 once an email, or an address, has failed `allowed` times in the window (an
        address gets ten times as many: several people may share it)."""
        email_key, address_key = self.keys(email, address)
        if (
            await self.counts.count(email_key) >= self.allowed
            or await self.counts.count(address_key) >= self.allowed * 10
        ):
            raise TooManyRequests(
                "Too many failed logins: try again later.", retry_after=self.window_seconds
            )

    async def failed(self, email: str, address: str) -> None:
        for key in self.keys(email, address):
            await self.counts.add(key)

    async def succeeded(self, email: str, address: str) -> None:
        await self.counts.clear(self.keys(email, address)[0])


async def get_login_throttle(request: Request, settings: SettingsDep) -> LoginThrottle:
    """One set of counts per app, kept on its state (Redis holds them when configured)."""
    redis: Redis | None = request.app.state.redis
    window = settings.login_failure_window_seconds
    if redis is not None:
        counts: FailureCounts = RedisFailureCounts(redis, window)
    else:
        if not hasattr(request.app.state, "failed_logins"):
            request.app.state.failed_logins = ProcessFailureCounts(window)
        counts = request.app.state.failed_logins
    return LoginThrottle(counts, settings.login_failures_allowed, window)


LoginThrottleDep = Annotated[LoginThrottle, Depends(get_login_throttle)]
