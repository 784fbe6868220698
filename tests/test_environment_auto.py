"""The path a user takes: `environment=auto` installs the service (with uv, or pip without it);
then its CI workflow and its image."""

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
import yaml
from pytest_cookies.plugin import Cookies

from tests.conftest import (
    assert_ok,
    free_port,
    reachable_redis,
    run_in,
    serving,
    unavailable,
)
from tests.test_production_files import copied_from_context, runtime_stage


def require_tools(*tools: str) -> None:
    for tool in tools:
        if shutil.which(tool) is None:
            unavailable(f"{tool} is not on PATH")


def without_virtualenv() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}


def run_ci_workflow(clone: Path, database_url: str) -> None:
    """The workflow's `run:` steps in order, with its environment, against the local servers:
    what GitHub Actions runs on the first push (the service containers are these servers)."""
    workflow = yaml.safe_load((clone / ".github" / "workflows" / "ci.yml").read_text())
    job = workflow["jobs"]["test"]
    env = {**without_virtualenv(), **job["env"], "DATABASE_URL": database_url}
    redis_url = reachable_redis()
    if redis_url is None:
        env.pop("TEST_REDIS_URL", None)  # its one Redis test then skips, as outside CI
    elif "TEST_REDIS_URL" in env:
        env["TEST_REDIS_URL"] = redis_url
    for step in job["steps"]:
        if "run" in step:
            result = subprocess.run(
                step["run"], shell=True, cwd=clone, env=env, capture_output=True, text=True
            )
            assert result.returncode == 0, f"{step['name']}:\n{result.stdout}{result.stderr}"


def assemble_image(project: Path, root: Path) -> Path:
    """What the Dockerfile's final stage holds, built without Docker: the locked packages minus
    the development group, and the files its COPY instructions take. Returns its python."""
    (root / "build").mkdir(parents=True)
    for name in ("pyproject.toml", "uv.lock"):
        shutil.copy(project / name, root / "build" / name)
    venv = root / "venv"
    environment = {**without_virtualenv(), "UV_PROJECT_ENVIRONMENT": str(venv)}
    assert_ok(run_in(root / "build", "uv", "sync", "--locked", "--no-dev", env=environment))
    stage = runtime_stage((project / "Dockerfile").read_text())
    (root / "srv").mkdir()
    for source in copied_from_context(stage):
        copy = shutil.copytree if (project / source).is_dir() else shutil.copy
        copy(project / source, root / "srv" / source)
    return venv / "bin" / "python"


def image_command(dockerfile: str, port: int) -> list[str]:
    """The final stage's CMD, listening on `port` instead of the container's 8000."""
    cmd = next(line for line in runtime_stage(dockerfile) if line.startswith("CMD "))
    words: list[str] = json.loads(cmd.removeprefix("CMD "))
    return [str(port) if word == "8000" else word for word in words]


def assert_image_serves(python: Path, srv: Path, dockerfile: str, database_url: str) -> None:
    """The image migrates and serves, with nothing from the development toolkit."""
    env = {
        **without_virtualenv(),
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "production",
        "SECRET_KEY": "an image-test secret that is long enough for HS256",
    }
    assert_ok(run_in(srv, str(python), "-m", "alembic", "upgrade", "head", env=env))
    port = free_port()
    env["PATH"] = f"{python.parent}{os.pathsep}{env['PATH']}"  # as the image's ENV PATH says
    with (
        serving(image_command(dockerfile, port), cwd=srv, port=port, env=env) as url,
        urllib.request.urlopen(f"{url}/health/ready/", timeout=5) as ready,
    ):
        assert ready.status == 200


@pytest.mark.slow
@pytest.mark.postgres
def test_auto_environment_leaves_a_service_whose_ci_and_image_work(
    cookies: Cookies, postgres_database_url: str, tmp_path: Path
) -> None:
    """uv installs the service and locks it; a fresh clone passes the CI workflow's steps; and
    the image's contents, assembled as the Dockerfile says, migrate and serve."""
    require_tools("uv", "make")

    result = cookies.bake(extra_context={"environment": "auto", "database": "postgresql"})

    assert result.exit_code == 0, result.exception
    project = Path(result.project_path)
    assert (project / ".venv" / "bin" / "python").is_file()
    assert "uv.lock" in assert_ok(run_in(project, "git", "ls-files"))
    clone = tmp_path / "clone"
    assert_ok(run_in(tmp_path, "git", "clone", "--quiet", str(project), str(clone)))
    run_ci_workflow(clone, database_url=postgres_database_url)

    image_python = assemble_image(clone, tmp_path / "image")
    dockerfile = (clone / "Dockerfile").read_text()
    assert_image_serves(image_python, tmp_path / "image" / "srv", dockerfile, postgres_database_url)


@pytest.mark.slow
def test_auto_environment_without_uv_makes_a_venv_with_pip(
    cookies: Cookies, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's first command on a machine with only Python and pip."""
    require_tools("make")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # the hook looks for uv on PATH: hide it
    if shutil.which("uv") is not None:
        pytest.skip("uv is installed system-wide, so it cannot be hidden from the hook")

    result = cookies.bake(extra_context={"environment": "auto"})

    assert result.exit_code == 0, result.exception
    project = Path(result.project_path)
    assert (project / ".venv" / "bin" / "python").is_file()
    assert not (project / "uv.lock").exists()
    tests = subprocess.run(
        ["make", "test"], cwd=project, env=without_virtualenv(), capture_output=True, text=True
    )
    assert tests.returncode == 0, tests.stdout + tests.stderr
