"""Where a committed change goes: to the sockets of its room on this worker, or, with REDIS_URL
set, through Redis pub/sub to the sockets of its room on every worker and replica.

Changes are queued when their transaction commits and sent by a task of their own, so a request
never waits for a socket or for Redis. Delivery is at most once (a change published while Redis
is unreachable is lost): a client that reconnects reads the current state from the API.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from fastapi import FastAPI
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from app.realtime.connections import ConnectionManager, encoded

# Pub/sub channels are shared by every database of a Redis server: the channel names the
# service and the database number, so services and environments sharing a server stay apart.
CHANNEL_PREFIX = "{{ cookiecutter.__package_name }}:changes"
RETRY_SECONDS = 1.0
# At shutdown, changes still queued get this long to be sent.
DRAIN_SECONDS = 5.0
BROADCASTER = "broadcaster"  # the key of the app's broadcaster in `session.info`

logger = logging.getLogger(__name__)

Change = tuple[str, dict[str, Any]]  # the room, and the message its sockets get


class Broadcaster:
    """Sends committed changes to the sockets of their room, wherever they are connected."""

    def __init__(self, connections: ConnectionManager, redis: Redis | None) -> None:
        self.connections = connections
        self.redis = redis
        self.channel = channel_of(redis)
        # Set while this worker hears every change: at once without Redis, else once subscribed.
        self.listening = asyncio.Event()
        self._queue: asyncio.Queue[Change] = asyncio.Queue()

    @property
    def wanted(self) -> bool:
        """Whether a change is worth announcing: with Redis, always (another worker may hold
        sockets); without, only while this worker holds one. Nobody connected costs nothing."""
        return self.redis is not None or len(self.connections) > 0

    def announce(self, changes: list[Change]) -> None:
        """Queue changes just committed; they are sent after the response, not before it."""
        for change in changes:
            self._queue.put_nowait(change)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Send queued changes (and, with Redis, receive every worker's) until the app stops.
        Redis unreachable does not stop the app from serving: the channel is retried."""
        tasks = [asyncio.create_task(self._send_queued())]
        if self.redis is None:
            self.listening.set()
        else:
            tasks.append(asyncio.create_task(self._receive(self.redis.pubsub())))
        try:
            yield
        finally:
            with suppress(TimeoutError):
                async with asyncio.timeout(DRAIN_SECONDS):
                    await self._queue.join()
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _send_queued(self) -> None:
        while True:
            room, message = await self._queue.get()
            try:
                await self._send(room, encoded(message))
            except Exception:
                logger.exception("a change could not be sent")
            finally:
                self._queue.task_done()

    async def _send(self, room: str, text: str) -> None:
        if self.redis is None:
            await self.connections.broadcast(room, text)
        else:
            # Every worker (this one too) hears it on the channel and sends it to its sockets.
            await self.redis.publish(self.channel, f"{room}\n{text}")

    async def _receive(self, pubsub: PubSub) -> None:
        """Each message on the channel is `<room>\\n<message>`; a lost channel is retried."""
        try:
            while True:
                try:
                    await subscribed(pubsub, self.channel)
                    self.listening.set()
                    async for published in pubsub.listen():
                        if published["type"] == "message":
                            room, _, text = published["data"].decode().partition("\n")
                            await self.connections.broadcast(room, text)
                except (RedisError, OSError):
                    self.listening.clear()
                    logger.exception("the Redis channel of changes is lost; retrying")
                    await asyncio.sleep(RETRY_SECONDS)
        finally:
            await pubsub.aclose()


def channel_of(redis: Redis | None) -> str:
    if redis is None:
        return CHANNEL_PREFIX
    return f"{CHANNEL_PREFIX}:{redis.connection_pool.connection_kwargs.get('db', 0)}"


async def subscribed(pubsub: PubSub, channel: str) -> None:
    """Subscribe, and wait for Redis to confirm it: from then on, no change published is missed."""
    await pubsub.subscribe(channel)
    while await pubsub.get_message(timeout=None) is None:
        pass


@asynccontextmanager
async def broadcasting(app: FastAPI) -> AsyncIterator[None]:
    """The realtime router's lifespan, inside the app's: this worker's connections and
    broadcaster. Every session the app makes carries the broadcaster, for `BroadcastChanges`."""
    broadcaster = Broadcaster(ConnectionManager(), app.state.redis)
    app.state.broadcaster = broadcaster
    app.state.sessionmaker.configure(info={BROADCASTER: broadcaster})
    async with broadcaster.running():
        yield
