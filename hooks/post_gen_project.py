"""Finish the service: prune, configure, install, write the first migration, apply it, commit.

Each step prints one line with its time. A failed step names itself and the command to run by
hand, and exits non-zero: cookiecutter then removes the directory (keep it for a look with
`--keep-project-on-failure`). Nothing prints success after a failed step.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ANSWERS: dict[str, object] = json.loads(r"""{{ cookiecutter | jsonify }}""")

PROJECT = Path.cwd()
ENV_SCRIPTS = "Scripts" if os.name == "nt" else "bin"
FIRST_REVISION_MESSAGE = "initial schema"

# option → value → paths that value does not want. Consulted once, by `prune_unchosen_options`.
PRUNED_FOR: dict[str, dict[str, list[str]]] = {}

# Answers that describe the machine that rendered, not the service; left out of the record.
UNRECORDED_ANSWERS = {"_output_dir", "_repo_dir", "_checkout"}


class StepError(Exception):
    """A step could not finish; the message says what failed and what to run by hand."""


def run(command: list[str], *, env: dict[str, str] | None = None) -> str:
    """Run a command in the service directory; on failure, raise with the tail of its output."""
    result = subprocess.run(
        command,
        cwd=PROJECT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        tail = "\n".join(f"    {line}" for line in output[-15:])
        shown = " ".join("<script>" if "\n" in part else part for part in command)
        raise StepError(f"`{shown}` exited with {result.returncode}:\n{tail}")
    return result.stdout


def prune_unchosen_options() -> None:
    """Files for options the user did not choose would only mislead the people who read them."""
    for option, paths_by_value in PRUNED_FOR.items():
        for path in paths_by_value.get(str(ANSWERS[option]), []):
            target = PROJECT / path
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)


def write_env_file() -> None:
    """The service must not start with the placeholder secret that .env.example shows everyone."""
    example = (PROJECT / ".env.example").read_text()
    secret = secrets.token_urlsafe(48)
    (PROJECT / ".env").write_text(example.replace("SECRET_KEY=changethis", f"SECRET_KEY={secret}"))


def service_python() -> Path:
    """The interpreter of the environment made (or chosen) for the service."""
    if ANSWERS["environment"] == "current":
        return Path(sys.executable)
    return PROJECT / ".venv" / ENV_SCRIPTS / "python"


def declared_requirements() -> list[str]:
    """The service's runtime and dev dependencies, read from its pyproject.toml."""
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text())
    return [*pyproject["project"]["dependencies"], *pyproject["dependency-groups"]["dev"]]


def prepare_environment() -> None:
    """Alembic must import the service's models, so it runs where the service's packages are."""
    if ANSWERS["environment"] == "current":
        modules = "alembic, fastapi, sqlmodel, pydantic_settings, ruff"
        try:
            run([sys.executable, "-c", f"import {modules}"])
        except StepError as error:
            raise StepError(
                f"environment=current, but {sys.executable} cannot import the service's "
                f"packages ({modules}); install them there or render with environment=auto.\n"
                f"{error}"
            ) from error
    elif shutil.which("uv"):
        # An installed interpreter only: rendering must never download a Python.
        run(["uv", "sync", "--no-python-downloads"], env={"UV_PYTHON_DOWNLOADS": "never"})
    else:
        run([sys.executable, "-m", "venv", ".venv"])
        run([str(service_python()), "-m", "pip", "install", "--quiet", *declared_requirements()])


def database_kind() -> str:
    return str(ANSWERS["database"])


def write_first_revision() -> None:
    """Autogenerate, never hand-write, the first revision: it is the models' schema, exactly."""
    command = [
        str(service_python()), "-m", "alembic",
        "revision", "--autogenerate", "-m", FIRST_REVISION_MESSAGE,
    ]  # fmt: skip
    with scratch_database() as scratch_url:
        run(command, env={"DATABASE_URL": scratch_url})
    revisions = list((PROJECT / "alembic" / "versions").glob("*.py"))
    if len(revisions) != 1:
        raise StepError(f"expected one first revision, found {len(revisions)}")


@contextmanager
def scratch_database() -> Iterator[str]:
    """An empty database of the service's kind, to autogenerate against and then throw away."""
    if database_kind() == "sqlite":
        with tempfile.TemporaryDirectory(prefix="lockstep-") as directory:
            yield f"sqlite+aiosqlite:///{directory}/scratch.db"
        return
    name = f"{ANSWERS['__package_name']}_lockstep_scratch_{secrets.token_hex(4)}"
    postgres("create", name)
    try:
        yield postgres("url", name)
    finally:
        postgres("drop", name)


# Runs in the service's environment (which has the driver), against the server in its .env.
POSTGRES_ADMIN = """
import asyncio, sys
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from app.core.config import Settings

server = make_url(Settings().database_url)
action, name = sys.argv[1], sys.argv[2] or server.database

async def execute(statement, **params):
    engine = create_async_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            result = await connection.execute(text(statement), params)
            return result.first() if result.returns_rows else None
    finally:
        await engine.dispose()

async def create():
    if not await execute("SELECT 1 FROM pg_database WHERE datname = :name", name=name):
        await execute(f'CREATE DATABASE "{name}"')

if action == "url":
    print(server.set(database=name).render_as_string(hide_password=False))
elif action == "create":
    asyncio.run(create())
elif action == "drop":
    asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
"""


def postgres(action: str, database: str = "") -> str:
    """`url`, `create` (if missing) or `drop` a database on the PostgreSQL server in .env."""
    return run([str(service_python()), "-c", POSTGRES_ADMIN, action, database]).strip()


def create_dev_database() -> None:
    """PostgreSQL needs the dev database to exist before it is migrated; SQLite makes its file."""
    if database_kind() == "postgresql":
        postgres("create")


def apply_migrations() -> None:
    """Bring the dev database to head so `make run` works at once."""
    run([str(service_python()), "-m", "alembic", "upgrade", "head"])


def record_answers() -> None:
    """`.cookiecutter.json` lets the service be rendered again (`--replay-file`) and updated."""
    answers = {key: value for key, value in ANSWERS.items() if key not in UNRECORDED_ANSWERS}
    text = json.dumps({"cookiecutter": answers}, indent=2, sort_keys=True)
    (PROJECT / ".cookiecutter.json").write_text(text + "\n")


def commit_to_git() -> None:
    """A first commit gives the team a clean baseline to diff the first real change against."""
    if shutil.which("git") is None:
        return
    identity = []
    if not subprocess.run(["git", "config", "user.email"], capture_output=True).stdout.strip():
        identity = ["-c", f"user.name={ANSWERS['author_name']}"]
        identity += ["-c", f"user.email={ANSWERS['author_email']}"]
    run(["git", "init", "--quiet"])
    run(["git", "add", "--all"])
    run(["git", *identity, "commit", "--quiet", "-m", "Initial service, rendered by lockstep"])


STEPS: list[tuple[str, Callable[[], None], str]] = [
    ("prune unchosen options", prune_unchosen_options, "(nothing to run by hand)"),
    ("write .env with a fresh secret", write_env_file, "cp .env.example .env"),
    ("prepare the environment", prepare_environment, "uv sync  (or: make a .venv, pip install)"),
    ("autogenerate the first revision", write_first_revision, 'make migration m="initial schema"'),
    ("create the dev database", create_dev_database, "createdb <name in DATABASE_URL>"),
    ("apply migrations to the dev database", apply_migrations, "make migrate"),
    ("record the answers", record_answers, "(nothing to run by hand)"),
    ("commit to git", commit_to_git, "git init && git add --all && git commit"),
]  # fmt: skip


def main() -> None:
    for number, (title, step, by_hand) in enumerate(STEPS, start=1):
        progress = f"[{number}/{len(STEPS)}]"
        started = time.perf_counter()
        try:
            step()
        except (StepError, OSError) as error:
            elapsed = time.perf_counter() - started
            print(f"lockstep: {progress} {title}: FAILED after {elapsed:.1f}s", file=sys.stderr)
            print(f"  {error}", file=sys.stderr)
            print(
                "  Fix the cause and render again; or render with --keep-project-on-failure "
                f"and finish by hand in {PROJECT.name}/: {by_hand}",
                file=sys.stderr,
            )
            sys.exit(1)
        print(f"lockstep: {progress} {title} ({time.perf_counter() - started:.1f}s)")
    print(f"lockstep: {PROJECT.name} is ready: cd {PROJECT.name} && make run")


if __name__ == "__main__":
    main()
