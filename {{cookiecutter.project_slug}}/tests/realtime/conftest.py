"""Fixtures for WebSocket tests: a live app on the test's database, and the headers that sign
`client`'s user in (none, without sign-in), for its sockets and calls."""

from collections.abc import Iterator

import pytest
from httpx import AsyncClient

from app.core.config import Settings
from tests.realtime.live import LiveApp, serving

# What httpx sends on its own; every other header of `client` signs it in.
HTTPX_HEADERS = {"accept", "accept-encoding", "connection", "user-agent"}


def sign_in_headers(client: AsyncClient) -> dict[str, str]:
    return {name: value for name, value in client.headers.items() if name not in HTTPX_HEADERS}


@pytest.fixture
def live(settings: Settings) -> Iterator[LiveApp]:
    """The service in one worker, changes kept in it (no Redis)."""
    with serving(settings.model_copy(update={"redis_url": None})) as live:
        yield live


@pytest.fixture
def signed_in(client: AsyncClient) -> dict[str, str]:
    return sign_in_headers(client)
