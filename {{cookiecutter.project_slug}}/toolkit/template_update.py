"""`make template-update`: merge what the template changed since this service was rendered.

The recorded answers (`.cookiecutter.json`) are rendered twice, files only (no environment,
database or git touched): at the recorded template commit, and at the new one. The difference
between the two renders is the template's change; git applies it to the service as a three-way
merge, so the service's own edits stay, and a line both sides changed becomes an ordinary git
conflict. The service's migrations and models are its own history and are never touched.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from toolkit import CommandError

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ANSWERS_FILE = ".cookiecutter.json"
# The service's own: its schema history and models, its environment and lockfiles.
NEVER_MERGED = [
    "alembic/versions",
    "app/models",
    ANSWERS_FILE,
    "requirements.txt",
    "uv.lock",
]


def git(*arguments: str, cwd: Path = PROJECT_ROOT) -> str:
    result = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"git {arguments[0]} failed: {result.stderr.strip()}")
    return result.stdout


def recorded_answers() -> dict[str, object]:
    path = PROJECT_ROOT / ANSWERS_FILE
    if not path.is_file():
        raise CommandError(f"{ANSWERS_FILE} is missing: this service was not rendered by lockstep")
    answers: dict[str, object] = json.loads(path.read_text())["cookiecutter"]
    return answers


def render(template: Path, commit: str, answers: dict[str, object], into: Path) -> Path:
    """The service these answers make at this commit of the template, files only."""
    from cookiecutter.exceptions import CookiecutterException
    from cookiecutter.main import cookiecutter

    git("checkout", "--quiet", "--force", commit, cwd=template)
    choices = {key: value for key, value in answers.items() if not key.startswith("_")}
    os.environ["LOCKSTEP_RENDER_FILES_ONLY"] = "1"
    try:
        rendered = cookiecutter(
            str(template),
            no_input=True,
            extra_context={**choices, "environment": "current"},
            output_dir=str(into),
        )
    except CookiecutterException as error:
        raise CommandError(f"rendering the template at {commit[:12]} failed: {error}") from error
    finally:
        del os.environ["LOCKSTEP_RENDER_FILES_ONLY"]
    return Path(rendered)


def template_change(old: Path, new: Path, workspace: Path) -> tuple[Path, str]:
    """A repository holding both renders as commits, and the new render's commit."""
    repository = workspace / "renders"
    shutil.copytree(old, repository)
    git("init", "--quiet", cwd=repository)
    identity = ["-c", "user.name=lockstep", "-c", "user.email=lockstep@localhost"]
    git("add", "--all", cwd=repository)
    git(*identity, "commit", "--quiet", "--allow-empty", "-m", "old", cwd=repository)
    for entry in repository.iterdir():
        if entry.is_dir() and entry.name != ".git":
            shutil.rmtree(entry)
        elif entry.is_file():
            entry.unlink()
    shutil.copytree(new, repository, dirs_exist_ok=True)
    git("add", "--all", cwd=repository)
    git(*identity, "commit", "--quiet", "--allow-empty", "-m", "new", cwd=repository)
    return repository, git("rev-parse", "HEAD", cwd=repository).strip()


def apply_change(repository: Path, new_commit: str) -> list[str]:
    """Apply the renders' difference here, three-way; the paths left in conflict."""
    excluded = [f":(exclude){path}" for path in NEVER_MERGED]
    patch = git("diff", "--binary", "HEAD~1", "HEAD", "--", ".", *excluded, cwd=repository)
    if not patch:
        return []
    # The old render's blobs must be here for git to merge three ways.
    git("fetch", "--quiet", "--no-tags", str(repository), new_commit)
    result = subprocess.run(
        ["git", "apply", "--3way", "--whitespace=nowarn"],
        cwd=PROJECT_ROOT,
        input=patch,
        capture_output=True,
        text=True,
    )
    conflicts = git("diff", "--name-only", "--diff-filter=U").split()
    if result.returncode != 0 and not conflicts:
        raise CommandError(f"the template's change does not apply: {result.stderr.strip()}")
    return conflicts


def record_commit(commit: str, template: str) -> None:
    path = PROJECT_ROOT / ANSWERS_FILE
    recorded = json.loads(path.read_text())
    recorded["cookiecutter"].update(_commit=commit, _template=template)
    path.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")


def update_from_template(template: str | None, checkout: str | None) -> int:
    if git("status", "--porcelain"):
        raise CommandError("the working tree has changes: commit or stash them first")
    answers = recorded_answers()
    source = template or str(answers.get("_template", ""))
    old_commit = answers.get("_commit")
    if not isinstance(old_commit, str):
        raise CommandError(f"{ANSWERS_FILE} records no template commit to update from")
    with tempfile.TemporaryDirectory(prefix="template-update-") as temporary:
        workspace = Path(temporary)
        clone = workspace / "template"
        git("clone", "--quiet", source, str(clone), cwd=workspace)
        new_commit = git("rev-parse", checkout or "HEAD", cwd=clone).strip()
        if new_commit == old_commit:
            print(f"Already at the template's {new_commit[:12]}: nothing to update.")
            return 0
        old = render(clone, old_commit, answers, workspace / "old")
        new = render(clone, new_commit, answers, workspace / "new")
        repository, renders_commit = template_change(old, new, workspace)
        conflicts = apply_change(repository, renders_commit)
    record_commit(new_commit, source)
    print(f"Merged the template's changes from {old_commit[:12]} to {new_commit[:12]}.")
    if conflicts:
        print(f"Resolve the conflicts in: {', '.join(conflicts)}; then review and commit.")
        return 1
    print("Review them with `git diff`, run `make check test`, and commit.")
    return 0
