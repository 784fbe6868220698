"""graphql=yes: Strawberry at /api/graphql/ over the example and every generated resource,
written by the same generator, kept in step with the models by `check`."""

from pathlib import Path

import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import assert_lint_clean, assert_ok, bake, python_in, run_generated_suite
from tests.test_generator import ITEM_FIELDS, RENDER_ITEM

GRAPHQL_FILES = ["app/graphql/resources/items.py", "tests/test_items_graphql.py"]
# A resource whose rows refer to the example: its GraphQL list reads them through a DataLoader.
NOTE = ["Note", "body:text", "item:ref:Item?"]


@pytest.fixture(scope="module")
def graphql_service(cookies_session: Cookies) -> Path:
    return bake(cookies_session, graphql="yes")


def test_the_example_items_graphql_files_are_what_the_generator_writes(
    graphql_service: Path,
) -> None:
    report = assert_ok(python_in(graphql_service, "-c", RENDER_ITEM, *ITEM_FIELDS))

    lines = report.splitlines()
    assert [f"{path}: same" for path in GRAPHQL_FILES] == [
        line for line in lines if line.split(":")[0] in GRAPHQL_FILES
    ]
    assert all(line.endswith(": same") for line in lines), report


def test_a_generated_resource_joins_the_schema_and_its_references_are_batched(
    cookies: Cookies,
) -> None:
    """add-resource writes the GraphQL module and its tests, which count the statements of a
    page whose rows have a reference."""
    project = bake(cookies, graphql="yes")

    added = assert_ok(python_in(project, "-m", "toolkit", "add-resource", *NOTE))

    assert "created app/graphql/resources/notes.py" in added
    assert "created tests/test_notes_graphql.py" in added
    statements_test = (project / "tests" / "test_notes_graphql.py").read_text()
    assert "assert len(statements) == SIGN_IN + 1 + 1" in statements_test
    assert_lint_clean(project)
    assert_ok(python_in(project, "-m", "mypy"))
    assert_ok(python_in(project, "-m", "toolkit", "check"))
    run_generated_suite(project)
    counted = python_in(
        project, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "tests/test_notes_graphql.py::test_a_page_reads_its_references_in_one_statement_each",
    )  # fmt: skip
    assert "1 passed" in assert_ok(counted)

    undone = assert_ok(python_in(project, "-m", "toolkit", "add-resource", "--undo", "Note"))
    assert "app/graphql/resources/notes.py" in undone
    assert not (project / "app" / "graphql" / "resources" / "notes.py").exists()


def test_check_fails_when_a_graphql_type_drifts_from_its_model(cookies: Cookies) -> None:
    project = bake(cookies, graphql="yes")
    module = project / "app" / "graphql" / "resources" / "items.py"
    module.write_text(module.read_text().replace("    price: Decimal\n", "", 1))

    checked = python_in(project, "-m", "toolkit", "check")

    assert checked.returncode == 1
    assert checked.stdout.strip() == (
        "ItemType has no field for column `items.price`, so GraphQL cannot show it — add "
        "`price: ...` to ItemType in app/graphql/resources/items.py (and to its from_row)"
    )
