"""Helpers the benchmarks share: render the template, summarise timings, print and save results.

Not a benchmark itself. Each benchmark imports it as `_common` (Python puts the script's folder,
`benchmarks/`, first on sys.path).
"""

import argparse
import asyncio
import datetime
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
SERVICE_SLUG = "my-service"  # what `cookiecutter --no-input` names the service
POSTGRES_SERVER_URL = os.environ.get(
    "LOCKSTEP_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)

# The hook prints one line per step: `lockstep: [3/8] prepare the environment (1.3s)`.
PROGRESS = re.compile(r"^lockstep: \[(\d+)/(\d+)\] (.+) \((\d+(?:\.\d+)?)s\)$")


@dataclass(frozen=True)
class Rendered:
    """One finished render: where the service is, how long it took, and the hook's step times."""

    path: Path
    wall_seconds: float
    steps: dict[str, float]


class BenchmarkError(Exception):
    """Something the benchmark needs failed; the message says what."""


# Left out of the environment the benchmarks run commands in. DATABASE_URL and VIRTUAL_ENV would
# point the service elsewhere; PYTHONDONTWRITEBYTECODE (set on some CI images, rarely on a
# developer's machine) makes every Python start in a fresh .venv recompile all its packages.
UNSET = ("DATABASE_URL", "VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE")


def clean_env(**overrides: str) -> dict[str, str]:
    """This process's environment without settings that would skew a rendered service."""
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(overrides)
    return env


def add_template_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--template",
        type=Path,
        default=REPO,
        help="the template to render: this repository (default) or, say, an older checkout",
    )


def render(
    output_dir: Path, *answers: str, env: dict[str, str] | None = None, template: Path = REPO
) -> Rendered:
    """`cookiecutter --no-input . -o OUTPUT ANSWERS...` in the template's folder, as users do."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", ".", "-o", str(output_dir)]
    started = time.perf_counter()
    result = subprocess.run(
        [*command, *answers],
        cwd=template,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if result.returncode != 0:
        # The hook names the failed step and what to run by hand; show that, not the traceback.
        lines = (result.stdout + result.stderr).strip().splitlines()
        failed = [
            i for i, line in enumerate(lines) if line.startswith("lockstep:") and "FAILED" in line
        ]
        shown = lines[failed[0] :] if failed else lines[-20:]
        raise BenchmarkError(f"render failed (exit {result.returncode}):\n" + "\n".join(shown))
    steps: dict[str, float] = {}
    for line in result.stdout.splitlines():
        if match := PROGRESS.match(line.strip()):
            steps[match.group(3)] = float(match.group(4))
    return Rendered(path=output_dir / SERVICE_SLUG, wall_seconds=wall, steps=steps)


def run_benchmark(main: Callable[[], None]) -> int:
    """Run a benchmark's main; a BenchmarkError is one message on stderr and exit status 1."""
    try:
        main()
    except BenchmarkError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    return 0


def summary(values: Sequence[float]) -> dict[str, float]:
    """Min, median and max, rounded for people."""
    return {
        "min": round(min(values), 3),
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
    }


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of values already sorted ascending."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(fraction * len(sorted_values)) - 1))
    return sorted_values[rank]


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain, aligned text table: first column left-aligned, the others right-aligned."""
    cells = [[str(h) for h in headers], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]

    def line(row: Sequence[str]) -> str:
        first = row[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    print(line(cells[0]))
    print("  ".join("-" * width for width in widths))
    for row in cells[1:]:
        print(line(row))


def template_version(template: Path) -> str | None:
    """The template's commit, `+dirty` when its working tree has changes; None outside git."""

    def git(*arguments: str) -> str:
        result = subprocess.run(["git", *arguments], cwd=template, capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit or git("rev-parse", "--show-toplevel") != str(template.resolve()):
        return None
    return commit + ("+dirty" if git("status", "--porcelain", "--", ".") else "")


def machine() -> dict[str, Any]:
    """Enough about the machine to compare one run with another."""
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        # Other work on the machine skews every figure: the 1, 5 and 15 minute load averages.
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def write_results(name: str, template: Path, results: dict[str, Any]) -> Path:
    """Save to benchmarks/results/NAME.json (git-ignored), with the machine and template."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    target = RESULTS / f"{name}.json"
    described = {"path": str(template.resolve()), "version": template_version(template)}
    payload = {"benchmark": name, "machine": machine(), "template": described, **results}
    target.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nresults written to {target.relative_to(REPO)}")
    return target


async def _on_postgres_server(statement: str, url: str = POSTGRES_SERVER_URL) -> str:
    """Run one statement on the server's `postgres` database, or the one at `url` (asyncpg: in
    requirements-test); return its status, such as `INSERT 0 10000`."""
    import asyncpg  # type: ignore[import-untyped]  # imported here: only PostgreSQL runs need it

    try:
        connection = await asyncpg.connect(url, timeout=5)
    except (OSError, TimeoutError, asyncpg.PostgresError) as error:
        raise BenchmarkError(f"PostgreSQL at {url}: {error}") from error
    try:
        status: str = await connection.execute(statement)
        return status
    finally:
        await connection.close()


def run_sql(url: str, statement: str) -> str:
    """One statement on the database at `url`, e.g. to seed rows faster than an API can."""
    return asyncio.run(_on_postgres_server(statement, url))


@contextmanager
def postgres_database() -> Iterator[str]:
    """A throw-away database on the local PostgreSQL server, dropped afterwards; yields its URL."""
    name = f"lockstep_bench_{uuid.uuid4().hex[:10]}"
    asyncio.run(_on_postgres_server(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{POSTGRES_SERVER_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(_on_postgres_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
