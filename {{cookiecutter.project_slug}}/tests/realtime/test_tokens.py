"""A socket signs in with the access token an HTTP request would send; a missing, bad, expired
or revoked token closes it with 1008 before it is accepted, and an accepted socket is closed
with 1008 when its token expires."""

import uuid
from datetime import timedelta

import jwt
import pytest
from fastapi import WebSocketDisconnect, status
from httpx import AsyncClient

from app.auth.tokens import ALGORITHM
from app.models.base import utcnow
from app.models.user import User
from tests.factories.item import create_item
from tests.realtime.live import LiveApp, change, listening
from tests.sign_in_jwt import TEST_SECRET_KEY

POLICY_VIOLATION = status.WS_1008_POLICY_VIOLATION
ANOTHER_KEY = "a signing key that is not the service's own"


def token_for(
    user_id: uuid.UUID, lifetime: timedelta, key: str = TEST_SECRET_KEY.get_secret_value()
) -> str:
    now = utcnow()
    claims = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        "type": "access",
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def assert_refused(
    live: LiveApp, headers: dict[str, str], subprotocols: list[str] | None = None
) -> None:
    with pytest.raises(WebSocketDisconnect) as refused, live.connect(headers, subprotocols):
        pass
    assert refused.value.code == POLICY_VIOLATION


def test_a_browser_offers_the_token_as_a_subprotocol(
    live: LiveApp, signed_in: dict[str, str]
) -> None:
    """Browsers cannot set headers on a WebSocket: `new WebSocket(url, ["bearer", token])`."""
    token = signed_in["authorization"].removeprefix("Bearer ")
    with live.connect({}, ["bearer", token]) as socket:
        assert socket.accepted_subprotocol == "bearer"
        listening(socket)
        item = live.call(signed_in, create_item)
        assert socket.receive_json() == change("created", "items", item)


@pytest.mark.parametrize(
    ("headers", "subprotocols"),
    [
        ({}, None),
        ({"authorization": "Bearer not-a-token"}, None),
        ({"authorization": "Basic YTpi"}, None),
        ({}, ["bearer", "not-a-token"]),
        ({}, ["chat", "bearer"]),
    ],
    ids=["missing", "malformed", "another-scheme", "malformed-protocol", "other-protocols"],
)
def test_a_socket_without_a_valid_token_is_refused(
    live: LiveApp, headers: dict[str, str], subprotocols: list[str] | None
) -> None:
    assert_refused(live, headers, subprotocols)


def test_a_forged_token_is_refused(live: LiveApp, user: User) -> None:
    forged = token_for(user.id, timedelta(minutes=5), key=ANOTHER_KEY)
    assert_refused(live, {}, ["bearer", forged])


def test_an_expired_token_is_refused(live: LiveApp, user: User) -> None:
    expired = token_for(user.id, timedelta(minutes=-1))
    assert_refused(live, {"authorization": f"Bearer {expired}"})


def test_a_revoked_token_is_refused(
    live: LiveApp, client: AsyncClient, signed_in: dict[str, str]
) -> None:
    async def log_out(client: AsyncClient) -> int:
        return (await client.post("/api/v1/auth/logout/")).status_code

    assert live.call(signed_in, log_out) == 204
    assert_refused(live, signed_in)


def test_a_socket_is_closed_when_its_token_expires(live: LiveApp, user: User) -> None:
    # `exp` is in whole seconds, so this lives 2 to 3 s: long enough to connect on a busy machine.
    short_lived = token_for(user.id, timedelta(seconds=3))
    with live.connect({"authorization": f"Bearer {short_lived}"}) as socket:
        listening(socket)
        closed = socket.receive()
    assert closed == {
        "type": "websocket.close",
        "code": POLICY_VIOLATION,
        "reason": "The credentials have expired.",
    }
