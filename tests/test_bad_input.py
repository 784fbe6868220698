"""Bad answers stop the render with one clear sentence, and leave no directory behind."""

import json
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.main import cookiecutter
from pytest_cookies.plugin import Cookies

from tests.conftest import TEMPLATE, bake

# test id: (answers, the sentence the render must stop with)
BAD_ANSWERS = {
    "slug-with-space": ({"project_slug": "My Service"}, "project_slug 'My Service' is not valid"),
    "slug-starts-with-digit": ({"project_slug": "9lives"}, "project_slug '9lives' is not valid"),
    "slug-double-hyphen": ({"project_slug": "bad--slug"}, "project_slug 'bad--slug' is not valid"),
    "slug-too-long": (
        {"project_slug": "a" * 40},
        "project_slug is 40 characters long; at most 39, because it also names the service's "
        "PostgreSQL databases",
    ),
    "name-too-long": ({"project_name": "word " * 60}, "project_name is 300 characters long; at"),
    "keyword": ({"project_slug": "class"}, "the name 'class' is a Python keyword"),
    "stdlib-json": ({"project_slug": "json"}, "the name 'json' would shadow the module"),
    "stdlib-test": ({"project_slug": "test"}, "the name 'test' would shadow the module"),
    "dependency-fastapi": ({"project_slug": "fastapi"}, "the name 'fastapi' would shadow"),
    "dependency-alembic": ({"project_slug": "alembic"}, "the name 'alembic' would shadow"),
    "own-package-app": ({"project_slug": "app"}, "the name 'app' would shadow the module"),
    "email-without-at": ({"author_email": "nobody"}, "author_email 'nobody' is not an email"),
    "email-without-domain": ({"author_email": "a@b"}, "author_email 'a@b' is not an email"),
    "email-with-quote": ({"author_email": 'a"b@x.io'}, "author_email 'a\"b@x.io' is not"),
    "python-3.10": ({"python_version": "3.10"}, "python_version '3.10' is not supported"),
    "python-4": ({"python_version": "4"}, "python_version '4' is not supported"),
    "quote-in-text": ({"description": 'Says "hi"'}, "description must not contain double quotes"),
    "blank-author": ({"author_name": "  "}, "author_name must not be empty"),
    "tenants-without-sign-in": (
        {"auth": "none", "multi_tenant": "yes"},
        "multi_tenant=yes needs auth=jwt or auth=oauth2_proxy, because a request's tenant comes "
        "from its signed-in user and auth=none has no users",
    ),
}


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS.values(), ids=BAD_ANSWERS.keys())
def test_bad_answer_stops_the_render(
    cookies: Cookies,
    capfd: pytest.CaptureFixture[str],
    answers: dict[str, str],
    message: str,
) -> None:
    result = cookies.bake(extra_context={"environment": "current", **answers})

    assert result.exit_code != 0
    assert result.project_path is None
    error = capfd.readouterr().err
    assert f"lockstep: {message}" in error
    lockstep_lines = [line for line in error.splitlines() if line.startswith("lockstep:")]
    assert len(lockstep_lines) == 1, lockstep_lines


def render_refused(output: Path, **answers: str) -> None:
    """Render into `output` with these answers, expecting a hook to stop the render."""
    with pytest.raises(FailedHookException):
        cookiecutter(
            str(TEMPLATE),
            no_input=True,
            extra_context={"environment": "current", **answers},
            output_dir=str(output),
        )


def test_a_long_name_gives_a_slug_short_enough_for_postgresql(cookies: Cookies) -> None:
    name = "Accounts receivable reconciliation and reporting service"

    project = bake(cookies, project_name=name)

    assert project.name == "accounts-receivable-reconciliation-and"
    assert json.loads((project / ".cookiecutter.json").read_text())["cookiecutter"][
        "project_name"
    ] == name


def test_rejected_render_leaves_no_directory(tmp_path: Path) -> None:
    render_refused(tmp_path, project_slug="json")

    assert list(tmp_path.iterdir()) == []


def test_unknown_choice_is_refused_before_anything_is_written(cookies: Cookies) -> None:
    result = cookies.bake(extra_context={"database": "mysql"})

    assert result.exit_code != 0
    assert "database" in str(result.exception)


def test_unreachable_postgresql_names_the_step_and_leaves_no_directory(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/nowhere")

    render_refused(tmp_path, database="postgresql")

    error = capfd.readouterr().err
    assert "autogenerate the first revision: FAILED" in error
    assert "cannot make a scratch database on PostgreSQL at 127.0.0.1:9" in error
    assert 'finish by hand in my-service/: make migration m="initial schema"' in error
    assert list(tmp_path.iterdir()) == []


@pytest.mark.postgres
def test_a_second_render_never_migrates_the_first_ones_database(
    cookies: Cookies, postgres_database_url: str, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Rendering the same slug again meets the first service's dev database: the render stops,
    naming it and the ways out, and the first service's database is left as it was."""
    bake(cookies, database="postgresql")
    capfd.readouterr()

    second = tmp_path / "second"
    second.mkdir()
    render_refused(second, database="postgresql")

    error = capfd.readouterr().err
    name = postgres_database_url.rsplit("/", 1)[1]
    assert f"the database {name} already holds migrations" in error
    assert f"drop it (dropdb {name}), or render with DATABASE_URL naming another" in error
    assert list(second.iterdir()) == []
