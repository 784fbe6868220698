"""Finish the service: prune, configure, install, add the example resource, write the first
migration, apply it, commit. The steps that run the service's own code (the example resource
and the first migration) run in one process of the service's interpreter:
`toolkit/first_render.py`.

Each step prints one line with its time. A failed step names itself and the command to run by
hand, and exits non-zero: cookiecutter then removes the directory (keep it for a look with
`--keep-project-on-failure`). Nothing prints success after a failed step.
"""

import importlib.util
import json
import os
import re
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
# The packages the service's code needs, checked before its own code runs.
SERVICE_MODULES = ("alembic", "fastapi", "sqlmodel", "pydantic_settings", "ruff")
# What `toolkit/first_render.py` runs: the dev-database check, the example resource, the
# first revision, the dev database and its migration.
SERVICE_STEPS = 5

SIGNED_IN_FILES = [
    "app/auth",
    "app/cli",
    "app/models/user.py",
    "app/repositories/user.py",
    "app/routers/users.py",
    "app/schemas/user.py",
    "tests/test_graphql_sign_in.py",
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
    "app/realtime/jwt.py",
    "app/routers/user_admin.py",
    "app/schemas/auth.py",
    "app/schemas/user_admin.py",
    "app/tasks/revoked_tokens.py",
    "tests/realtime/test_tokens.py",
    "tests/sign_in_jwt.py",
    "tests/test_auth.py",
    "tests/test_revoked_token_tasks.py",
    "tests/test_user_admin.py",
]
PROXY_FILES = [
    "app/auth/oauth2_proxy.py",
    "app/cli/oauth2_proxy.py",
    "app/realtime/oauth2_proxy.py",
    "tests/realtime/test_proxy.py",
    "tests/sign_in_oauth2_proxy.py",
    "tests/test_proxy_users.py",
]
CELERY_FILES = [
    "app/tasks",
    "tests/tasks.py",
    "tests/test_item_tasks.py",
    "tests/test_revoked_token_tasks.py",
    "tests/test_tenant_tasks.py",
]
# What a service without sign-in has in their place.
UNSIGNED_FILES = ["app/realtime/none.py"]
TENANT_FILES = [
    "app/models/tenant.py",
    "app/repositories/tenants.py",
    "app/tenancy.py",
    "tests/realtime/test_tenancy.py",
    "tests/test_graphql_tenant_scope.py",
    "tests/test_tenancy_check.py",
    "tests/test_tenants.py",
    "tests/test_tenant_guard.py",
    "tests/test_tenant_tasks.py",
    "toolkit/checks/tenancy.py",
    "toolkit/templates/test_tenancy.py.jinja",
]
GRAPHQL_FILES = [
    "app/graphql",
    "app/mounts/graphql.py",
    "tests/graphql_queries.py",
    "tests/test_graphql.py",
    "tests/test_graphql_check.py",
    "tests/test_graphql_sign_in.py",
    "tests/test_graphql_tenant_scope.py",
    "toolkit/checks/graphql.py",
    "toolkit/templates/added",
]

# option → value → paths that value does not want. Consulted once, by `prune_unchosen_options`.
PRUNED_FOR: dict[str, dict[str, list[str]]] = {
    "auth": {
        "jwt": PROXY_FILES + UNSIGNED_FILES,
        "oauth2_proxy": PASSWORD_FILES + UNSIGNED_FILES,
        "none": SIGNED_IN_FILES + PASSWORD_FILES + PROXY_FILES,
    },
    "multi_tenant": {"no": TENANT_FILES},
    "background_tasks": {"none": CELERY_FILES},
    "websockets": {"no": ["app/mounts/realtime.py", "app/realtime", "tests/realtime"]},
    "__redis": {"no": ["app/core/redis.py"]},
    "docker": {"no": ["Dockerfile", ".dockerignore", "compose.yaml"]},
    "ci": {"none": [".github"]},
    "graphql": {"no": GRAPHQL_FILES},
}

PIP_REQUIREMENTS_HEADER = (
    "# The service's packages, for `make install` without uv. With uv, pin them instead:\n"
    "#   uv lock && uv export --all-groups --no-hashes --output-file requirements.txt"
)

# How cookiecutter tells a repository's address from a local path (abbreviations included).
REPOSITORY_ADDRESS = re.compile(r"((git|hg)\+)?(git|ssh|file|https?):|\w+@[\w.]+:|(gh|gl|bb):")

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
        missing = [name for name in SERVICE_MODULES if importlib.util.find_spec(name) is None]
        if missing:
            raise StepError(
                f"environment=current, but {sys.executable} cannot import the service's "
                f"packages ({', '.join(missing)}); install them there or render with "
                "environment=auto."
            )
    elif shutil.which("uv"):
        print("lockstep: installing the service's packages with uv, into .venv:", flush=True)
        # An installed interpreter only: rendering must never download a Python.
        stream(["uv", "sync", "--no-python-downloads"], env={"UV_PYTHON_DOWNLOADS": "never"})
    else:
        print("lockstep: installing the service's packages with pip, into .venv:", flush=True)
        run([sys.executable, "-m", "venv", ".venv"])
        stream([str(service_python()), "-m", "pip", "install", *declared_requirements()])


def stream(command: list[str], *, env: dict[str, str] | None = None) -> None:
    """Run a long command with its output shown as it comes (an install), not kept back."""
    result = subprocess.run(command, cwd=PROJECT, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise StepError(f"`{' '.join(command)}` exited with {result.returncode} (output above)")


def write_pip_requirements() -> None:
    """A teammate without uv installs with pip (`make install`): pinned from uv.lock when uv
    made one, else the lower bounds pyproject.toml declares."""
    if (PROJECT / "uv.lock").exists() and shutil.which("uv"):
        export = ["uv", "export", "--frozen", "--all-groups", "--no-hashes", "--no-header"]
        run([*export, "--format", "requirements-txt", "--output-file", "requirements.txt"])
        return
    lines = [PIP_REQUIREMENTS_HEADER, *declared_requirements()]
    (PROJECT / "requirements.txt").write_text("\n".join(lines) + "\n")


def started_in() -> list[Path]:
    """Where cookiecutter may have been started: a relative template path is relative to it.
    The hook runs inside the new service, so its own working directory is no guide."""
    places = [Path(os.environ["PWD"])] if os.environ.get("PWD") else []
    # Cookiecutter runs its hooks from inside the template (Linux shows its working directory).
    places.append(Path(f"/proc/{os.getppid()}/cwd"))
    return places


def template_location() -> str:
    """The template as `make template-update` will find it again later, from inside the service:
    a local path made absolute; a repository address as given."""
    template = str(ANSWERS["_template"])
    if Path(template).is_absolute() or REPOSITORY_ADDRESS.match(template):
        return template
    for place in started_in():
        for candidate in (place / template, place):
            if (candidate / "cookiecutter.json").is_file():
                return str(candidate.resolve())
    return template


def template_commit(location: str) -> str | None:
    """The commit of the template being rendered, when it is a git repository."""
    repository = location if Path(location).is_absolute() else str(ANSWERS.get("_repo_dir"))
    result = subprocess.run(
        ["git", "-C", repository, "rev-parse", "HEAD"], capture_output=True, text=True
    )
    return result.stdout.strip() if result.returncode == 0 else None


def record_answers() -> None:
    """`.cookiecutter.json` lets the service be rendered again (`--replay-file`) and updated
    (`make template-update` merges what the template changed since `_commit`)."""
    answers = {key: value for key, value in ANSWERS.items() if key not in UNRECORDED_ANSWERS}
    answers["_template"] = template_location()
    commit = template_commit(answers["_template"])
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


def run_service_steps(first: int, total: int, *, files_only: bool) -> None:
    """The steps that run the service's own code, in one process of its interpreter; it prints
    their lines (and a failure's) itself."""
    command = [str(service_python()), "-m", "toolkit.first_render", str(first), str(total)]
    if files_only:
        command.append("--files-only")
    if subprocess.run(command, cwd=PROJECT).returncode != 0:
        sys.exit(1)


Step = tuple[str, Callable[[], None], str]

BEFORE_THE_SERVICE: list[Step] = [
    ("prune unchosen options", prune_unchosen_options, "(nothing to run by hand)"),
    ("write .env with a fresh secret", write_env_file, "cp .env.example .env"),
    ("prepare the environment", prepare_environment, "uv sync  (or: make a .venv, pip install)"),
    ("pin requirements.txt", write_pip_requirements, "uv export --all-groups -o requirements.txt"),
]
AFTER_THE_SERVICE: list[Step] = [
    ("record the answers", record_answers, "(nothing to run by hand)"),
    ("commit to git", commit_to_git, "git init && git add --all && git commit"),
]


def main() -> None:
    # `make template-update` renders the old and the new template to compare them: files only,
    # with no environment, database or git touched, and only the example resource added.
    files_only = os.environ.get("LOCKSTEP_RENDER_FILES_ONLY") == "1"
    before = BEFORE_THE_SERVICE[:1] if files_only else BEFORE_THE_SERVICE
    after = AFTER_THE_SERVICE[:1] if files_only else AFTER_THE_SERVICE
    service = 1 if files_only else SERVICE_STEPS
    total = len(before) + service + len(after)
    run_steps(before, 1, total)
    run_service_steps(len(before) + 1, total, files_only=files_only)
    run_steps(after, len(before) + service + 1, total)
    if not files_only:
        print(f"lockstep: {PROJECT.name} is ready: cd {PROJECT.name} && make run")


def run_steps(steps: list[Step], first: int, total: int) -> None:
    for number, (title, step, by_hand) in enumerate(steps, start=first):
        progress = f"[{number}/{total}]"
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
        print(f"lockstep: {progress} {title} ({time.perf_counter() - started:.1f}s)", flush=True)


if __name__ == "__main__":
    main()
