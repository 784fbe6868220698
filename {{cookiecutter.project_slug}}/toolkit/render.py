"""A planned resource's files, rendered from `toolkit/templates/` and tidied as `make format`
would tidy them, without touching the service."""

import subprocess
import sys
import tempfile
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from app.core.config import PROJECT_ROOT
from toolkit import CommandError
from toolkit.plan import TEMPLATES, ResourcePlan

RUFF_CONFIG = PROJECT_ROOT / "pyproject.toml"


def render_files(plan: ResourcePlan) -> dict[str, str]:
    """Every file of the resource, as it would be written: path → content."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    context = {
        "spec": plan,
        "scope": plan.scope,
        "article": plan.article,
        "article_lower": plan.article[0].lower() + plan.article[1:],
        "words_plural": plan.table.replace("_", " "),
    }
    rendered = {
        path: environment.get_template(template).render(context)
        for path, template in plan.files.items()
    }
    return tidy(rendered)


def tidy(sources: dict[str, str]) -> dict[str, str]:
    """Sort imports, drop unused ones and format, as `make format` does: one ruff run for each,
    over all the files at once, in a scratch tree read with the service's own ruff config."""
    with tempfile.TemporaryDirectory(prefix="add-resource-") as scratch:
        root = Path(scratch)
        for path, source in sources.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(source)
        ruff("check", "--fix", "--exit-zero", "--select", "I,F401", scratch)
        ruff("format", scratch)
        return {path: (root / path).read_text() for path in sources}


def ruff(*arguments: str) -> None:
    command = [sys.executable, "-m", "ruff", *arguments, "--quiet", "--config", str(RUFF_CONFIG)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"ruff could not tidy the new files: {result.stderr.strip()}")
