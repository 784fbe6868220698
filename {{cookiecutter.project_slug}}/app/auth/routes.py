"""Signing in with email and password: log in, refresh, log out.

Log in with the OAuth2 password form (`username` is the email) for an access token, which
calls send as `Authorization: Bearer <token>`, and a refresh token, which `/refresh/` trades
for a new pair, once. `/logout/` revokes the access token, and the refresh token when sent.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from starlette.concurrency import run_in_threadpool

from app.auth.jwt import NOT_AUTHENTICATED, AccessToken, active_user, verified_token
from app.auth.passwords import hash_password, needs_rehash, spend_verification_time, verify_password
from app.auth.revocation import RevokedTokensDep
from app.auth.throttle import LoginThrottleDep
from app.auth.tokens import InvalidToken, decode_token, issue_token
from app.core.config import Settings, SettingsDep
from app.core.db import SessionDep
from app.core.errors import (
    AuthenticationFailed,
    TooManyRequests,
    ValidationFailed,
    error_responses,
)
from app.models.user import User
from app.repositories.user import UserRepository
from app.schemas.auth import LogoutRequest, RefreshRequest, TokenPair

router = APIRouter(prefix="/auth", tags=["auth"])

INCORRECT_LOGIN = "Incorrect email or password."


def token_pair(user: User, settings: Settings) -> TokenPair:
    return TokenPair(
        access_token=issue_token(user.id, "access", settings).encoded,
        refresh_token=issue_token(user.id, "refresh", settings).encoded,
        expires_in=settings.access_token_minutes * 60,
    )


@router.post(
    "/login/",
    response_model=TokenPair,
    summary="Log in with email and password",
    operation_id="login",
    responses=error_responses(AuthenticationFailed, ValidationFailed, TooManyRequests),
)
async def login(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
    throttle: LoginThrottleDep,
) -> TokenPair:
    address = request.client.host if request.client else "unknown"
    await throttle.refuse_when_over(form.username, address)
    user = await UserRepository(session).get_by_email(form.username)
    if user is None:
        await run_in_threadpool(spend_verification_time, form.password)
        await throttle.failed(form.username, address)
        raise AuthenticationFailed(INCORRECT_LOGIN)
    verified = await run_in_threadpool(verify_password, form.password, user.hashed_password)
    if not verified or not user.is_active:
        await throttle.failed(form.username, address)
        raise AuthenticationFailed(INCORRECT_LOGIN)
    await throttle.succeeded(form.username, address)
    if needs_rehash(user.hashed_password):
        user.hashed_password = await run_in_threadpool(hash_password, form.password)
    return token_pair(user, settings)


@router.post(
    "/refresh/",
    response_model=TokenPair,
    summary="Trade a refresh token for a new token pair",
    operation_id="refresh_tokens",
    responses=error_responses(AuthenticationFailed, ValidationFailed),
)
async def refresh(
    body: RefreshRequest,
    session: SessionDep,
    revoked_tokens: RevokedTokensDep,
    settings: SettingsDep,
) -> TokenPair:
    token = verified_token(body.refresh_token, "refresh", settings)
    user = await active_user(session, token.user_id)
    # Each refresh token works once: revoking it is what claims it, atomically.
    if not await revoked_tokens.revoke(token):
        raise AuthenticationFailed(NOT_AUTHENTICATED)
    return token_pair(user, settings)


@router.post(
    "/logout/",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Revoke the access token, and the refresh token when sent",
    operation_id="logout",
    responses=error_responses(AuthenticationFailed, ValidationFailed),
)
async def logout(
    access_token: AccessToken,
    revoked_tokens: RevokedTokensDep,
    settings: SettingsDep,
    body: LogoutRequest | None = None,
) -> None:
    await revoked_tokens.revoke(access_token)
    if body is None or body.refresh_token is None:
        return
    try:
        refresh_token = decode_token(body.refresh_token, "refresh", settings)
    except InvalidToken:
        return  # useless to anyone already
    if refresh_token.user_id == access_token.user_id:
        await revoked_tokens.revoke(refresh_token)
