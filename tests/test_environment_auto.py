"""The path a user takes: `environment=auto` installs the service with uv, then runs it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import REQUIRE_SERVICES, assert_ok, run_in


@pytest.mark.slow
def test_auto_environment_uses_uv_and_leaves_a_ready_service(cookies: Cookies) -> None:
    for tool in ("uv", "make"):
        if shutil.which(tool) is None:
            if REQUIRE_SERVICES:
                pytest.fail(f"{tool} is not on PATH, and LOCKSTEP_REQUIRE_SERVICES=1 requires it")
            pytest.skip(f"{tool} is not on PATH")

    result = cookies.bake(extra_context={"environment": "auto"})

    assert result.exit_code == 0, result.exception
    project = Path(result.project_path)
    python = project / ".venv" / "bin" / "python"
    assert python.is_file()
    assert (project / "uv.lock").is_file()
    assert len(list((project / "alembic" / "versions").glob("*.py"))) == 1
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    tests = subprocess.run(
        ["make", "test"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert_ok(run_in(project, "make", "check", env=env))


@pytest.mark.slow
def test_auto_environment_without_uv_makes_a_venv_with_pip(
    cookies: Cookies, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's first command on a machine with only Python and pip."""
    if shutil.which("make") is None:
        if REQUIRE_SERVICES:
            pytest.fail("make is not on PATH, and LOCKSTEP_REQUIRE_SERVICES=1 requires it")
        pytest.skip("make is not on PATH")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # the hook looks for uv on PATH: hide it
    if shutil.which("uv") is not None:
        pytest.skip("uv is installed system-wide, so it cannot be hidden from the hook")

    result = cookies.bake(extra_context={"environment": "auto"})

    assert result.exit_code == 0, result.exception
    project = Path(result.project_path)
    assert (project / ".venv" / "bin" / "python").is_file()
    assert not (project / "uv.lock").exists()
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    tests = subprocess.run(
        ["make", "test"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
