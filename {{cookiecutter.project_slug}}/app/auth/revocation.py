"""Tokens revoked before they expire: in the database by default, in Redis when REDIS_URL is set.

Revoking stores only the token's `jti`, until the moment the token would have expired anyway;
after that, its `exp` claim refuses it without help.
"""

from typing import Annotated, Protocol

from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, delete

from app.auth.tokens import Token
from app.core.db import SessionDep
from app.models.base import utcnow
from app.models.revoked_token import RevokedToken

# Several services may share one Redis: each keeps to its own keys.
REDIS_KEY_PREFIX = "{{ cookiecutter.__package_name }}:revoked-token:"


class RevokedTokens(Protocol):
    async def revoke(self, token: Token) -> bool:
        """Revoke the token; False when it already was, so two concurrent uses of one refresh
        token cannot both succeed."""
        ...

    async def is_revoked(self, token: Token) -> bool: ...


class DatabaseRevokedTokens:
    """The `revoked_tokens` table, written in the request's own transaction."""

    def __init__(self, session: SessionDep) -> None:
        self.session = session

    async def revoke(self, token: Token) -> bool:
        # Rows of tokens that have expired since are no longer needed: prune them as we go.
        expired = delete(RevokedToken).where(col(RevokedToken.expires_at) < utcnow())
        await self.session.exec(expired)
        try:
            async with self.session.begin_nested():
                self.session.add(RevokedToken(jti=token.token_id, expires_at=token.expires_at))
        except IntegrityError:
            return False
        return True

    async def is_revoked(self, token: Token) -> bool:
        return await self.session.get(RevokedToken, token.token_id) is not None


class RedisRevokedTokens:
    """One Redis key per revoked token, which Redis deletes itself when the token expires."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    def _key(self, token: Token) -> str:
        return f"{REDIS_KEY_PREFIX}{token.token_id}"

    async def revoke(self, token: Token) -> bool:
        seconds_left = int((token.expires_at - utcnow()).total_seconds()) + 1
        return bool(await self.redis.set(self._key(token), 1, ex=max(seconds_left, 1), nx=True))

    async def is_revoked(self, token: Token) -> bool:
        return bool(await self.redis.exists(self._key(token)))


def get_revoked_tokens(request: Request, session: SessionDep) -> RevokedTokens:
    redis: Redis | None = request.app.state.redis
    if redis is None:
        return DatabaseRevokedTokens(session)
    return RedisRevokedTokens(redis)


RevokedTokensDep = Annotated[RevokedTokens, Depends(get_revoked_tokens)]
