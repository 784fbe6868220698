"""Tokens revoked before they expire: in the database by default, in Redis when REDIS_URL is set.

Revoking stores only the token's `jti`, until the moment the token would have expired anyway;
after that, its `exp` claim refuses it without help (seed 001: JWT with a Redis blacklist).
"""

from typing import Annotated, Protocol

from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlmodel import col, delete

from app.auth.tokens import Token
from app.core.db import SessionDep
from app.models.base import utcnow
from app.models.revoked_token import RevokedToken

# Several services may share one Redis: each keeps to its own keys.
REDIS_KEY_PREFIX = "{{ cookiecutter.__package_name }}:revoked-token:"


class RevokedTokens(Protocol):
    async def revoke(self, token: Token) -> None: ...

    async def is_revoked(self, token: Token) -> bool: ...


class DatabaseRevokedTokens:
    """The `revoked_tokens` table, written in the request's own transaction."""

    def __init__(self, session: SessionDep) -> None:
        self.session = session

    async def revoke(self, token: Token) -> None:
        # Rows of tokens that have expired since are no longer needed: prune them as we go.
        expired = delete(RevokedToken).where(col(RevokedToken.expires_at) < utcnow())
        await self.session.exec(expired)
        await self.session.merge(RevokedToken(jti=token.token_id, expires_at=token.expires_at))
        await self.session.flush()

    async def is_revoked(self, token: Token) -> bool:
        return await self.session.get(RevokedToken, token.token_id) is not None


class RedisRevokedTokens:
    """One Redis key per revoked token, which Redis deletes itself when the token expires."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    def _key(self, token: Token) -> str:
        return f"{REDIS_KEY_PREFIX}{token.token_id}"

    async def revoke(self, token: Token) -> None:
        seconds_left = int((token.expires_at - utcnow()).total_seconds()) + 1
        await self.redis.set(self._key(token), 1, ex=max(seconds_left, 1))

    async def is_revoked(self, token: Token) -> bool:
        return bool(await self.redis.exists(self._key(token)))


def get_revoked_tokens(request: Request, session: SessionDep) -> RevokedTokens:
    redis: Redis | None = request.app.state.redis
    if redis is None:
        return DatabaseRevokedTokens(session)
    return RedisRevokedTokens(redis)


RevokedTokensDep = Annotated[RevokedTokens, Depends(get_revoked_tokens)]
