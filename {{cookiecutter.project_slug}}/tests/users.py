"""Users for tests, stored as `python -m app.cli create-user` stores them."""

from typing import Any

from fastapi import FastAPI
from sqlmodel import col, select

from app.models.user import User
from app.repositories.user import UserRepository
from tests.sign_in_{{ cookiecutter.auth }} import sign_in_fields


async def add_user(app: FastAPI, email: str, **values: Any) -> User:
    async with app.state.sessionmaker() as session:
        user = await UserRepository(session).add(email, **(sign_in_fields(email) | values))
        await session.commit()
        return user


async def set_active(app: FastAPI, email: str, *, active: bool) -> None:
    async with app.state.sessionmaker() as session:
        user = (await session.exec(select(User).where(col(User.email) == email))).one()
        user.is_active = active
        await session.commit()
