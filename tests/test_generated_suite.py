"""A covering set of option combinations passes its own checks: lint, `toolkit
check`, mypy, its test suite (PostgreSQL against the real server, Redis revocation against the
real Redis; its test_migrations.py walks every revision down and up again), with a generated
resource that refers to the example."""

import itertools
import json
from pathlib import Path

import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import (
    TEMPLATE,
    assert_lint_clean,
    assert_ok,
    bake,
    python_in,
    run_generated_suite,
)

# A covering set: every value of every option, and every pair of values of two options, is
# rendered at least once (test_matrix_covers_every_pair_of_option_values holds it to that).
OPTIONS = (
    "database", "auth", "multi_tenant",
    "background_tasks", "websockets", "graphql", "docker", "ci",
)  # fmt: skip
COVERING_SET = [
    ("sqlite", "jwt", "yes", "none", "no", "no", "yes", "github"),
    ("sqlite", "jwt", "no", "celery", "yes", "yes", "no", "github"),
    ("sqlite", "none", "no", "celery", "no", "yes", "yes", "none"),
    ("sqlite", "oauth2_proxy", "no", "none", "yes", "yes", "yes", "github"),
    ("postgresql", "jwt", "yes", "none", "yes", "yes", "yes", "none"),
    ("postgresql", "none", "no", "none", "yes", "no", "no", "github"),
    ("postgresql", "oauth2_proxy", "yes", "celery", "no", "no", "no", "none"),
]
# A resource that refers to the example, so the generator's scoping is exercised in every mode.
NOTE = ["Note", "body:text", "item:ref:Item?"]


def combination_id(answers: dict[str, str]) -> str:
    on = [option for option in OPTIONS[3:] if answers[option] not in ("no", "none")]
    return "-".join(
        [answers["auth"], f"tenants_{answers['multi_tenant']}", answers["database"], *on]
    )


COMBINATIONS = [
    pytest.param(
        answers,
        id=combination_id(answers),
        marks=[pytest.mark.postgres] if answers["database"] == "postgresql" else [],
    )
    for answers in (dict(zip(OPTIONS, values, strict=True)) for values in COVERING_SET)
]

# What a service without sign-in must not mention anywhere in its code or tests.
AUTH_WORDS = [
    "app.auth", "CurrentUser", "jwt", "argon2", "bearer", "access_token", "login", "class User",
    "tenant", "redis", "X-Forwarded-Email",
]  # fmt: skip
# Nor may a service rendered with every other option off mention those.
OPTION_WORDS = ["celery", "websocket", "graphql", "strawberry", "docker", "compose", "github"]


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
    graphql_tests = sorted(path.name for path in (project / "tests").glob("test_*_graphql.py"))
    expected_graphql = ["test_items_graphql.py", "test_notes_graphql.py"]
    assert graphql_tests == (expected_graphql if answers["graphql"] == "yes" else [])
    assert " passed" in tests


def test_everything_off_leaves_no_trace_of_any_option(cookies: Cookies) -> None:
    project = bake(cookies, auth="none", multi_tenant="no", docker="no", ci="none")

    sources = [*project.glob("app/**/*.py"), *project.glob("tests/**/*.py")]
    sources += [*project.glob("toolkit/**/*.py"), *project.glob("toolkit/templates/*")]
    sources += [project / name for name in ("pyproject.toml", ".env.example", "README.md")]
    sources += [project / name for name in ("Makefile", "requirements.txt", ".gitignore")]
    found = {
        f"{path.relative_to(project)}: {word}"
        for path in sources
        for word in AUTH_WORDS + OPTION_WORDS
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


def test_matrix_covers_every_pair_of_option_values() -> None:
    choices = json.loads((TEMPLATE / "cookiecutter.json").read_text())
    listed = {name for name, value in choices.items() if isinstance(value, list)}
    # `environment` is how the hook installs, not what the service is: test_environment_auto.py.
    assert set(OPTIONS) == listed - {"environment", "_copy_without_render"}
    rendered = [dict(zip(OPTIONS, values, strict=True)) for values in COVERING_SET]

    for first, second in itertools.combinations(OPTIONS, 2):
        for pair in itertools.product(choices[first], choices[second]):
            if {first: pair[0], second: pair[1]} == {"auth": "none", "multi_tenant": "yes"}:
                continue  # refused by the pre-gen hook
            assert any((answers[first], answers[second]) == pair for answers in rendered), (
                f"no combination renders {first}={pair[0]} with {second}={pair[1]}"
            )
