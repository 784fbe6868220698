"""requirements-test.txt must install everything a rendered service declares, or bakes break."""

import re
import tomllib
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from tests.conftest import TEMPLATE


def requirement_names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=~; ]", line.strip(), maxsplit=1)[0].lower() for line in requirements}


@pytest.mark.parametrize(
    "answers",
    [
        {"database": "sqlite", "auth": "jwt", "graphql": "yes"},
        {"database": "postgresql", "auth": "oauth2_proxy", "background_tasks": "celery"},
        {"database": "sqlite", "auth": "none", "multi_tenant": "no"},
        {"database": "sqlite", "auth": "none", "multi_tenant": "no", "websockets": "yes"},
    ],
    ids=lambda answers: "-".join(answers.values()),
)
def test_requirements_cover_every_dependency_of_the_service(
    tmp_path: Path, answers: dict[str, str]
) -> None:
    project = cookiecutter(
        str(TEMPLATE),
        no_input=True,
        extra_context=answers,
        output_dir=str(tmp_path),
        accept_hooks=False,
    )
    pyproject = tomllib.loads((Path(project) / "pyproject.toml").read_text())
    declared = requirement_names(
        pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    )
    lines = (TEMPLATE / "requirements-test.txt").read_text().splitlines()
    ours = requirement_names([line for line in lines if line.strip() and not line.startswith("#")])

    assert declared <= ours, f"missing from requirements-test.txt: {sorted(declared - ours)}"
