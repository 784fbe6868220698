"""`make template-update` merges what the template changed since the render into the service:
the team's edits stay, a line both sides changed is a git conflict, and the migrations, the
models and the dev database are never touched."""

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from tests.conftest import TEMPLATE, answers_of, assert_ok, run_in

SERVICE = "{{cookiecutter.project_slug}}"
IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]


def commit_all(repository: Path, message: str) -> None:
    assert_ok(run_in(repository, "git", "add", "--all"))
    assert_ok(run_in(repository, "git", *IDENTITY, "commit", "--quiet", "-m", message))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def template_copy(tmp_path: Path) -> Path:
    """The template as a git repository of its own, which the test then changes."""
    copy = tmp_path / "template"
    ignored = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".ruff_cache", ".mypy_cache")
    shutil.copytree(TEMPLATE, copy, ignore=ignored)
    assert_ok(run_in(copy, "git", "init", "--quiet"))
    commit_all(copy, "the template as rendered")
    return copy


def render(template: Path, into: Path, **answers: str) -> Path:
    project = cookiecutter(
        str(template),
        no_input=True,
        output_dir=str(into),
        extra_context={"environment": "current", **answers},
    )
    return Path(project)


def template_update(project: Path, template: Path) -> subprocess.CompletedProcess[str]:
    return run_in(
        project, "make", "template-update", f"PYTHON={sys.executable}", f"TEMPLATE={template}"
    )


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_template_changes_land_and_the_services_edits_stay(
    template_copy: Path, tmp_path: Path, request: pytest.FixtureRequest, database: str
) -> None:
    if database == "postgresql":
        request.getfixturevalue("postgres_database_url")
    project = render(template_copy, tmp_path / "services", database=database)
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\nOur team's own note.\n")
    commit_all(project, "a note of our own")
    migrations = sorted(path.read_text() for path in (project / "alembic/versions").glob("*.py"))
    service = template_copy / SERVICE
    edit(service / "README.md", "## Everyday commands\n", "## Everyday commands\n\nNew line.\n")
    (service / "CONTRIBUTING.md").write_text("Open a pull request.\n")
    edit(service / "Makefile", "## Strict type check", "## Strict type check, every file")
    commit_all(template_copy, "a newer template")

    output = assert_ok(template_update(project, template_copy))

    assert "Merged the template's changes" in output
    assert "New line." in readme.read_text()
    assert "Our team's own note." in readme.read_text()
    assert (project / "CONTRIBUTING.md").read_text() == "Open a pull request.\n"
    assert "## Strict type check, every file" in (project / "Makefile").read_text()
    new_commit = assert_ok(run_in(template_copy, "git", "rev-parse", "HEAD")).strip()
    assert answers_of(project)["_commit"] == new_commit
    assert migrations == sorted(
        path.read_text() for path in (project / "alembic/versions").glob("*.py")
    )
    commit_all(project, "the newer template")
    assert "Already at" in assert_ok(template_update(project, template_copy))


def test_a_line_both_sides_changed_is_a_git_conflict(template_copy: Path, tmp_path: Path) -> None:
    project = render(template_copy, tmp_path / "services")
    edit(project / "Makefile", "## Strict type check", "## Our own words")
    commit_all(project, "our Makefile")
    edit(template_copy / SERVICE / "Makefile", "## Strict type check", "## The template's words")
    commit_all(template_copy, "the template's Makefile")

    result = template_update(project, template_copy)

    assert result.returncode != 0
    assert "Resolve the conflicts in: Makefile" in result.stdout
    conflicted = assert_ok(run_in(project, "git", "diff", "--name-only", "--diff-filter=U"))
    assert conflicted.split() == ["Makefile"]
    makefile = (project / "Makefile").read_text()
    assert "<<<<<<<" in makefile
    assert "## Our own words" in makefile
    assert "## The template's words" in makefile


def test_an_update_refuses_a_working_tree_with_changes(template_copy: Path, tmp_path: Path) -> None:
    project = render(template_copy, tmp_path / "services")
    (project / "README.md").write_text("unsaved work\n")

    result = template_update(project, template_copy)

    assert result.returncode != 0
    assert "commit or stash them first" in result.stderr
    assert (project / "README.md").read_text() == "unsaved work\n"


def test_a_service_rendered_from_a_relative_path_finds_its_template_again(
    template_copy: Path, tmp_path: Path
) -> None:
    """`cookiecutter template` from a shell: the service records the template's absolute path
    and commit, so `make template-update` needs no TEMPLATE= later."""
    services = tmp_path / "services"
    cookiecutter_command = Path(sys.executable).parent / "cookiecutter"
    render_here = (
        f"cd {shlex.quote(str(template_copy.parent))} && {shlex.quote(str(cookiecutter_command))}"
        f" {template_copy.name} --no-input -o {shlex.quote(str(services))} environment=current"
    )
    assert_ok(run_in(tmp_path, "bash", "-c", render_here))
    project = services / "my-service"
    first_commit = assert_ok(run_in(template_copy, "git", "rev-parse", "HEAD")).strip()
    assert answers_of(project)["_template"] == str(template_copy.resolve())
    assert answers_of(project)["_commit"] == first_commit
    (template_copy / SERVICE / "CONTRIBUTING.md").write_text("Open a pull request.\n")
    commit_all(template_copy, "a newer template")

    output = assert_ok(run_in(project, "make", "template-update", f"PYTHON={sys.executable}"))

    assert "Merged the template's changes" in output
    assert (project / "CONTRIBUTING.md").read_text() == "Open a pull request.\n"
