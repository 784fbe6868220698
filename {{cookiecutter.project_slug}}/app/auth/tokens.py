"""Signed JWTs (PyJWT, HS256 with SECRET_KEY): short-lived access tokens, longer refresh tokens.

Every token carries `sub` (the user id), `iat`, `exp`, a unique `jti` (what revocation
records) and `type`, so a refresh token is never accepted where an access token is expected.
Decoding names the one algorithm it accepts, which refuses `alg: none` and algorithm swaps.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Literal

import jwt

from app.core.config import Settings
from app.models.base import utcnow

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["exp", "iat", "jti", "sub", "type"]
MAX_TOKEN_ID_LENGTH = 64
# Tokens checked recently, by the process: about a megabyte at most.
VERIFIED_TOKENS_KEPT = 4096

TokenType = Literal["access", "refresh"]
TOKEN_TYPES: tuple[TokenType, ...] = ("access", "refresh")


class InvalidToken(Exception):
    """The token is expired, malformed, forged, or of the wrong type. Callers answer 401
    without saying which: the reason would only help whoever is probing."""


@dataclass(frozen=True)
class Token:
    encoded: str
    user_id: uuid.UUID
    token_id: str
    type: TokenType
    expires_at: datetime


def issue_token(user_id: uuid.UUID, token_type: TokenType, settings: Settings) -> Token:
    issued_at = utcnow()
    if token_type == "access":
        lifetime = timedelta(minutes=settings.access_token_minutes)
    else:
        lifetime = timedelta(days=settings.refresh_token_days)
    token_id = uuid.uuid4().hex
    expires_at = issued_at + lifetime
    claims = {
        "sub": str(user_id),
        "iat": issued_at,
        "exp": expires_at,
        "jti": token_id,
        "type": token_type,
    }
    encoded = jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=ALGORITHM)
    return Token(encoded, user_id, token_id, token_type, expires_at)


def decode_token(encoded: str, expected_type: TokenType, settings: Settings) -> Token:
    """The token's claims, once its signature, expiry, required claims and type are checked."""
    token = verified_claims(encoded, settings.secret_key.get_secret_value())
    if token.type != expected_type or token.expires_at <= utcnow():
        raise InvalidToken
    return token


@lru_cache(maxsize=VERIFIED_TOKENS_KEPT)
def verified_claims(encoded: str, key: str) -> Token:
    """A token whose signature and claims were checked. A client sends the same access token
    with every request: checking it once per process saves a signature and a JSON parse per
    request. Expiry is checked by the caller, every time; revocation by the revocation store."""
    try:
        claims = jwt.decode(
            encoded, key, algorithms=[ALGORITHM], options={"require": REQUIRED_CLAIMS}
        )
        user_id = uuid.UUID(claims["sub"])
        expires_at = datetime.fromtimestamp(claims["exp"], tz=UTC)
    # OverflowError and OSError: an `exp` too far in the future for a datetime.
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError, OSError) as error:
        raise InvalidToken from error
    token_id = claims["jti"]
    if claims["type"] not in TOKEN_TYPES or not isinstance(token_id, str):
        raise InvalidToken
    if len(token_id) > MAX_TOKEN_ID_LENGTH:
        raise InvalidToken
    token_type: TokenType = "access" if claims["type"] == "access" else "refresh"
    return Token(encoded, user_id, token_id, token_type, expires_at)
