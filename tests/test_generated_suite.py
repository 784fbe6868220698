"""Every combination of auth, multi_tenant and database passes its own checks: lint, `toolkit
check`, mypy, its test suite (PostgreSQL against the real server, Redis revocation against the
real Redis; its test_migrations.py walks every revision down and up again), with a generated
resource that refers to the example."""

from pathlib import Path

import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import assert_lint_clean, assert_ok, bake, python_in, run_generated_suite

AUTH = ["jwt", "oauth2_proxy", "none"]
MULTI_TENANT = ["yes", "no"]
DATABASES = ["sqlite", "postgresql"]
# A resource that refers to the example, so the generator's scoping is exercised in every mode.
NOTE = ["Note", "body:text", "item:ref:Item?"]

COMBINATIONS = [
    pytest.param(
        {"auth": auth, "multi_tenant": multi_tenant, "database": database},
        id=f"{auth}-tenants_{multi_tenant}-{database}",
        marks=[pytest.mark.postgres] if database == "postgresql" else [],
    )
    for database in DATABASES
    for auth in AUTH
    for multi_tenant in MULTI_TENANT
    if not (auth == "none" and multi_tenant == "yes")  # refused by the pre-gen hook
]

# What a service without sign-in must not mention anywhere in its code or tests.
AUTH_WORDS = [
    "app.auth", "CurrentUser", "jwt", "argon2", "bearer", "access_token", "login", "class User",
    "tenant", "redis", "X-Forwarded-Email",
]  # fmt: skip


def assert_creates_an_admin(project: Path, answers: dict[str, str]) -> None:
    """`create-user` in this combination's form: a password only with jwt, a tenant only with
    tenants."""
    command = ["-m", "app.cli", "create-user", "boss@acme.example", "--role", "admin"]
    expected = "Created admin boss@acme.example"
    if answers["auth"] == "jwt":
        command += ["--password", "long enough password"]
    if answers["multi_tenant"] == "yes":
        command += ["--tenant", "acme"]
        expected += " in tenant acme"
    assert assert_ok(python_in(project, *command)).strip() == f"{expected}."


def assert_service_passes_its_checks(project: Path) -> str:
    """Lint, the sync check (migrations match the models), types, and the service's own suite,
    whose test_migrations.py walks every revision down and up again."""
    assert_lint_clean(project)
    assert_ok(python_in(project, "-m", "toolkit", "check"))
    assert_ok(python_in(project, "-m", "mypy"))
    tests = run_generated_suite(project)
    assert " passed" in tests, tests
    return tests


@pytest.mark.parametrize("answers", COMBINATIONS)
def test_every_combination_passes_its_own_checks(
    cookies: Cookies, request: pytest.FixtureRequest, answers: dict[str, str]
) -> None:
    if answers["database"] == "postgresql":
        request.getfixturevalue("postgres_database_url")
    project = bake(cookies, **answers)
    assert_ok(python_in(project, "-m", "toolkit", "add-resource", *NOTE))
    if answers["auth"] != "none":
        assert_creates_an_admin(project, answers)

    tests = assert_service_passes_its_checks(project)

    tenancy_tests = sorted(path.name for path in (project / "tests").glob("test_*_tenancy.py"))
    if answers["multi_tenant"] == "yes":
        assert tenancy_tests == ["test_items_tenancy.py", "test_notes_tenancy.py"]
    else:
        assert tenancy_tests == []
    if answers["auth"] == "jwt":
        assert "test_auth.py" in {path.name for path in (project / "tests").iterdir()}
    assert " passed" in tests


def test_auth_none_leaves_nothing_auth_related(cookies: Cookies) -> None:
    project = bake(cookies, auth="none", multi_tenant="no")

    sources = [*project.glob("app/**/*.py"), *project.glob("tests/**/*.py")]
    sources += [*project.glob("toolkit/**/*.py"), *project.glob("toolkit/templates/*")]
    sources += [project / "pyproject.toml", project / ".env.example", project / "README.md"]
    found = {
        f"{path.relative_to(project)}: {word}"
        for path in sources
        for word in AUTH_WORDS
        if word.lower() in path.read_text().lower()
    }
    assert found == set()
    assert not (project / "app" / "auth").exists()
    assert "SECRET_KEY" not in (project / ".env").read_text()  # nothing here signs anything


def test_a_model_change_without_migration_is_caught(cookies: Cookies) -> None:
    """The lockstep promise, at its smallest: a column with no migration fails `alembic check`."""
    project = bake(cookies)
    model = project / "app" / "models" / "item.py"
    table = '    __tablename__ = "items"\n'
    model.write_text(model.read_text().replace(table, f"{table}    sku: str | None = None\n"))

    checked = python_in(project, "-m", "alembic", "check")

    assert checked.returncode != 0
    assert "sku" in checked.stdout + checked.stderr
