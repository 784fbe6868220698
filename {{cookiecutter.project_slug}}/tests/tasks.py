"""Tasks in tests run eagerly: sent as the service sends them, run at once in the test's process
(no broker, no worker), on the test's database; retries too, without the waits between them."""

import asyncio
from typing import ParamSpec, TypeVar

import pytest
from celery import Task

from app.core.config import Settings
from app.tasks import database
from app.tasks.celery_app import celery_app

P = ParamSpec("P")
R = TypeVar("R")


def run_tasks_eagerly(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setattr(database, "get_settings", lambda: settings)


async def send(task: Task[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Send the task and wait for its result, or the error it gave up with. A worker runs tasks
    where no event loop runs (each starts its own), so the test sends it from a thread."""
    return await asyncio.to_thread(lambda: task.delay(*args, **kwargs).get())
