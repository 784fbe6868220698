"""background_tasks=celery against the real Redis: a worker started as the service's README says
runs a task sent to it, and retries one whose database is unreachable until the database is
back; without REDIS_URL it refuses to start; compose runs a worker and one beat.

The worker's queues and results go to database 11 of the Redis in LOCKSTEP_REDIS_URL (the local
one by default), emptied first; the test skips without Redis unless LOCKSTEP_REQUIRE_SERVICES=1.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_cookies.plugin import Cookies

from tests.conftest import REDIS_URL, assert_ok, bake, python_in, reachable_redis, run_in

BIN = Path(sys.executable).parent
CELERY_REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/11"
WORKER = [sys.executable, "-m", "celery", "-A", "app.tasks.celery_app", "worker"]

# Run in the service with the worker's settings. An item on sale in a tenant of its own, taken
# off sale by the worker; then another, sent while the database's directory is moved away:
# the task fails, waits to retry, and completes once the directory is back. Then beat's task.
SENDER = """
import asyncio, json, sys, time, uuid
from decimal import Decimal
from pathlib import Path

from app.models.item import Item
from app.models.tenant import Tenant
from app.tasks.database import run_in_session
from app.tasks.items import deactivate_items
from app.tasks.revoked_tokens import prune_expired_revoked_tokens


async def add_item(session):
    tenant = Tenant(name=f"tenant-{uuid.uuid4().hex[:8]}")
    session.add(tenant)
    await session.flush()
    item = Item(title="lamp", price=Decimal("9.99"), is_active=True, tenant_id=tenant.id)
    session.add(item)
    await session.flush()
    return tenant.id, item.id


report = {}
tenant_id, item_id = run_in_session(add_item)
report["completed"] = deactivate_items.delay(tenant_id, [item_id]).get(timeout=60)

data = Path(sys.argv[1])
away = data.with_name("away")
tenant_id, item_id = run_in_session(add_item)
data.rename(away)
result = deactivate_items.delay(tenant_id, [item_id])
deadline = time.monotonic() + 60
while result.state != "RETRY" and not result.ready() and time.monotonic() < deadline:
    time.sleep(0.05)
report["state while away"] = result.state
away.rename(data)
report["after retrying"] = result.get(timeout=60)
# As beat sends it: to the maintenance queue.
report["pruned"] = prune_expired_revoked_tokens.apply_async(queue="maintenance").get(timeout=60)
print(json.dumps(report))
"""


def celery_redis() -> str:
    """Database 11 of the Redis the suite uses, emptied; skips (or fails) when unreachable."""
    if reachable_redis() is None:
        pytest.skip(f"Redis at {REDIS_URL} is unreachable: the Celery worker is not tested")
    import redis

    client = redis.Redis.from_url(CELERY_REDIS_URL)
    try:
        client.flushdb()
    finally:
        client.close()
    return CELERY_REDIS_URL


@contextmanager
def running(command: list[str], *, cwd: Path, env: dict[str, str]) -> Iterator[Path]:
    """Run a long-lived command; yields the file its output goes to, and stops it afterwards."""
    with tempfile.NamedTemporaryFile("w+", suffix=".log") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log, text=True)
        try:
            yield Path(log.name)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_a_worker_runs_a_task_and_retries_one_until_the_database_is_back(
    cookies: Cookies, tmp_path: Path
) -> None:
    redis_url = celery_redis()
    project = bake(cookies, background_tasks="celery")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(project / "my_service.db", data / "service.db")  # the hook migrated it
    settings = {
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"sqlite+aiosqlite:///{data / 'service.db'}",
        "LOG_FORMAT": "plain",
    }
    env = {**os.environ, **settings}

    with running([*WORKER, "--concurrency", "1"], cwd=project, env=env) as log:
        sent = python_in(project, "-c", SENDER, str(data), env=settings)
        worker_log = log.read_text()

    assert sent.returncode == 0, f"{sent.stdout}\n{sent.stderr}\nworker:\n{worker_log}"
    report: dict[str, Any] = json.loads(sent.stdout.splitlines()[-1])
    assert report == {
        "completed": 1,
        "state while away": "RETRY",
        "after retrying": 1,
        "pruned": 0,
    }
    assert "Retry in" in worker_log
    assert "unable to open database file" in worker_log


def test_beat_starts_with_the_pruning_of_expired_revoked_tokens(cookies: Cookies) -> None:
    redis_url = celery_redis()
    project = bake(cookies, background_tasks="celery")
    env = {**os.environ, "REDIS_URL": redis_url, "LOG_LEVEL": "DEBUG", "LOG_FORMAT": "plain"}
    beat = [*WORKER[:-1], "beat", "--schedule", str(project / ".celerybeat-schedule")]

    with running(beat, cwd=project, env=env) as log:
        deadline = time.monotonic() + 60
        while "Current schedule" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        beat_log = log.read_text()

    assert "Current schedule" in beat_log, beat_log
    entry = "prune expired revoked tokens app.tasks.revoked_tokens.prune_expired_revoked_tokens"
    assert f"{entry}() <freq: 1.00 hour>" in beat_log


def test_the_worker_refuses_to_start_without_redis_url(cookies: Cookies) -> None:
    project = bake(cookies, background_tasks="celery", auth="none", multi_tenant="no")
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}

    started = subprocess.run(
        WORKER, cwd=project, env=env, capture_output=True, text=True, timeout=60, check=False
    )

    assert started.returncode != 0
    assert "REDIS_URL is not set" in started.stderr


def test_compose_runs_workers_and_one_beat(cookies: Cookies) -> None:
    project = bake(cookies, background_tasks="celery", auth="oauth2_proxy")
    assert_ok(run_in(project, str(BIN / "check-jsonschema"), "--builtin-schema",
                     "vendor.compose-spec", "compose.yaml"))  # fmt: skip
    services = yaml.safe_load((project / "compose.yaml").read_text())["services"]

    assert set(services) == {"redis", "migrate", "app", "worker", "beat"}
    worker, beat = services["worker"], services["beat"]
    assert worker["command"][:4] == ["celery", "-A", "app.tasks.celery_app", "worker"]
    assert worker["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert beat["command"][:4] == ["celery", "-A", "app.tasks.celery_app", "beat"]
    for service in (worker, beat):
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert service["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert "celery" in (project / "pyproject.toml").read_text()
    makefile = (project / "Makefile").read_text()
    assert "-m celery -A app.tasks.celery_app worker" in makefile
    assert "-m celery -A app.tasks.celery_app beat" in makefile
