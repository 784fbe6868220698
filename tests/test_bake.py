"""Every option value renders a clean, linted service whose first revision the hook wrote."""

import re
import tomllib
from pathlib import Path

import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import (
    TEMPLATE,
    answers_of,
    assert_lint_clean,
    assert_ok,
    bake,
    python_in,
    run_generated_suite,
    run_in,
)

UNRENDERED = re.compile(r"\{\{|\{%|\{#")
TEXT_SUFFIXES = {".py", ".toml", ".ini", ".md", ".mako", ".json", ".example", ".cfg", ".txt", ""}

# Values the defaults do not already bake (sqlite is the default database, and `bake` renders
# with environment=current); the other options' values are in test_generated_suite.py.
OPTION_VALUES = [
    pytest.param({}, id="defaults"),
    pytest.param({"python_version": "3.12"}, id="python_version=3.12"),
    pytest.param({"python_version": "3.13"}, id="python_version=3.13"),
    pytest.param({"python_version": "3.14"}, id="python_version=3.14"),
]


def service_files(project: Path) -> list[Path]:
    skipped = {".git", ".venv", ".ruff_cache", ".mypy_cache", "__pycache__"}
    return [
        path
        for path in project.rglob("*")
        if path.is_file() and not skipped.intersection(path.relative_to(project).parts)
    ]


def revision_files(project: Path) -> list[Path]:
    return sorted((project / "alembic" / "versions").glob("*.py"))


def assert_clean_service(project: Path) -> None:
    """The checks every bake must pass, whatever the options."""
    for path in service_files(project):
        if path.suffix in TEXT_SUFFIXES:
            text = path.read_text()
            assert not UNRENDERED.search(text), f"unrendered Jinja in {path.relative_to(project)}"
    assert_lint_clean(project)
    revisions = revision_files(project)
    assert len(revisions) == 1, revisions
    assert re.fullmatch(
        r"\d{4}_\d{2}_\d{2}_\d{6}-[0-9a-f]{12}_initial_schema\.py", revisions[0].name
    )
    heads = assert_ok(python_in(project, "-m", "alembic", "heads"))
    assert len(heads.strip().splitlines()) == 1, heads


@pytest.mark.parametrize("answers", OPTION_VALUES)
def test_option_value_renders_a_clean_service(cookies: Cookies, answers: dict[str, str]) -> None:
    project = bake(cookies, **answers)

    assert_clean_service(project)
    recorded = answers_of(project)
    for option, value in answers.items():
        assert recorded[option] == value
    # uv, pyenv and their peers develop on the lowest version the service supports, as CI does.
    assert (project / ".python-version").read_text() == f"{recorded['python_version']}\n"


@pytest.mark.postgres
def test_postgresql_renders_a_clean_service(cookies: Cookies, postgres_database_url: str) -> None:
    project = bake(cookies, database="postgresql")

    assert_clean_service(project)
    pyproject = (project / "pyproject.toml").read_text()
    assert "asyncpg" in pyproject
    assert "aiosqlite" not in pyproject
    assert "postgresql+asyncpg://" in (project / ".env.example").read_text()


def test_first_revision_creates_the_example_table(default_service: Path) -> None:
    revision = revision_files(default_service)[0].read_text()

    assert 'op.create_table(\n        "items"' in revision
    # Unique within a tenant (the default is multi-tenant), named by the naming convention.
    assert (
        'sa.UniqueConstraint("tenant_id", "title", name=op.f("uq_items_tenant_id_title"))'
        in revision
    )
    for table in ("tenants", "users", "revoked_tokens"):
        assert f'op.create_table(\n        "{table}"' in revision
    assert 'sa.PrimaryKeyConstraint("id", name=op.f("pk_items"))' in revision
    assert "-> None:" in revision


def test_dev_database_is_migrated_so_the_service_runs_at_once(default_service: Path) -> None:
    current = assert_ok(python_in(default_service, "-m", "alembic", "current"))

    head = revision_files(default_service)[0].name.split("-")[1].split("_")[0]
    assert f"{head} (head)" in current
    assert (default_service / "my_service.db").is_file()


def test_env_file_has_a_fresh_secret(default_service: Path) -> None:
    env = (default_service / ".env").read_text()

    secret = re.search(r"^SECRET_KEY=(.+)$", env, re.MULTILINE)
    assert secret is not None
    assert secret.group(1) != "changethis"
    assert len(secret.group(1)) >= 40
    assert ".env" in (default_service / ".gitignore").read_text().splitlines()


def test_answers_are_recorded_for_later_updates(default_service: Path) -> None:
    recorded = answers_of(default_service)

    assert recorded["project_slug"] == "my-service"
    assert recorded["database"] == "sqlite"
    assert "_output_dir" not in recorded


def test_service_is_committed_to_git(default_service: Path) -> None:
    log = assert_ok(run_in(default_service, "git", "log", "--oneline"))
    status = assert_ok(run_in(default_service, "git", "status", "--porcelain"))

    assert len(log.splitlines()) == 1
    assert status == ""


# No answer here is a default, so a replay that fell back to a default would show.
REPLAYED_ANSWERS = {
    "project_name": "Replayed Service",
    "auth": "oauth2_proxy",
    "multi_tenant": "no",
    "background_tasks": "celery",
    "docker": "no",
    "ci": "none",
    "graphql": "yes",
}


def test_replay_file_renders_the_same_service(cookies: Cookies, tmp_path: Path) -> None:
    """The recorded answers are enough to render the service again, as `make template-update`
    does: every file the template renders comes out the same."""
    from cookiecutter.main import cookiecutter

    original = bake(cookies, **REPLAYED_ANSWERS)

    replayed = Path(
        cookiecutter(
            str(TEMPLATE),
            replay=str(original / ".cookiecutter.json"),
            output_dir=str(tmp_path),
            accept_hooks=False,
        )
    )

    assert replayed.name == "replayed-service"
    for name in ["app/core/config.py", "Makefile", "pyproject.toml", "README.md", ".env.example"]:
        assert (replayed / name).read_text() == (original / name).read_text(), name


def test_a_fresh_clone_passes_its_suite_and_check(default_service: Path, tmp_path: Path) -> None:
    """What a teammate and CI get: the committed files only, no .env and no .venv."""
    clone = tmp_path / "clone"
    assert_ok(run_in(tmp_path, "git", "clone", "--quiet", str(default_service), str(clone)))
    assert not (clone / ".env").exists()

    run_generated_suite(clone)
    assert_ok(python_in(clone, "-m", "toolkit", "check"))


def test_requirements_let_pip_install_every_declared_package(default_service: Path) -> None:
    pyproject = tomllib.loads((default_service / "pyproject.toml").read_text())
    declared = [*pyproject["project"]["dependencies"], *pyproject["dependency-groups"]["dev"]]
    listed = (default_service / "requirements.txt").read_text().lower()

    missing = [line for line in declared if re.split(r"[\[<>=]", line)[0].lower() not in listed]
    assert missing == []
    assert "requirements.txt" in assert_ok(run_in(default_service, "git", "ls-files"))
