"""The steps of `add-resource` that run in a fresh process, so they import the models as the
files on disk now hold them; each says what failed and shows the end of its output."""

import subprocess
import sys

from app.core.config import PROJECT_ROOT
from toolkit import CommandError


def run_step(description: str, *arguments: str) -> str:
    """Run `python ARGUMENTS` in the service's directory; its output, or a CommandError."""
    result = subprocess.run(
        [sys.executable, *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).strip().splitlines()[-12:])
        raise CommandError(f"{description} failed, so nothing was changed:\n{output}")
    return result.stdout


def autogenerate_migration(message: str) -> str:
    """What `python -m toolkit migration` says it wrote."""
    return run_step("autogenerating the migration", "-m", "toolkit", "migration", message)


def upgrade_dev_database() -> None:
    run_step("applying the migration to the dev database", "-m", "alembic", "upgrade", "head")


def downgrade_dev_database(revision: str) -> None:
    run_step(f"downgrading the dev database to {revision}", "-m", "alembic", "downgrade", revision)
