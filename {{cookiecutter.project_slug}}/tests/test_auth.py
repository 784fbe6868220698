"""Log in, refresh, log out, and every way a token must be refused."""

import asyncio
import os
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi import Depends, FastAPI
from httpx import AsyncClient
from pydantic import ValidationError
from redis.asyncio import Redis
from sqlmodel import select

from app.auth.dependencies import require_role
from app.auth.revocation import REDIS_KEY_PREFIX
from app.auth.tokens import ALGORITHM, issue_token
from app.core.config import Settings
from app.main import create_app
from app.models.base import utcnow
from app.models.revoked_token import RevokedToken
from app.models.user import User
from tests.clients import client_for
from tests.sign_in_jwt import TEST_PASSWORD, TEST_SECRET_KEY, credentials
from tests.users import add_user, set_active

LOGIN = "/api/v1/auth/login/"
REFRESH = "/api/v1/auth/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/users/me/"
REFUSED = {"detail": "Not authenticated.", "code": "not_authenticated"}


async def log_in(client: AsyncClient, email: str, password: str = TEST_PASSWORD) -> dict[str, Any]:
    response = await client.post(LOGIN, data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    tokens: dict[str, Any] = response.json()
    return tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def forged(user: User, *, key: str = TEST_SECRET_KEY.get_secret_value(), **changes: Any) -> str:
    """A token for `user` with some claims changed (a claim set to None is left out)."""
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "jti": uuid.uuid4().hex,
        "type": "access",
    } | changes
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm=ALGORITHM)


async def test_login_returns_tokens_that_work(anonymous_client: AsyncClient, user: User) -> None:
    tokens = await log_in(anonymous_client, "Alice@Tenant-A.example")

    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    response = await anonymous_client.get(ME, headers=bearer(tokens["access_token"]))
    assert response.status_code == 200
    assert response.json()["email"] == user.email
    assert "hashed_password" not in response.json()


@pytest.mark.parametrize(
    ("email", "password"),
    [
        pytest.param("alice@tenant-a.example", "wrong password", id="wrong-password"),
        pytest.param("nobody@tenant-a.example", TEST_PASSWORD, id="unknown-email"),
    ],
)
async def test_a_failed_login_does_not_say_why(
    anonymous_client: AsyncClient, user: User, email: str, password: str
) -> None:
    response = await anonymous_client.post(LOGIN, data={"username": email, "password": password})

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Incorrect email or password.",
        "code": "not_authenticated",
    }
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_an_inactive_user_cannot_log_in(app: FastAPI, anonymous_client: AsyncClient) -> None:
    await add_user(app, "gone@tenant-a.example")
    await set_active(app, "gone@tenant-a.example", active=False)

    response = await anonymous_client.post(
        LOGIN, data={"username": "gone@tenant-a.example", "password": TEST_PASSWORD}
    )

    assert response.status_code == 401


async def test_refresh_trades_a_refresh_token_for_a_new_pair_once(
    anonymous_client: AsyncClient, user: User
) -> None:
    tokens = await log_in(anonymous_client, user.email)

    renewed = await anonymous_client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})
    replayed = await anonymous_client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})

    assert renewed.status_code == 200
    new_access = renewed.json()["access_token"]
    assert (await anonymous_client.get(ME, headers=bearer(new_access))).status_code == 200
    assert replayed.status_code == 401
    assert replayed.json() == REFUSED


async def test_only_one_of_two_concurrent_refreshes_succeeds(
    anonymous_client: AsyncClient, user: User
) -> None:
    tokens = await log_in(anonymous_client, user.email)
    body = {"refresh_token": tokens["refresh_token"]}

    responses = await asyncio.gather(*(anonymous_client.post(REFRESH, json=body) for _ in range(3)))

    assert sorted(response.status_code for response in responses) == [200, 401, 401]


async def test_a_deactivated_user_cannot_refresh(
    app: FastAPI, anonymous_client: AsyncClient, user: User
) -> None:
    tokens = await log_in(anonymous_client, user.email)
    await set_active(app, user.email, active=False)

    response = await anonymous_client.post(REFRESH, json={"refresh_token": tokens["refresh_token"]})

    assert response.status_code == 401


async def test_logout_leaves_another_users_refresh_token_alone(
    app: FastAPI, anonymous_client: AsyncClient, user: User
) -> None:
    other = await add_user(app, "dave@tenant-a.example")
    mine = await log_in(anonymous_client, user.email)
    theirs = {"refresh_token": (await log_in(anonymous_client, other.email))["refresh_token"]}

    response = await anonymous_client.post(
        LOGOUT, headers=bearer(mine["access_token"]), json=theirs
    )

    assert response.status_code == 204
    assert (await anonymous_client.get(ME, headers=bearer(mine["access_token"]))).status_code == 401
    assert (await anonymous_client.post(REFRESH, json=theirs)).status_code == 200


async def test_tokens_are_not_interchangeable(anonymous_client: AsyncClient, user: User) -> None:
    tokens = await log_in(anonymous_client, user.email)

    as_access = await anonymous_client.get(ME, headers=bearer(tokens["refresh_token"]))
    as_refresh = await anonymous_client.post(
        REFRESH, json={"refresh_token": tokens["access_token"]}
    )

    assert as_access.status_code == 401
    assert as_refresh.status_code == 401


async def test_logout_revokes_the_access_and_the_refresh_token(
    app: FastAPI, anonymous_client: AsyncClient, user: User
) -> None:
    tokens = await log_in(anonymous_client, user.email)

    response = await anonymous_client.post(
        LOGOUT,
        headers=bearer(tokens["access_token"]),
        json={"refresh_token": tokens["refresh_token"]},
    )

    assert response.status_code == 204
    after = await anonymous_client.get(ME, headers=bearer(tokens["access_token"]))
    assert after.status_code == 401
    assert after.json() == REFUSED
    refreshed = await anonymous_client.post(
        REFRESH, json={"refresh_token": tokens["refresh_token"]}
    )
    assert refreshed.status_code == 401
    async with app.state.sessionmaker() as session:
        assert len((await session.exec(select(RevokedToken))).all()) == 2


async def test_logging_out_one_session_leaves_the_others(
    anonymous_client: AsyncClient, user: User
) -> None:
    first = await log_in(anonymous_client, user.email)
    second = await log_in(anonymous_client, user.email)

    response = await anonymous_client.post(LOGOUT, headers=bearer(first["access_token"]))

    assert response.status_code == 204
    first_after = await anonymous_client.get(ME, headers=bearer(first["access_token"]))
    second_after = await anonymous_client.get(ME, headers=bearer(second["access_token"]))
    assert first_after.status_code == 401
    assert second_after.status_code == 200


def with_payload_of(token: str, other: str) -> str:
    """`token`'s header and signature around `other`'s claims."""
    header, _, signature = token.split(".")
    return f"{header}.{other.split('.')[1]}.{signature}"


def unsigned(user: User) -> str:
    claims = jwt.decode(forged(user), options={"verify_signature": False})
    return jwt.encode(claims, key=None, algorithm="none")


# Tokens that must all be refused alike, by what is wrong with them.
ATTACKS: dict[str, Callable[[User], str]] = {
    "expired": lambda user: forged(user, exp=utcnow() - timedelta(seconds=1)),
    "tampered-claims": lambda user: with_payload_of(forged(user), forged(user, role="admin")),
    "tampered-signature": lambda user: forged(user)[:-4] + "AAAA",
    "wrong-key": lambda user: forged(user, key="another-key-that-is-also-32-bytes-long"),
    "alg-none": unsigned,
    "no-jti": lambda user: forged(user, jti=None),
    "no-expiry": lambda user: forged(user, exp=None),
    "refresh-type": lambda user: forged(user, type="refresh"),
    "unknown-user": lambda user: forged(user, sub=str(uuid.uuid4())),
    "not-a-jwt": lambda user: "not-a-jwt",
    "exp-beyond-datetime": lambda user: forged(user, exp=10**18),
    "jti-too-long": lambda user: forged(user, jti="x" * 65),
}


@pytest.mark.parametrize("attack", ATTACKS)
async def test_a_bad_token_is_refused_without_saying_why(
    anonymous_client: AsyncClient, user: User, attack: str
) -> None:
    token = ATTACKS[attack](user)

    response = await anonymous_client.get(ME, headers=bearer(token))

    assert response.status_code == 401
    assert response.json() == REFUSED
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_a_forged_token_with_the_right_key_is_accepted(
    anonymous_client: AsyncClient, user: User
) -> None:
    """The control for the attacks above: they fail for their flaw, not for being forged here."""
    response = await anonymous_client.get(ME, headers=bearer(forged(user)))

    assert response.status_code == 200


async def test_a_deactivated_users_token_stops_working(
    app: FastAPI, client: AsyncClient, user: User
) -> None:
    assert (await client.get(ME)).status_code == 200

    await set_active(app, user.email, active=False)

    response = await client.get(ME)
    assert response.status_code == 401
    assert response.json() == REFUSED


async def test_require_role_lets_only_those_roles_through(
    app: FastAPI, client: AsyncClient
) -> None:
    @app.get("/api/v1/admin-only/", dependencies=[Depends(require_role("admin"))])
    async def admin_only() -> dict[str, str]:
        return {"status": "ok"}

    admin = await add_user(app, "root@tenant-a.example", role="admin")

    as_member = await client.get("/api/v1/admin-only/")
    async with client_for(app, credentials(app, admin)) as admin_client:
        as_admin = await admin_client.get("/api/v1/admin-only/")

    assert as_member.status_code == 403
    assert as_member.json() == {"detail": "This needs the role admin.", "code": "permission_denied"}
    assert as_admin.status_code == 200


@pytest.fixture
async def redis_url() -> str:
    """A Redis to revoke tokens in: TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/15."""
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        pytest.skip("TEST_REDIS_URL is not set: Redis-backed revocation is not tested")
    return url


async def test_logout_revokes_in_redis_when_redis_url_is_set(
    settings: Settings, redis_url: str
) -> None:
    app = create_app(settings.model_copy(update={"redis_url": redis_url}))
    async with app.router.lifespan_context(app):
        user = await add_user(app, "carol@tenant-a.example")
        token = issue_token(user.id, "access", app.state.settings)
        async with client_for(app, bearer(token.encoded)) as client:
            assert (await client.post(LOGOUT)).status_code == 204

            assert (await client.get(ME)).status_code == 401
        redis = Redis.from_url(redis_url)
        try:
            key = f"{REDIS_KEY_PREFIX}{token.token_id}"
            assert await redis.exists(key) == 1
            assert 0 < await redis.ttl(key) <= 15 * 60 + 1
        finally:
            await redis.aclose()
        async with app.state.sessionmaker() as session:
            assert (await session.exec(select(RevokedToken))).all() == []


def test_a_secret_too_short_to_sign_tokens_is_refused_in_production() -> None:
    def production(secret: str) -> Settings:
        return Settings(environment="production", secret_key=secret, database_url="sqlite://")

    with pytest.raises(ValidationError, match="at least 32 bytes long"):
        production("x" * 31)
    assert production("x" * 32).secret_key.get_secret_value() == "x" * 32


async def test_failed_logins_for_an_email_are_throttled(
    anonymous_client: AsyncClient, user: User
) -> None:
    wrong = {"username": user.email, "password": "not the password"}
    for _ in range(5):
        assert (await anonymous_client.post(LOGIN, data=wrong)).status_code == 401

    refused = await anonymous_client.post(
        LOGIN, data={"username": user.email, "password": TEST_PASSWORD}
    )
    other = await anonymous_client.post(LOGIN, data={"username": "x@y.example", "password": "z"})

    assert refused.status_code == 429
    assert refused.json() == {
        "detail": "Too many failed logins: try again later.",
        "code": "too_many_requests",
    }
    assert refused.headers["Retry-After"] == "900"
    assert other.status_code == 401  # another email is not held back


async def test_a_successful_login_clears_its_failures(
    anonymous_client: AsyncClient, user: User
) -> None:
    wrong = {"username": user.email, "password": "not the password"}
    for _ in range(4):
        await anonymous_client.post(LOGIN, data=wrong)
    await log_in(anonymous_client, user.email)

    for _ in range(4):
        assert (await anonymous_client.post(LOGIN, data=wrong)).status_code == 401
    assert (await anonymous_client.post(LOGIN, data=wrong)).status_code == 401


async def test_a_nul_in_the_login_form_is_a_422(anonymous_client: AsyncClient) -> None:
    form = {"username": "a\x00@b.example", "password": "x"}

    response = await anonymous_client.post(LOGIN, data=form)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    ("token_type", "lifetime"),
    [("access", "access_token_minutes"), ("refresh", "refresh_token_days")],
)
def test_a_token_carries_its_id_and_lasts_as_configured(
    settings: Settings, token_type: str, lifetime: str
) -> None:
    before = utcnow()
    token = issue_token(uuid.uuid4(), token_type, settings)  # type: ignore[arg-type]

    claims = jwt.decode(
        token.encoded,
        settings.secret_key.get_secret_value(),
        algorithms=[ALGORITHM],
        options={"verify_exp": False},
    )
    expected = (
        timedelta(minutes=settings.access_token_minutes)
        if lifetime == "access_token_minutes"
        else timedelta(days=settings.refresh_token_days)
    )
    assert before + expected <= token.expires_at <= utcnow() + expected
    assert claims["jti"] == token.token_id
    assert claims["type"] == token_type
