"""The generated service passes its own checks: its test suite, mypy, and Alembic's round trip."""

from pathlib import Path

import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import assert_ok, bake, python_in, run_generated_suite


def assert_service_passes_its_checks(project: Path) -> None:
    tests = run_generated_suite(project)
    assert " passed" in tests, tests
    assert_ok(python_in(project, "-m", "mypy"))
    assert_ok(python_in(project, "-m", "alembic", "upgrade", "head"))
    checked = python_in(project, "-m", "alembic", "check")
    assert_ok(checked)
    assert "No new upgrade operations detected" in checked.stdout + checked.stderr
    assert_ok(python_in(project, "-m", "alembic", "downgrade", "base"))
    assert_ok(python_in(project, "-m", "alembic", "upgrade", "head"))


def test_default_service_passes_its_checks(default_service: Path) -> None:
    assert_service_passes_its_checks(default_service)


@pytest.mark.postgres
def test_postgresql_service_passes_its_checks(cookies: Cookies, postgres_database_url: str) -> None:
    project = bake(cookies, database="postgresql")

    assert_service_passes_its_checks(project)


def test_a_model_change_without_migration_is_caught(cookies: Cookies) -> None:
    """The lockstep promise, at its smallest: a column with no migration fails `alembic check`."""
    project = bake(cookies)
    model = project / "app" / "models" / "item.py"
    table = '    __tablename__ = "items"\n'
    model.write_text(model.read_text().replace(table, f"{table}    sku: str | None = None\n"))

    checked = python_in(project, "-m", "alembic", "check")

    assert checked.returncode != 0
    assert "sku" in checked.stdout + checked.stderr
