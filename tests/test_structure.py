"""The shape of the template and of what it renders: the deployable package holds the service
alone, and option values are files, not conditionals woven through them."""

import ast
import re
from pathlib import Path

from tests.conftest import TEMPLATE

SERVICE_TEMPLATE = TEMPLATE / "{{cookiecutter.project_slug}}"
JINJA_TAG = re.compile(r"\{%")
MAX_TAGS_IN_ALL = 120
MAX_TAGS_IN_ONE = 12
# What only the development toolkit may import: code generation and autogenerate.
DEVELOPMENT_ONLY = ("jinja2", "alembic.autogenerate", "toolkit", "tests")


def imported_modules(source: str) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def test_the_deployable_package_imports_no_development_tool(default_service: Path) -> None:
    offending = {
        f"{path.relative_to(default_service)}: {module}"
        for path in (default_service / "app").rglob("*.py")
        for module in imported_modules(path.read_text())
        if module.startswith(DEVELOPMENT_ONLY)
    }

    assert offending == set()
    assert (default_service / "toolkit" / "templates").is_dir()
    assert not (default_service / "app" / "cli" / "templates").exists()


def tags_per_template_file() -> dict[str, int]:
    return {
        str(path.relative_to(SERVICE_TEMPLATE)): len(JINJA_TAG.findall(path.read_text()))
        for path in SERVICE_TEMPLATE.rglob("*.py")
    }


def test_option_values_are_files_not_conditionals() -> None:
    """Jinja statements in the service's Python files stay few: a variant is a file the hook
    keeps or removes, not a block inside a shared file."""
    tags = tags_per_template_file()

    crowded = {path: count for path, count in tags.items() if count > MAX_TAGS_IN_ONE}
    assert crowded == {}
    assert sum(tags.values()) <= MAX_TAGS_IN_ALL
