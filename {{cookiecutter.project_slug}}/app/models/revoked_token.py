"""Tokens revoked before they expire (by logout or refresh), when Redis is not configured."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel


class RevokedToken(SQLModel, table=True):
    """The `revoked_tokens` table: a token's `jti` until the token would have expired anyway."""

    __tablename__ = "revoked_tokens"

    jti: str = Field(primary_key=True, max_length=64)
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), index=True)
