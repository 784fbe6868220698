"""`python -m toolkit add-resource` writes whole resources that keep the service in step."""

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path
from subprocess import PIPE

import pytest
from pytest_cookies.plugin import Cookies

from tests.conftest import (
    assert_lint_clean,
    assert_ok,
    bake,
    python_in,
    run_generated_suite,
    run_in,
)

ITEM_FIELDS = ["title:str:unique", "description:text?", "price:decimal", "is_active:bool"]
# Three related resources that use every field type and modifier between them.
RELATED_RESOURCES = [
    ["Customer", "name:str:unique", "email:str:index", "tier:int?", "joined_on:date"],
    [
        "Invoice", "number:str:unique", "amount:decimal", "paid:bool", "notes:text?",
        "due_on:date", "issued_at:datetime", "ratio:float?", "external_id:uuid:unique",
        "meta:json?", "customer:ref:Customer",
    ],
    ["InvoiceLine", "quantity:int", "invoice:ref:Invoice", "item:ref:Item?"],
]  # fmt: skip

RENDER_ITEM = """
import sys
from pathlib import Path
from toolkit.plan import plan_resource
from toolkit.render import render_files
from toolkit.spec import parse_resource
plan = plan_resource(parse_resource("Item", sys.argv[1:]))
for path, content in render_files(plan).items():
    shipped = Path(path).read_text()
    print(f"{path}: {'same' if shipped == content else 'DIFFERENT'}")
"""


def service_snapshot(project: Path) -> dict[str, str]:
    """Every file git would see (tracked, or new and not ignored), with its content hash."""
    listed = assert_ok(
        run_in(project, "git", "ls-files", "--cached", "--others", "--exclude-standard")
    )
    return {
        name: hashlib.sha256((project / name).read_bytes()).hexdigest()
        for name in listed.splitlines()
        if (project / name).exists()
    }


def assert_service_in_step(project: Path) -> None:
    assert_ok(python_in(project, "-m", "toolkit", "check"))
    assert_lint_clean(project)
    assert_ok(python_in(project, "-m", "mypy"))
    run_generated_suite(project)


def add_related_resources(project: Path, resources: list[list[str]] = RELATED_RESOURCES) -> None:
    for name, *fields in resources:
        added = assert_ok(python_in(project, "-m", "toolkit", "add-resource", name, *fields))
        assert f"Added resource {name}:" in added


def test_the_example_item_is_what_the_generator_writes(default_service: Path) -> None:
    """One source of truth: the hook wrote Item with the generator, and it writes the same
    files again, byte for byte (its tenancy tests included)."""
    report = assert_ok(python_in(default_service, "-c", RENDER_ITEM, *ITEM_FIELDS))

    lines = report.splitlines()
    assert len(lines) == 7, report
    assert all(line.endswith(": same") for line in lines), report


def test_three_related_resources_keep_the_service_in_step(cookies: Cookies) -> None:
    project = bake(cookies)

    add_related_resources(project)

    revisions = sorted(path.name for path in (project / "alembic" / "versions").glob("*.py"))
    assert [name.split("-", 1)[1].split("_", 1)[1] for name in revisions] == [
        "initial_schema.py",
        "add_customer.py",
        "add_invoice.py",
        "add_invoice_line.py",
    ]
    assert_service_in_step(project)
    current = assert_ok(python_in(project, "-m", "alembic", "current"))
    assert "(head)" in current


@pytest.mark.postgres
def test_related_resources_on_postgresql(cookies: Cookies, postgres_database_url: str) -> None:
    """Every field type on PostgreSQL (Customer and Invoice have them all). Without sign-in and
    without InvoiceLine: each test there clones a database, and the matrix already covers
    sign-in, tenancy and references on PostgreSQL."""
    project = bake(cookies, database="postgresql", auth="none", multi_tenant="no")

    add_related_resources(project, RELATED_RESOURCES[:2])

    assert_service_in_step(project)


REJECTED = {
    "lowercase-name": (["invoice", "number:str"], "must be singular PascalCase"),
    "keyword-module": (["Class", "x:int"], "which Python already uses"),
    "existing": (["Item", "title:str"], "Item already exists"),
    "reserved-module": (["Health", "status:str"], "Health already exists"),
    "unknown-type": (["Invoice", "number:strng"], "unknown type 'strng'"),
    "unknown-modifier": (["Invoice", "number:str:uniq"], "unknown modifier 'uniq'"),
    "missing-ref": (["Invoice", "customer:ref:Nobody"], "ref:Nobody names no resource"),
    "builtin-field": (["Invoice", "type:str"], "would shadow Python's built-in type()"),
    "reserved-field": (["Invoice", "id:int"], "'id' is reserved"),
    "tenant-field": (["Invoice", "tenant_id:uuid"], "'tenant_id' is reserved"),
    "duplicate-field": (["Invoice", "a:int", "a:str"], "'a' is given twice"),
    "unique-bool": (["Invoice", "paid:bool:unique"], "unique is supported on"),
    "repeated-modifier": (["Invoice", "count:int:unique:unique"], "'unique' twice"),
    "plural-name": (["Invoices", "number:str"], "is plural: name one of them, Invoice"),
    "own-plural": (["Sheep", "name:str"], "is its own plural"),
    "plural-like-name": (["Person", "name:str", "--plural", "Person"], "must be Person's plural"),
    "undo-unknown": (["--undo", "Nobody"], "Nobody is no resource"),
    "undo-referred-to": (["--undo", "Item"], "refers to Item: undo or change it first"),
}


@pytest.mark.parametrize(("arguments", "message"), REJECTED.values(), ids=REJECTED.keys())
def test_rejected_resource_changes_nothing(
    default_service: Path, arguments: list[str], message: str
) -> None:
    before = service_snapshot(default_service)

    result = python_in(default_service, "-m", "toolkit", "add-resource", *arguments)

    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert service_snapshot(default_service) == before


def test_a_failing_step_undoes_every_file(default_service: Path) -> None:
    """The dev database cannot be migrated: model, schemas, tests and migration all go again."""
    before = service_snapshot(default_service)
    unreachable = {"DATABASE_URL": "sqlite+aiosqlite:////nonexistent/dir/dev.db"}

    result = python_in(
        default_service, "-m", "toolkit", "add-resource", "Invoice", "number:str", env=unreachable
    )

    assert result.returncode == 1
    assert "applying the migration to the dev database failed, so nothing was changed" in (
        result.stderr
    )
    assert service_snapshot(default_service) == before


def test_dry_run_lists_the_files_and_writes_none(default_service: Path) -> None:
    before = service_snapshot(default_service)

    result = python_in(
        default_service, "-m", "toolkit", "add-resource", "Invoice", "number:str", "--dry-run"
    )

    assert_ok(result)
    assert "create app/models/invoice.py" in result.stdout
    assert "create tests/test_invoices.py" in result.stdout
    assert "create app/routers/invoices.py" in result.stdout
    assert service_snapshot(default_service) == before


@pytest.mark.parametrize(
    ("arguments", "router"),
    [
        (["Child"], "children"),
        (["Analysis"], "analyses"),
        (["InvoiceLine"], "invoice_lines"),
        (["Person", "--plural", "Persons"], "persons"),
    ],
    ids=["Child", "Analysis", "InvoiceLine", "--plural"],
)
def test_plurals_are_english(default_service: Path, arguments: list[str], router: str) -> None:
    result = python_in(
        default_service, "-m", "toolkit", "add-resource", *arguments, "name:str", "--dry-run"
    )

    assert f"create app/routers/{router}.py" in assert_ok(result)


def dev_database_query(project: Path, query: str) -> list[tuple[str, ...]]:
    [database] = project.glob("*.db")
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return connection.execute(query).fetchall()


def dev_database_state(project: Path) -> list[tuple[str, ...]]:
    """Every table, index and revision stamp of the service's SQLite dev database."""
    schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    return dev_database_query(project, schema) + dev_database_revision(project)


def dev_database_revision(project: Path) -> list[tuple[str, ...]]:
    return dev_database_query(project, "SELECT version_num FROM alembic_version")


def test_a_migration_failing_part_way_leaves_the_dev_database_as_it_was(
    default_service: Path,
) -> None:
    """SQLite commits each CREATE at once: the half-made table must go again."""
    [database] = default_service.glob("*.db")
    with closing(sqlite3.connect(database)) as connection:
        connection.execute("CREATE INDEX ix_invoices_number ON items (title)")  # taken name
        connection.commit()
    try:
        before = service_snapshot(default_service)
        database_before = dev_database_state(default_service)

        result = python_in(
            default_service, "-m", "toolkit", "add-resource", "Invoice", "number:str:index"
        )

        assert result.returncode == 1
        assert "applying the migration to the dev database failed" in result.stderr
        assert service_snapshot(default_service) == before
        assert dev_database_state(default_service) == database_before
    finally:
        with closing(sqlite3.connect(database)) as connection:
            connection.execute("DROP INDEX ix_invoices_number")
            connection.commit()


# Appended to the service's alembic/env.py: the migration is applied, and its step still runs.
SLOW_UPGRADE = """
import sys as _sys, time as _time
if "upgrade" in _sys.argv:
    _time.sleep(120)
"""


def test_sigterm_after_the_migration_is_applied_undoes_everything(cookies: Cookies) -> None:
    """A CI job cancelled part-way stops add-resource with SIGTERM: files, migration and the
    dev database all go back as they were, as on Ctrl-C."""
    project = bake(cookies)
    with (project / "alembic" / "env.py").open("a") as env:
        env.write(SLOW_UPGRADE)
    before, database_before = service_snapshot(project), dev_database_state(project)
    revision_before = dev_database_revision(project)
    command = [sys.executable, "-m", "toolkit", "add-resource", "Invoice", "number:str"]
    process = subprocess.Popen(command, cwd=project, stdout=PIPE, stderr=PIPE, text=True)

    deadline = time.monotonic() + 60
    while dev_database_revision(project) == revision_before:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.1)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == 1, stderr
    assert "stopped before it finished, so nothing was changed" in stderr
    assert service_snapshot(project) == before
    assert dev_database_state(project) == database_before


def add_or_undo(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return python_in(project, "-m", "toolkit", "add-resource", *arguments)


def test_undo_removes_the_resource_and_its_migration(cookies: Cookies) -> None:
    project = bake(cookies)
    database_before = dev_database_state(project)
    assert_ok(add_or_undo(project, "Customer", "name:str:unique", "joined_on:date"))
    assert_ok(add_or_undo(project, "Tag", "label:str"))

    refused = add_or_undo(project, "--undo", "Customer")
    assert refused.returncode == 1
    assert "later migrations came after it" in refused.stderr

    assert "Removed resource Tag:" in assert_ok(add_or_undo(project, "--undo", "Tag"))
    assert "Removed resource Customer:" in assert_ok(add_or_undo(project, "--undo", "Customer"))
    assert assert_ok(run_in(project, "git", "status", "--porcelain")) == ""
    assert dev_database_state(project) == database_before
    assert_ok(python_in(project, "-m", "toolkit", "check"))
