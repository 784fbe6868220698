"""The signed-in user's own account."""

from fastapi import APIRouter

from app.auth.dependencies import CurrentUser
from app.schemas.user import UserPublic

router = APIRouter(prefix="/users", tags=["users"])


@router.get(
    "/me/",
    response_model=UserPublic,
    summary="The signed-in user",
    operation_id="get_current_user",
)
async def get_me(user: CurrentUser) -> UserPublic:
    return user
