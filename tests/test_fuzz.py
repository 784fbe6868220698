"""Schemathesis against a served render, every check on, stateful links included: the API
document must describe what the service does, so the fuzzer finds nothing at all (not only no
5xx). Bounded in examples and time; a fixed seed makes a failure reproducible."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import assert_ok, bake, free_port, python_in, serving

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
SECONDS = "30"
# Every case signs in with a token of its own: the fuzzer's calls to logout revoke the token
# they carry, and must not sign the rest of the run out.
AUTH_HOOK = """
import os
import uuid

import schemathesis

from app.auth.tokens import issue_token
from app.core.config import get_settings


@schemathesis.auth(refresh_interval=None)
class FreshAccessToken:
    def get(self, case, context):
        user_id = uuid.UUID(os.environ["FUZZ_USER_ID"])
        return issue_token(user_id, "access", get_settings()).encoded

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
"""


@pytest.fixture
def served(project: Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    with serving([*command, "--port", str(port), "--no-access-log"], cwd=project, port=port) as url:
        yield url


def fuzz(project: Path, url: str, env: dict[str, str]) -> str:
    """Run the fuzzer; fail on any finding."""
    command = [
        str(SCHEMATHESIS), "run", f"{url}/openapi.json", "--checks", "all",
        "--max-examples", "30", "--max-time", SECONDS, "--workers", "1", "--seed", "1",
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=project, env={**os.environ, **env}, capture_output=True, text=True
    )
    # Schemathesis exits non-zero on any failure of any check; warnings are advice.
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
    return result.stdout


@pytest.fixture
def project(cookies: Cookies, request: pytest.FixtureRequest) -> Path:
    answers: dict[str, str] = request.param
    if answers.get("database") == "postgresql":
        request.getfixturevalue("postgres_database_url")
    return bake(cookies, **answers)


@pytest.mark.parametrize(
    "project", [{"auth": "none", "multi_tenant": "no"}], indirect=True, ids=["none-sqlite"]
)
def test_the_fuzzer_finds_nothing_without_sign_in(project: Path, served: str) -> None:
    fuzz(project, served, {})


@pytest.mark.postgres
@pytest.mark.parametrize("project", [{"database": "postgresql"}], indirect=True, ids=["jwt-pg"])
def test_the_fuzzer_finds_nothing_signed_in(project: Path, served: str, tmp_path: Path) -> None:
    credentials = {"username": "fuzz@example.com", "password": "a long password"}
    create = ["-m", "app.cli", "create-user", credentials["username"]]
    create += ["--password", credentials["password"], "--tenant", "acme", "--role", "admin"]
    assert_ok(python_in(project, *create))
    token = httpx.post(f"{served}/api/v1/auth/login/", data=credentials).json()["access_token"]
    me = httpx.get(f"{served}/api/v1/users/me/", headers={"Authorization": f"Bearer {token}"})
    user_id = me.json()["id"]
    hooks = tmp_path / "fuzz_hooks.py"
    hooks.write_text(AUTH_HOOK)
    env = {
        "FUZZ_USER_ID": user_id,
        "SCHEMATHESIS_HOOKS": "fuzz_hooks",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(project)]),
    }

    output = fuzz(project, served, env)

    # Every case really was signed in: no API route answered only 401 (refresh does, for the
    # refresh tokens the fuzzer makes up).
    warnings = output.partition("WARNINGS")[2].partition("SUMMARY")[0]
    assert "/api/v1/items/" not in warnings
    assert "/api/v1/users/" not in warnings
