"""The files that take a service to production: the image, compose, the CI workflow and the
pre-commit hooks. No Docker engine runs here, so the Dockerfile is linted with hadolint and
compose and the workflow are validated against their published JSON schemas; what the image
runs is proved by tests/test_environment_auto.py, which builds its contents without Docker."""

import os
import shlex
import sys
from pathlib import Path
from typing import Any

import yaml
from pytest_cookies.plugin import Cookies

from tests.conftest import assert_ok, bake, run_in

BIN = Path(sys.executable).parent
# What the image may hold: the service's code and migrations, never tests or the toolkit.
IMAGE_CONTENTS = {"alembic.ini", "alembic", "app"}


def runtime_stage(dockerfile: str) -> list[str]:
    """The instructions of the last stage, continuation lines joined."""
    joined = dockerfile.replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    last_from = max(i for i, line in enumerate(instructions) if line.startswith("FROM "))
    return instructions[last_from:]


def copied_from_context(stage: list[str]) -> set[str]:
    """Sources of the stage's COPY instructions that read the build context."""
    sources: set[str] = set()
    for instruction in stage:
        words = shlex.split(instruction)
        if words[0] == "COPY" and not any(word.startswith("--from") for word in words):
            sources.update(word.rstrip("/") for word in words[1:-1] if not word.startswith("--"))
    return sources


def compose_of(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((project / "compose.yaml").read_text())
    return loaded


def assert_valid(project: Path, schema: str, path: str) -> None:
    assert_ok(run_in(project, str(BIN / "check-jsonschema"), "--builtin-schema", schema, path))


def test_dockerfile_passes_hadolint(default_service: Path) -> None:
    assert_ok(run_in(default_service, str(BIN / "hadolint"), "Dockerfile"))


def test_image_holds_the_service_alone_and_runs_unprivileged(default_service: Path) -> None:
    stage = runtime_stage((default_service / "Dockerfile").read_text())

    assert copied_from_context(stage) == IMAGE_CONTENTS
    users = [line.split()[1] for line in stage if line.startswith("USER ")]
    assert users
    assert not users[-1].startswith(("0", "root"))
    assert any(line.startswith("HEALTHCHECK") and "/health/" in line for line in stage)
    assert not any(line.startswith("RUN") and "uv" in line.split() for line in stage)


def test_build_context_excludes_secrets_and_local_state(default_service: Path) -> None:
    ignore = (default_service / ".dockerignore").read_text().splitlines()
    rules = [line for line in ignore if line and not line.startswith("#")]

    assert rules[0] == "*"  # everything is left out, then the image's inputs let back in
    let_in = {rule.removeprefix("!").rstrip("/") for rule in rules if rule.startswith("!")}
    assert let_in == IMAGE_CONTENTS | {"pyproject.toml", "uv.lock"}


def test_compose_runs_migrations_once_before_a_scalable_app(default_service: Path) -> None:
    assert_valid(default_service, "vendor.compose-spec", "compose.yaml")
    services = compose_of(default_service)["services"]

    assert set(services) == {"redis", "migrate", "app"}  # SQLite in a volume; Redis for jwt
    assert services["migrate"]["command"] == ["alembic", "upgrade", "head"]
    app = services["app"]
    assert app["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert app["depends_on"]["redis"] == {"condition": "service_healthy"}
    # `--scale app=3` needs no fixed container name and a host port range, not one port.
    assert "container_name" not in app
    assert all("-" in port.rsplit(":", 1)[0] for port in app["ports"])
    assert app["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert app["volumes"] == services["migrate"]["volumes"] == ["data:/srv/data"]


def test_compose_brings_postgresql_and_no_redis_nobody_uses(
    cookies: Cookies, postgres_database_url: str
) -> None:
    project = bake(cookies, database="postgresql", auth="none", multi_tenant="no")
    assert_valid(project, "vendor.compose-spec", "compose.yaml")
    services = compose_of(project)["services"]

    assert set(services) == {"db", "migrate", "app"}
    assert services["migrate"]["depends_on"]["db"] == {"condition": "service_healthy"}
    assert services["app"]["environment"]["DATABASE_URL"].endswith("@db:5432/my_service")
    assert "healthcheck" in services["db"]
    assert_ok(run_in(project, str(BIN / "hadolint"), "Dockerfile"))


def test_ci_workflow_is_a_valid_github_workflow(default_service: Path) -> None:
    assert_valid(default_service, "vendor.github-workflows", ".github/workflows/ci.yml")
    workflow = yaml.safe_load((default_service / ".github/workflows/ci.yml").read_text())
    job = workflow["jobs"]["test"]

    assert set(job["services"]) == {"postgres", "redis"}
    assert [step["run"] for step in job["steps"] if "run" in step] == [
        "uv sync --locked",
        "make check",
        "make test",
    ]


def test_options_off_leave_no_container_or_workflow_files(cookies: Cookies) -> None:
    project = bake(cookies, docker="no", ci="none")

    for path in ("Dockerfile", ".dockerignore", "compose.yaml", ".github"):
        assert not (project / path).exists(), path
    readme = (project / "README.md").read_text()
    assert "docker" not in readme.lower()
    assert "github" not in readme.lower()


def test_pre_commit_hooks_pass_on_a_fresh_clone(default_service: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    assert_ok(run_in(tmp_path, "git", "clone", "--quiet", str(default_service), str(clone)))
    # The hooks run the Makefile, whose python3 is this interpreter's environment here.
    env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "PRE_COMMIT_HOME": str(tmp_path)}

    output = assert_ok(run_in(clone, str(BIN / "pre-commit"), "run", "--all-files", env=env))

    assert output.count("Passed") == 3, output
    assert assert_ok(run_in(clone, "git", "status", "--porcelain")) == ""
