"""Generated-suite time: how long the rendered service's own checks take.

    python benchmarks/generated_suite_time.py
    python benchmarks/generated_suite_time.py --database postgresql   # local server, trust auth

Renders once (environment=current), then times, in the service's folder and with this
interpreter: `python -m pytest -q` (3 runs), `python -m mypy` cold (empty cache) then warm
(same cache), and `python -m ruff check .` (3 runs). Wall time of each whole command, so the
interpreter's start-up and imports are included, as a developer waits for them.
"""

import argparse
import contextlib
import re
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
    add_template_argument(parser)
    arguments = parser.parse_args()

    measured: dict[str, list[Run]] = {}
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lockstep-suite-")))
        env = clean_env(MYPY_CACHE_DIR=str(scratch / "mypy-cache"))
        if arguments.database == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(postgres_database())
        answers = ["environment=current", f"database={arguments.database}"]
        service = render(scratch, *answers, env=env, template=arguments.template).path

        python = sys.executable
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

    print(f"\ngenerated suite time, database={arguments.database} (wall s)")
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
    write_results(
        f"generated_suite_time{variant}",
        arguments.template,
        {"database": arguments.database, "commands": results},
    )


if __name__ == "__main__":
    sys.exit(run_benchmark(main))
