"""Fixtures for the template's own suite: bakes, the generated service's tools, and servers.

Bakes use `environment=current`: the hook runs Alembic with this interpreter, which has the
service's packages from requirements-test.txt. Only the end-to-end test installs through uv.

PostgreSQL tests need the server in LOCKSTEP_POSTGRES_URL (default: the local one, trust auth).
They skip with the reason when it is unreachable, unless LOCKSTEP_REQUIRE_SERVICES=1 (as
`.ci/run` sets), which turns the absence into a failure. Likewise Redis, at LOCKSTEP_REDIS_URL
(default: the local one), which generated suites use to test Redis-backed token revocation.
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import pytest
from pytest_cookies.plugin import Cookies, Result

TEMPLATE = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get(
    "LOCKSTEP_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("LOCKSTEP_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE_SERVICES = os.environ.get("LOCKSTEP_REQUIRE_SERVICES") == "1"
# The only skip a generated suite may report: its Redis test, when there is no Redis here.
REDIS_SKIP = "TEST_REDIS_URL is not set"


def bake(cookies: Cookies, **answers: str) -> Path:
    """Render with these answers and this interpreter; fail the test if the render fails."""
    result: Result = cookies.bake(extra_context={"environment": "current", **answers})
    assert result.exit_code == 0, f"bake failed: {result.exception!r}"
    assert result.exception is None
    return Path(result.project_path)


def run_in(
    project: Path, *command: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command in a baked service with this interpreter; the output is kept for asserts."""
    return subprocess.run(
        command,
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def python_in(
    project: Path, *arguments: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return run_in(project, sys.executable, *arguments, env=env)


def assert_ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, (
        f"{' '.join(result.args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def serving(
    command: list[str], *, cwd: Path, port: int, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run a server command that listens on `port` until `/health/` answers; yields its base
    URL, and stops it afterwards. `env` replaces the environment when given."""
    url = f"http://127.0.0.1:{port}"
    # A file, not a pipe: a server logging every request would fill a pipe nobody reads.
    with tempfile.TemporaryFile("w+") as log:
        server = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log, text=True)
        try:
            deadline = time.monotonic() + 30
            while True:
                if server.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"the server exited before serving:\n{log.read()[-3000:]}")
                try:
                    urllib.request.urlopen(f"{url}/health/", timeout=2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        pytest.fail(f"{url}/health/ did not answer within 30 s")
                    time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def run_generated_suite(project: Path) -> str:
    """The baked service's own tests: they must pass with nothing skipped (but the Redis test,
    where no Redis is reachable and none is required). Returns the output."""
    redis_url = reachable_redis()
    env = {"TEST_REDIS_URL": redis_url} if redis_url else {}
    tests = assert_ok(
        python_in(project, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", env=env)
    )
    skips = [line for line in tests.splitlines() if line.startswith("SKIPPED")]
    allowed = [line for line in skips if REDIS_SKIP in line and redis_url is None]
    assert skips == allowed, tests
    return tests


@cache
def reachable_redis() -> str | None:
    """LOCKSTEP_REDIS_URL when Redis answers there; None, or a failure when it is required."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        if REQUIRE_SERVICES:
            pytest.fail(
                f"Redis at {REDIS_URL} is unreachable ({error}), "
                "and LOCKSTEP_REQUIRE_SERVICES=1 requires it"
            )
        return None
    finally:
        client.close()
    return REDIS_URL


def assert_lint_clean(project: Path) -> None:
    assert_ok(python_in(project, "-m", "ruff", "check", "."))
    assert_ok(python_in(project, "-m", "ruff", "format", "--check", "."))


def unavailable(problem: str) -> NoReturn:
    """Skip the test for want of a server or tool, or fail it where one is required."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{problem}, and LOCKSTEP_REQUIRE_SERVICES=1 requires it")
    pytest.skip(problem)


def postgres_problem() -> str | None:
    """Why the PostgreSQL server cannot be used, or None when it can."""
    try:
        import asyncpg
    except ImportError:
        return "asyncpg is not installed"

    async def probe() -> None:
        connection = await asyncpg.connect(POSTGRES_URL, timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except (TimeoutError, OSError, asyncpg.PostgresError) as error:
        return f"PostgreSQL at {POSTGRES_URL} is unreachable ({error})"
    return None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    """The server URL; skips (or, with LOCKSTEP_REQUIRE_SERVICES=1, fails) when unreachable."""
    problem = postgres_problem()
    if problem:
        unavailable(problem)
    return POSTGRES_URL


def drop_database(server_url: str, name: str) -> None:
    import asyncpg

    async def drop() -> None:
        connection = await asyncpg.connect(server_url)
        try:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await connection.close()

    asyncio.run(drop())


@pytest.fixture
def postgres_database_url(postgres_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A database name of its own on the server, as DATABASE_URL for the hook and the service."""
    name = f"lockstep_{uuid.uuid4().hex[:10]}"
    base = postgres_server.rsplit("/", 1)[0]
    url = f"{base}/{name}"
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    drop_database(postgres_server, name)


@pytest.fixture(scope="session", autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No DATABASE_URL leaks in from the shell; mypy shares one cache across bakes (much faster)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DATABASE_URL", raising=False)
        patch.setenv("MYPY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "mypy-cache"))
        yield


@pytest.fixture(scope="session")
def default_service(cookies_session: Cookies) -> Path:
    """The service `cookiecutter --no-input` makes, rendered once for tests that only read it."""
    return bake(cookies_session)


def answers_of(project: Path) -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads((project / ".cookiecutter.json").read_text())[
        "cookiecutter"
    ]
    return recorded
