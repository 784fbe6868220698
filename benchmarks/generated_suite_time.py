"""Generated-suite time: how long the rendered service's own checks take.

    python benchmarks/generated_suite_time.py
    python benchmarks/generated_suite_time.py --database postgresql   # local server, trust auth
    python benchmarks/generated_suite_time.py --environment auto      # the service's own .venv

Renders once, then times, in the service's folder: `python -m pytest -q` (3 runs),
`python -m mypy` cold (empty cache) then warm (same cache), and `python -m ruff check .`
(3 runs). Wall time of each whole command, so the interpreter's start-up and imports are
included, as a developer waits for them.

With `environment=current` (the default) the commands run with this interpreter, whose
environment holds the template's test requirements and so loads their pytest plugins too
(Hypothesis, Schemathesis, pytest-cookies, xdist...: about 1.5 s of start-up). With
`--environment auto` the hook makes the service's own `.venv` with uv, offline from its cache
unless `--online` is given, and the commands run with its interpreter: what a team that cloned
the service and ran `uv sync` waits for.
"""

import argparse
import contextlib
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import (
    add_template_argument,
    clean_env,
    postgres_database,
    print_table,
    render,
    run_benchmark,
    summary,
    write_results,
)


@dataclass(frozen=True)
class Run:
    seconds: float
    exit_code: int
    last_line: str


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    lines = (result.stdout + result.stderr).strip().splitlines()
    return Run(seconds, result.returncode, lines[-1] if lines else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("-n", "--runs", type=int, default=3, help="pytest and ruff runs (3)")
    parser.add_argument("--environment", choices=["current", "auto"], default="current")
    parser.add_argument(
        "--online", action="store_true", help="let uv reach its package index (auto only)"
    )
    add_template_argument(parser)
    arguments = parser.parse_args()
    if arguments.environment == "auto" and shutil.which("uv") is None:
        parser.error("--environment auto needs uv on PATH")

    measured: dict[str, list[Run]] = {}
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lockstep-suite-")))
        env = clean_env(MYPY_CACHE_DIR=str(scratch / "mypy-cache"))
        if arguments.environment == "auto" and not arguments.online:
            env["UV_OFFLINE"] = "1"
        if arguments.database == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(postgres_database())
        answers = [f"environment={arguments.environment}", f"database={arguments.database}"]
        service = render(scratch, *answers, env=env, template=arguments.template).path

        own_python = service / ".venv" / "bin" / "python"
        python = str(own_python) if arguments.environment == "auto" else sys.executable
        measured["pytest -q"] = [
            timed([python, "-m", "pytest", "-q"], service, env) for _ in range(arguments.runs)
        ]
        measured["mypy (cold cache)"] = [timed([python, "-m", "mypy"], service, env)]
        measured["mypy (warm cache)"] = [timed([python, "-m", "mypy"], service, env)]
        measured["ruff check ."] = [
            timed([python, "-m", "ruff", "check", "."], service, env) for _ in range(arguments.runs)
        ]

    rows = []
    results: dict[str, object] = {}
    for name, runs in measured.items():
        stats = summary([run.seconds for run in runs])
        failed = [run for run in runs if run.exit_code != 0]
        status = "ok" if not failed else f"FAILED (exit {failed[0].exit_code})"
        rows.append([name, len(runs), f"{stats['min']:.2f}", f"{stats['median']:.2f}", status])
        results[name] = {
            "runs": len(runs),
            "seconds": stats,
            "exit_codes": [run.exit_code for run in runs],
            "last_line": runs[-1].last_line,
        }

    print(
        f"\ngenerated suite time, database={arguments.database}, "
        f"environment={arguments.environment} (wall s)"
    )
    print_table(["command", "runs", "min", "median", "status"], rows)
    pytest_summary = measured["pytest -q"][-1].last_line
    print(f"pytest: {pytest_summary}")
    if match := re.search(r"in ([\d.]+)s", pytest_summary):
        print(
            f"(pytest's own count: {match.group(1)}s; the rest is interpreter and plugin start-up)"
        )
    for name, runs in measured.items():
        if any(run.exit_code for run in runs):
            print(f"warning: {name} failed: {runs[-1].last_line}")

    variant = "" if arguments.database == "sqlite" else f"-{arguments.database}"
    variant += "" if arguments.environment == "current" else f"-{arguments.environment}"
    write_results(
        f"generated_suite_time{variant}",
        arguments.template,
        {"database": arguments.database, "environment": arguments.environment, "commands": results},
    )


if __name__ == "__main__":
    sys.exit(run_benchmark(main))
