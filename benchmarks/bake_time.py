"""Bake time: render the template N times as a user does, and time the hook's steps.

    python benchmarks/bake_time.py                      # 3 renders, environment=current
    python benchmarks/bake_time.py --environment auto   # uv sync into .venv (uv on PATH)

Each render is `cookiecutter --no-input . -o <tmp> environment=...` run as a subprocess, so the
post-generation hook runs exactly as for users. Per-step times come from the hook's progress
lines (`lockstep: [k/N] <step> (<secs>s)`, 0.1 s resolution); "render, outside the hook" is the
wall time minus the steps: interpreter start-up, cookiecutter itself and Jinja rendering.
"render alone" renders as often with `--accept-hooks no`: the floor a bake is compared with.
With `--environment auto`, uv runs offline (from its cache) unless `--online` is given.
"""

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from _common import (
    Rendered,
    add_template_argument,
    clean_env,
    print_table,
    render,
    run_benchmark,
    summary,
    write_results,
)

OUTSIDE_HOOK = "render, outside the hook"
TOTAL = "total wall time"
RENDER_ALONE = "render alone, no hooks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--renders", type=int, default=3, help="renders to time (3)")
    parser.add_argument("--environment", choices=["current", "auto"], default="current")
    parser.add_argument(
        "--online", action="store_true", help="let uv reach its package index (auto only)"
    )
    add_template_argument(parser)
    arguments = parser.parse_args()
    if arguments.environment == "auto" and shutil.which("uv") is None:
        parser.error("--environment auto needs uv on PATH")

    overrides = {} if arguments.online else {"UV_OFFLINE": "1"}
    renders: list[Rendered] = []
    with tempfile.TemporaryDirectory(prefix="lockstep-bake-") as scratch:
        for number in range(1, arguments.renders + 1):
            output = Path(scratch) / f"render-{number}"
            rendered = render(
                output,
                f"environment={arguments.environment}",
                env=clean_env(**overrides),
                template=arguments.template,
            )
            renders.append(rendered)
            print(f"render {number}/{arguments.renders}: {rendered.wall_seconds:.2f}s")
            shutil.rmtree(output)  # a .venv per render (auto) adds up
        alone = [
            render(
                Path(scratch) / f"alone-{number}",
                "--accept-hooks",
                "no",
                env=clean_env(),
                template=arguments.template,
            ).wall_seconds
            for number in range(1, arguments.renders + 1)
        ]

    step_names = list(renders[0].steps)
    series: dict[str, list[float]] = {
        name: [r.steps.get(name, 0.0) for r in renders] for name in step_names
    }
    series[OUTSIDE_HOOK] = [r.wall_seconds - sum(r.steps.values()) for r in renders]
    series[TOTAL] = [r.wall_seconds for r in renders]
    series[RENDER_ALONE] = alone
    summaries = {name: summary(values) for name, values in series.items()}
    ratio = summaries[TOTAL]["median"] / summaries[RENDER_ALONE]["median"]

    print(f"\nbake time, environment={arguments.environment}, {arguments.renders} renders (s)")
    print_table(
        ["step", "min", "median", "max"],
        [
            [name, f"{s['min']:.2f}", f"{s['median']:.2f}", f"{s['max']:.2f}"]
            for name, s in summaries.items()
        ],
    )
    print(f"\nbake / render alone (medians): {ratio:.1f}x")
    variant = "" if arguments.environment == "current" else f"-{arguments.environment}"
    write_results(
        f"bake_time{variant}",
        arguments.template,
        {
            "environment": arguments.environment,
            "uv_offline": arguments.environment == "auto" and not arguments.online,
            "renders": arguments.renders,
            "seconds": summaries,
            "bake_over_render_alone": round(ratio, 2),
            "raw": [{"wall": r.wall_seconds, "steps": r.steps} for r in renders],
        },
    )


if __name__ == "__main__":
    sys.exit(run_benchmark(main))
