"""What the sign-in routes take and give: a token pair, and the refresh token to use or revoke."""

from typing import Literal

from sqlmodel import SQLModel


class TokenPair(SQLModel):
    """An OAuth2 bearer token response, with the refresh token that renews it."""

    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int  # seconds the access token is valid for


class RefreshRequest(SQLModel):
    model_config = {"extra": "forbid"}

    refresh_token: str


class LogoutRequest(SQLModel):
    """Send the refresh token too, to revoke it with the access token (recommended)."""

    model_config = {"extra": "forbid"}

    refresh_token: str | None = None
