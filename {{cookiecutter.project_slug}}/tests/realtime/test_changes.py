"""Sockets on /api/v1/ws/changes/ hear the changes committed in their scope, and only once
they are committed; sockets that leave are forgotten, and a dead one breaks no broadcast."""

import os
import uuid
from typing import Any

import pytest
from fastapi import FastAPI
from httpx import AsyncClient

from app.core.config import Settings
from app.realtime import broadcast
from app.realtime.broadcast import BROADCASTER, Change
from app.realtime.changes import announce_on_commit
from app.realtime.connections import ConnectionManager
from tests.factories.item import ITEMS, create_item, item_payload
from tests.realtime.live import LiveApp, change, listening, serving


def test_a_socket_hears_every_change_of_an_item(live: LiveApp, signed_in: dict[str, str]) -> None:
    with live.connect(signed_in) as socket:
        listening(socket)

        item = live.call(signed_in, create_item)
        assert socket.receive_json() == change("created", "items", item)

        async def rename(client: AsyncClient) -> Any:
            return await client.patch(f"{ITEMS}{item['id']}/", json={"title": "Renamed"})

        assert live.call(signed_in, rename).status_code == 200
        assert socket.receive_json() == change("updated", "items", item)

        async def delete(client: AsyncClient) -> Any:
            return await client.delete(f"{ITEMS}{item['id']}/")

        assert live.call(signed_in, delete).status_code == 204
        assert socket.receive_json() == change("deleted", "items", item)


def test_a_refused_change_is_not_heard(live: LiveApp, signed_in: dict[str, str]) -> None:
    with live.connect(signed_in) as socket:
        listening(socket)
        first = live.call(signed_in, create_item)
        assert socket.receive_json() == change("created", "items", first)

        async def duplicate(client: AsyncClient) -> Any:
            payload = await item_payload(client, title=first["title"])
            return await client.post(ITEMS, json=payload)

        assert live.call(signed_in, duplicate).status_code == 409
        second = live.call(signed_in, create_item)

        assert socket.receive_json() == change("created", "items", second)


def test_every_socket_hears_a_change_and_one_that_left_is_forgotten(
    live: LiveApp, signed_in: dict[str, str]
) -> None:
    connections = live.app.state.broadcaster.connections
    with live.connect(signed_in) as staying:
        listening(staying)
        with live.connect(signed_in) as leaving:
            listening(leaving)
            assert len(connections) == 2
            item = live.call(signed_in, create_item)
            assert leaving.receive_json() == change("created", "items", item)
        assert len(connections) == 1

        assert staying.receive_json() == change("created", "items", item)
        later = live.call(signed_in, create_item)
        assert staying.receive_json() == change("created", "items", later)
    assert len(connections) == 0


class DeadSocket:
    """A socket whose client vanished without closing: every send fails."""

    async def accept(self, _subprotocol: str | None = None) -> None:
        pass

    async def send_text(self, _text: str) -> None:
        raise OSError("connection reset by peer")


class LiveSocket:
    def __init__(self) -> None:
        self.received: list[str] = []

    async def accept(self, _subprotocol: str | None = None) -> None:
        pass

    async def send_text(self, text: str) -> None:
        self.received.append(text)


async def test_a_dead_socket_is_dropped_without_breaking_a_broadcast() -> None:
    connections = ConnectionManager()
    first, dead, last = LiveSocket(), DeadSocket(), LiveSocket()
    for socket in (first, dead, last):
        await connections.connect(socket, "room")  # type: ignore[arg-type]
    await connections.connect(LiveSocket(), "another room")  # type: ignore[arg-type]

    await connections.broadcast("room", "hello")

    assert first.received == last.received == ["hello"]
    assert len(connections) == 3
    await connections.send(dead, {"event": "ready"})  # type: ignore[arg-type]
    assert len(connections) == 3


class Listened:
    """A broadcaster somebody listens to, which keeps what it is asked to announce."""

    wanted = True

    def __init__(self) -> None:
        self.announced: list[Change] = []

    def announce(self, changes: list[Change]) -> None:
        self.announced += changes


def made(event: str) -> Change:
    return ("room", {"event": event})


async def test_only_changes_that_commit_are_announced_once_they_do(app: FastAPI) -> None:
    listened = Listened()
    async with app.state.sessionmaker(info={BROADCASTER: listened}) as session:
        await session.connection()  # the transaction begins
        announce_on_commit(session, made("kept"))
        savepoint = await session.begin_nested()
        announce_on_commit(session, made("in a savepoint rolled back"))
        await savepoint.rollback()
        async with session.begin_nested():
            announce_on_commit(session, made("in a savepoint released"))
        assert listened.announced == []

        await session.commit()
        await session.connection()
        announce_on_commit(session, made("rolled back"))
        await session.rollback()

    assert listened.announced == [made("kept"), made("in a savepoint released")]


def test_changes_are_announced_only_while_a_socket_listens(
    live: LiveApp, signed_in: dict[str, str]
) -> None:
    """Without Redis, a write with nobody connected queues nothing: it costs nothing more."""
    broadcaster = live.app.state.broadcaster
    assert not broadcaster.wanted
    with live.connect(signed_in) as socket:
        listening(socket)
        assert broadcaster.wanted
    assert not broadcaster.wanted


@pytest.fixture
def redis_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """A Redis to broadcast through: TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15. Its
    channel is this test's own, so runs sharing the server do not hear each other."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: broadcasting through Redis is not tested")
    monkeypatch.setattr(broadcast, "CHANNEL_PREFIX", f"test-{uuid.uuid4().hex}")
    return url


def test_changes_reach_the_sockets_of_another_app_through_redis(
    settings: Settings, signed_in: dict[str, str], redis_url: str
) -> None:
    """Two instances of the service (two workers, or two replicas) sharing one Redis: a change
    made through one is heard by the sockets of both, once each."""
    shared = settings.model_copy(update={"redis_url": redis_url})
    with (
        serving(shared) as first,
        serving(shared) as second,
        first.connect(signed_in) as on_first,
        second.connect(signed_in) as on_second,
    ):
        listening(on_first)
        listening(on_second)

        item = second.call(signed_in, create_item)
        assert on_first.receive_json() == change("created", "items", item)
        assert on_second.receive_json() == change("created", "items", item)

        other = first.call(signed_in, create_item)
        assert on_first.receive_json() == change("created", "items", other)
        assert on_second.receive_json() == change("created", "items", other)
