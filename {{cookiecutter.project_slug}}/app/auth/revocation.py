"""Tokens revoked before they expire: in the database by default, in Redis when REDIS_URL is set.

Revoking stores only the token's `jti`, until the moment the token would have expired anyway;
after that, its `exp` claim refuses it without help.
"""

from typing import Annotated, Protocol

from fastapi import Depends, Request
from fastapi.requests import HTTPConnection
from redis.asyncio import Redis
from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.auth.signed_in import SIGNED_IN_COLUMNS, USERS, signed_in_user
from app.auth.tokens import Token
from app.core.db import SessionDep
from app.models.base import utcnow
from app.models.revoked_token import RevokedToken
from app.schemas.user import UserPublic

# Several services may share one Redis: each keeps to its own keys.
REDIS_KEY_PREFIX = "{{ cookiecutter.__package_name }}:revoked-token:"


# Built once: a signed-in request runs them with its own values, and skips building them again.
SIGNED_IN_USER = sa_select(*SIGNED_IN_COLUMNS).where(USERS.columns.id == bindparam("user_id"))
USER_AND_REVOCATION = sa_select(
    *SIGNED_IN_COLUMNS,
    select(RevokedToken).where(col(RevokedToken.jti) == bindparam("jti")).exists(),
).where(USERS.columns.id == bindparam("user_id"))


class RevokedTokens(Protocol):
    async def revoke(self, token: Token) -> bool:
        """Revoke the token; False when it already was, so two concurrent uses of one refresh
        token cannot both succeed."""
        ...

    async def is_revoked(self, token: Token) -> bool: ...

    async def user_unless_revoked(self, token: Token) -> UserPublic | None:
        """The user the token names, or None when the token is revoked or the user is gone:
        what every signed-in request asks, in as few round trips as the store allows."""
        ...


class DatabaseRevokedTokens:
    """The `revoked_tokens` table, written in the request's own transaction."""

    def __init__(self, session: SessionDep) -> None:
        self.session = session

    async def revoke(self, token: Token) -> bool:
        # Rows of tokens that have expired since are no longer needed: prune them as we go.
        await self.prune_expired()
        try:
            async with self.session.begin_nested():
                self.session.add(RevokedToken(jti=token.token_id, expires_at=token.expires_at))
        except IntegrityError:
            return False
        return True

    async def is_revoked(self, token: Token) -> bool:
        return await self.session.get(RevokedToken, token.token_id) is not None

    async def prune_expired(self) -> int:
        """Delete the rows of tokens that have expired since, which their `exp` claim refuses
        without help; return how many."""
        expired = delete(RevokedToken).where(col(RevokedToken.expires_at) < utcnow())
        result = await self.session.exec(expired)
        return result.rowcount

    async def user_unless_revoked(self, token: Token) -> UserPublic | None:
        """One statement: the user, and whether the token's `jti` is in the table."""
        values = {"user_id": token.user_id, "jti": token.token_id}
        connection = await self.session.connection()
        found = (await connection.execute(USER_AND_REVOCATION, values)).first()
        if found is None or found[-1]:
            return None
        return signed_in_user(found[:-1])


class RedisRevokedTokens:
    """One Redis key per revoked token, which Redis deletes itself when the token expires."""

    def __init__(self, redis: Redis, session: SessionDep) -> None:
        self.redis = redis
        self.session = session

    def _key(self, token: Token) -> str:
        return f"{REDIS_KEY_PREFIX}{token.token_id}"

    async def revoke(self, token: Token) -> bool:
        seconds_left = int((token.expires_at - utcnow()).total_seconds()) + 1
        return bool(await self.redis.set(self._key(token), 1, ex=max(seconds_left, 1), nx=True))

    async def is_revoked(self, token: Token) -> bool:
        return bool(await self.redis.exists(self._key(token)))

    async def user_unless_revoked(self, token: Token) -> UserPublic | None:
        if await self.is_revoked(token):
            return None
        connection = await self.session.connection()
        found = (await connection.execute(SIGNED_IN_USER, {"user_id": token.user_id})).first()
        return None if found is None else signed_in_user(found)


async def get_revoked_tokens(request: Request, session: SessionDep) -> RevokedTokens:
    return revoked_tokens_of(request, session)


def revoked_tokens_of(request: HTTPConnection, session: AsyncSession) -> RevokedTokens:
    """Where this app keeps revocations: Redis when `REDIS_URL` is set, else the database."""
    redis: Redis | None = request.app.state.redis
    if redis is None:
        return DatabaseRevokedTokens(session)
    return RedisRevokedTokens(redis, session)


RevokedTokensDep = Annotated[RevokedTokens, Depends(get_revoked_tokens)]
