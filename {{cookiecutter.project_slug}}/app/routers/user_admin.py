"""User administration, for admins: list users, create one, change a role, deactivate or
reactivate, set a new password. Anyone else gets a 403.
{%- if cookiecutter.multi_tenant == "yes" %}

An admin administers their own tenant's users: another tenant's user is a 404, and a user an
admin creates joins the admin's tenant.
{%- endif %}

An admin cannot drop their own admin role or deactivate themselves, so the service always has
an admin who can undo a mistake. A deactivated user's tokens stop working at once: sign-in
checks `is_active` on every request.
"""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy import ColumnElement, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from starlette.concurrency import run_in_threadpool

from app.auth.dependencies import require_role
from app.auth.emails import checked_email
from app.auth.passwords import hash_password
from app.core.db import SessionDep
from app.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed, error_responses
from app.models.user import User
from app.schemas.common import MAX_PAGE_SIZE, MAX_SKIP
from app.schemas.user import UserPublic
from app.schemas.user_admin import NewPassword, NewUser, UserChanges, UsersPublic

# `{user_id:uuid}`: `/users/me/` is another route's, and must not match these.
router = APIRouter(
    prefix="/users",
    tags=["user administration"],
    responses=error_responses(PermissionDenied),
)

Admin = Annotated[UserPublic, Depends(require_role("admin"))]
{% if cookiecutter.multi_tenant == "yes" %}

def administered_by(admin: UserPublic) -> list[ColumnElement[bool]]:
    """The users an admin administers: their tenant's."""
    return [col(User.tenant_id) == admin.tenant_id]


def placed_by(admin: UserPublic) -> dict[str, Any]:
    """Where a user an admin creates belongs: in the admin's tenant."""
    return {"tenant_id": admin.tenant_id}
{% else %}

def administered_by(_admin: UserPublic) -> list[ColumnElement[bool]]:
    """The users an admin administers: every user, as there are no tenants."""
    return []


def placed_by(_admin: UserPublic) -> dict[str, Any]:
    return {}
{% endif %}

async def administered_user(session: SessionDep, admin: UserPublic, user_id: uuid.UUID) -> User:
    statement = select(User).where(col(User.id) == user_id, *administered_by(admin))
    user = (await session.exec(statement)).first()
    if user is None:
        raise NotFound(f"User {user_id} was not found.")
    return user


@router.get("/", response_model=UsersPublic, summary="List users", operation_id="list_users")
async def list_users(
    admin: Admin,
    session: SessionDep,
    skip: Annotated[int, Query(ge=0, le=MAX_SKIP)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 100,
) -> dict[str, Any]:
    scope = administered_by(admin)
    page = select(User).where(*scope).order_by(col(User.created_at), col(User.id))
    users = (await session.exec(page.offset(skip).limit(limit))).all()
    count = (await session.exec(select(func.count()).select_from(User).where(*scope))).one()
    return {"data": users, "count": count}


@router.post(
    "/",
    response_model=UserPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    operation_id="create_user",
    responses=error_responses(Conflict),
)
async def create_user(new: NewUser, admin: Admin, session: SessionDep) -> User:
    try:
        email = checked_email(new.email)
    except ValueError as error:
        raise ValidationFailed(str(error)) from error
    password_hash = await run_in_threadpool(hash_password, new.password.get_secret_value())
    user = User(email=email, role=new.role, hashed_password=password_hash, **placed_by(admin))
    session.add(user)
    try:
        await session.flush()
    except IntegrityError as error:
        raise Conflict("Another user already has this email.") from error
    return user


@router.patch(
    "/{user_id:uuid}/",
    response_model=UserPublic,
    summary="Change a user's role, or whether they may sign in",
    operation_id="update_user",
    responses=error_responses(NotFound, Conflict),
)
async def update_user(
    user_id: uuid.UUID, changes: UserChanges, admin: Admin, session: SessionDep
) -> User:
    user = await administered_user(session, admin, user_id)
    sent = changes.model_dump(exclude_unset=True)
    for name, value in sent.items():
        if value is None:
            raise ValidationFailed(f"{name} cannot be null.")
    locks_out = sent.get("role", "admin") != "admin" or sent.get("is_active") is False
    if user.id == admin.id and locks_out:
        raise Conflict("An admin cannot drop their own admin role or deactivate themselves.")
    user.sqlmodel_update(sent)
    await session.flush()
    return user


@router.put(
    "/{user_id:uuid}/password/",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Set a user's password",
    operation_id="set_user_password",
    responses=error_responses(NotFound),
)
async def set_user_password(
    user_id: uuid.UUID, new: NewPassword, admin: Admin, session: SessionDep
) -> None:
    user = await administered_user(session, admin, user_id)
    user.hashed_password = await run_in_threadpool(hash_password, new.password.get_secret_value())
    await session.flush()
