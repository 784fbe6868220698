"""Beat's housekeeping for sign-in: expired revocations are pruned, live ones are kept."""

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlmodel import select

from app.core.config import Settings
from app.models.base import utcnow
from app.models.revoked_token import RevokedToken
from app.tasks.celery_app import MAINTENANCE_QUEUE, celery_app
from app.tasks.revoked_tokens import PRUNE_EVERY, prune_expired_revoked_tokens
from tests.tasks import run_tasks_eagerly, send


@pytest.fixture(autouse=True)
def eager(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    run_tasks_eagerly(monkeypatch, settings)


async def test_expired_revocations_are_pruned(app: FastAPI) -> None:
    now = utcnow()
    async with app.state.sessionmaker() as session:
        session.add(RevokedToken(jti="expired", expires_at=now - timedelta(seconds=1)))
        session.add(RevokedToken(jti="live", expires_at=now + timedelta(minutes=15)))
        await session.commit()

    assert await send(prune_expired_revoked_tokens) == 1

    async with app.state.sessionmaker() as session:
        kept = (await session.exec(select(RevokedToken.jti))).all()
    assert kept == ["live"]


def test_beat_sends_it_every_hour_to_the_maintenance_queue() -> None:
    entry = celery_app.conf.beat_schedule["prune expired revoked tokens"]

    assert entry["task"] == prune_expired_revoked_tokens.name
    assert entry["schedule"].run_every == PRUNE_EVERY == timedelta(hours=1)
    assert entry["options"]["queue"] == MAINTENANCE_QUEUE
