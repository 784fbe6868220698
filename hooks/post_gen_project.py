"""Finish the service: prune, configure, install, add the example resource, write the first
migration, apply it, commit.

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
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ANSWERS: dict[str, object] = json.loads(r"""{{ cookiecutter | jsonify }}""")

PROJECT = Path.cwd()
ENV_SCRIPTS = "Scripts" if os.name == "nt" else "bin"
FIRST_REVISION_MESSAGE = "initial schema"
# Made by the service's own generator, so the example is exactly what `add-resource` writes.
EXAMPLE_RESOURCE = "Item title:str:unique description:text? price:decimal is_active:bool"
ADD_EXAMPLE = f"python -m toolkit add-resource {EXAMPLE_RESOURCE} --no-migration"

SIGNED_IN_FILES = [
    "app/auth",
    "app/cli",
    "app/models/user.py",
    "app/repositories/user.py",
    "app/routers/users.py",
    "app/schemas/user.py",
    "tests/test_users.py",
    "tests/users.py",
]
PASSWORD_FILES = [
    "app/auth/jwt.py",
    "app/auth/passwords.py",
    "app/auth/revocation.py",
    "app/auth/routes.py",
    "app/auth/throttle.py",
    "app/auth/tokens.py",
    "app/cli/jwt.py",
    "app/models/revoked_token.py",
    "app/routers/user_admin.py",
    "app/schemas/auth.py",
    "app/schemas/user_admin.py",
    "tests/sign_in_jwt.py",
    "tests/test_auth.py",
    "tests/test_user_admin.py",
]
PROXY_FILES = [
    "app/auth/oauth2_proxy.py",
    "app/cli/oauth2_proxy.py",
    "tests/sign_in_oauth2_proxy.py",
    "tests/test_proxy_users.py",
]
TENANT_FILES = [
    "app/models/tenant.py",
    "app/repositories/tenants.py",
    "app/tenancy.py",
    "tests/test_tenancy_check.py",
    "tests/test_tenant_guard.py",
    "toolkit/checks/tenancy.py",
    "toolkit/templates/test_tenancy.py.jinja",
]

# option → value → paths that value does not want. Consulted once, by `prune_unchosen_options`.
PRUNED_FOR: dict[str, dict[str, list[str]]] = {
    "auth": {
        "jwt": PROXY_FILES,
        "oauth2_proxy": PASSWORD_FILES,
        "none": SIGNED_IN_FILES + PASSWORD_FILES + PROXY_FILES,
    },
    "multi_tenant": {"no": TENANT_FILES},
    "__redis": {"no": ["app/core/redis.py"]},
    "docker": {"no": ["Dockerfile", ".dockerignore", "compose.yaml"]},
    "ci": {"none": [".github"]},
}

DATABASE_TAKEN = 3
DATABASE_IN_USE = f"""
import sys
from sqlalchemy import make_url
from app.core.config import get_settings
from toolkit.checks.dev_database import database_exists, reachable_revisions
url = get_settings().database_url
if database_exists(url) and reachable_revisions(url):
    name = make_url(url).database
    print("the database " + name + " already holds migrations (an earlier render's, or another "
          "service's): drop it (dropdb " + name + "), or render with DATABASE_URL naming another "
          "database")
    sys.exit({DATABASE_TAKEN})
"""

PIP_REQUIREMENTS_HEADER = (
    "# The service's packages, for `make install` without uv. With uv, pin them instead:\n"
    "#   uv lock && uv export --all-groups --no-hashes --output-file requirements.txt"
)

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


def write_pip_requirements() -> None:
    """A teammate without uv installs with pip (`make install`): pinned from uv.lock when uv
    made one, else the lower bounds pyproject.toml declares."""
    if (PROJECT / "uv.lock").exists() and shutil.which("uv"):
        export = ["uv", "export", "--frozen", "--all-groups", "--no-hashes", "--no-header"]
        run([*export, "--format", "requirements-txt", "--output-file", "requirements.txt"])
        return
    lines = [PIP_REQUIREMENTS_HEADER, *declared_requirements()]
    (PROJECT / "requirements.txt").write_text("\n".join(lines) + "\n")


def refuse_a_database_in_use() -> None:
    """The hook migrates only a database of its own: one that already holds migrations (an
    earlier render's, another service's) stops the render before anything touches it."""
    result = subprocess.run(
        [str(service_python()), "-c", DATABASE_IN_USE],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    if result.returncode == DATABASE_TAKEN:
        raise StepError(result.stdout.strip())
    if result.returncode != 0:
        raise StepError(f"cannot look at the dev database:\n{result.stderr.strip()}")


def add_example_resource() -> None:
    """Items show every layer of a resource, tests included; the migration comes next."""
    run([str(service_python()), *ADD_EXAMPLE.split()[1:]])


def write_first_revision() -> None:
    """Autogenerate, never hand-write, the first revision: it is the models' schema, exactly."""
    run([str(service_python()), "-m", "toolkit", "migration", FIRST_REVISION_MESSAGE])
    revisions = list((PROJECT / "alembic" / "versions").glob("*.py"))
    if len(revisions) != 1:
        raise StepError(f"expected one first revision, found {len(revisions)}")


def create_dev_database() -> None:
    """PostgreSQL needs the dev database to exist before it is migrated; SQLite makes its file."""
    script = (
        "from toolkit.database import ensure_database; from app.core.config import get_settings; "
        "ensure_database(get_settings().database_url)"
    )
    run([str(service_python()), "-c", script])


def apply_migrations() -> None:
    """Bring the dev database to head so `make run` works at once."""
    run([str(service_python()), "-m", "alembic", "upgrade", "head"])


def template_commit() -> str | None:
    """The commit of the template being rendered, when it is a git repository."""
    result = subprocess.run(
        ["git", "-C", str(ANSWERS.get("_repo_dir", ".")), "rev-parse", "HEAD"],
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() if result.returncode == 0 else None


def record_answers() -> None:
    """`.cookiecutter.json` lets the service be rendered again (`--replay-file`) and updated
    (`make template-update` merges what the template changed since `_commit`)."""
    answers = {key: value for key, value in ANSWERS.items() if key not in UNRECORDED_ANSWERS}
    commit = template_commit()
    if commit:
        answers["_commit"] = commit
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
    ("pin requirements.txt", write_pip_requirements, "uv export --all-groups -o requirements.txt"),
    ("check the dev database is free", refuse_a_database_in_use, "(drop it, or set DATABASE_URL)"),
    ("add the example resource", add_example_resource, ADD_EXAMPLE),
    ("autogenerate the first revision", write_first_revision, 'make migration m="initial schema"'),
    ("create the dev database", create_dev_database, "createdb <the database in .env>"),
    ("apply migrations to the dev database", apply_migrations, "make migrate"),
    ("record the answers", record_answers, "(nothing to run by hand)"),
    ("commit to git", commit_to_git, "git init && git add --all && git commit"),
]  # fmt: skip


# `make template-update` renders the old and the new template to compare them: files only, with
# no environment, database or git touched.
UPDATE_STEPS = [prune_unchosen_options, add_example_resource, record_answers]


def main() -> None:
    if os.environ.get("LOCKSTEP_RENDER_FILES_ONLY") == "1":
        steps = [step for step in STEPS if step[1] in UPDATE_STEPS]
    else:
        steps = STEPS
    for number, (title, step, by_hand) in enumerate(steps, start=1):
        progress = f"[{number}/{len(steps)}]"
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
    if steps is STEPS:
        print(f"lockstep: {PROJECT.name} is ready: cd {PROJECT.name} && make run")


if __name__ == "__main__":
    main()
