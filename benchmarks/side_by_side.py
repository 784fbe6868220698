"""Side by side: the rendered service against the peer, the full-stack FastAPI template's backend.

    PEER_GIT=DIR python benchmarks/side_by_side.py                  # 3 rounds of 10 s
    python benchmarks/side_by_side.py --peer-git DIR --rounds 5 --seconds 15 --conns 32

Issue 11 states its goals as ratios to the peer, so both run in one session on one machine:
absolute figures drift here from run to run, ratios measured together hold. DIR is a git dir
(bare or not) of github.com/fastapi/full-stack-fastapi-template holding the commit that
`peer-fullstack.sh` names; without one the script says so and skips.

Renders the service (default answers, database=postgresql, environment=current) into a
temporary folder, on a database of its own that it seeds with 10,000 items in SQL, signs in
with `create-user` and the login route, and serves it with uvicorn (one process). The peer is
`peer-fullstack.sh` (10,000 items, one uvicorn worker) on a second database. Both databases
are then vacuumed and analysed, as autovacuum would leave them once the seeding settled. Each
request then
runs under `load.sh` (wrk: 3 s warm-up, then `--seconds` with `--conns` connections), peer and
service alternately, `--rounds` times, the first side swapped each round; the table shows
medians and the service-to-peer ratios. Both databases are dropped and both servers stopped at
the end, also on failure.
"""

import argparse
import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from _common import (
    BenchmarkError,
    add_template_argument,
    clean_env,
    postgres_database,
    print_table,
    render,
    run_benchmark,
    run_sql,
    write_results,
)
from _sql_count import REQUESTS as SQL_COUNTED
from app_throughput import (
    BENCH_EMAIL,
    count_sql,
    create_bench_user,
    credentials,
    free_port,
    proc_cpu_seconds,
    server,
)

# ../shared/bench beside this repository, as the project keeps it.
BENCH_DIR = Path(
    os.environ.get("LOCKSTEP_PEER_BENCH", Path(__file__).resolve().parents[2] / "shared" / "bench")
)
SEED_ITEMS = 10_000  # as many as peer-fullstack.sh loads into the peer
SIDES = ("peer", "lockstep")
LOAD_LINE = re.compile(r"^req/s=\S+ p50_ms=\S+ p99_ms=\S+ requests=\d+ errors=\d+$", re.M)

# Straight into the signed-in user's tenant: 10,000 POSTs would take a minute.
SEED_SQL = """
INSERT INTO items (id, tenant_id, title, description, price, is_active, created_at, updated_at)
SELECT gen_random_uuid(), u.tenant_id, 'item ' || g, 'seeded', 9.99, true, now(), now()
FROM generate_series(1, {count}) AS g, users AS u WHERE u.email = '{email}'
"""


@dataclass(frozen=True)
class Request:
    """One request of the issue's goals, as each side spells it; `__N__` makes titles unique."""

    label: str
    method: str
    peer_path: str
    service_path: str
    target: str
    peer_body: str | None = None
    service_body: str | None = None

    @property
    def sql_label(self) -> str:
        """How _sql_count.py names the service's request."""
        return f"{self.method} {self.service_path}"


# In the order; they run with the POST last, as it grows the table the list counts.
REQUESTS = [
    Request(
        "list of 50",
        "GET",
        "/api/v1/items/?skip=0&limit=50",
        "/api/v1/items/?limit=50",
        ">=3x, p99 <=0.5x",
    ),
    Request(
        "create",
        "POST",
        "/api/v1/items/",
        "/api/v1/items/",
        ">=2x",
        peer_body='{"title": "bench __N__", "description": "x"}',
        service_body='{"title": "bench __N__", "price": "9.99", "description": "x"}',
    ),
    Request("current user", "GET", "/api/v1/users/me", "/api/v1/users/me/", ">=2x"),
    Request("health", "GET", "/api/v1/utils/health-check/", "/health/", ">=1x"),
]


@dataclass(frozen=True)
class Side:
    """A server under load: where it listens, its process and the headers that sign in."""

    name: str
    port: int
    pid: int
    headers: dict[str, str]

    def url(self, request: Request) -> str:
        path = request.peer_path if self.name == "peer" else request.service_path
        return f"http://127.0.0.1:{self.port}{path}"

    def body(self, request: Request) -> str | None:
        return request.peer_body if self.name == "peer" else request.service_body


def peer_git_dir(given: str | None) -> Path | None:
    """The peer's git dir, or None after saying why the comparison is skipped."""
    how = (
        "set PEER_GIT (or pass --peer-git) to a git dir of "
        "github.com/fastapi/full-stack-fastapi-template, e.g. after "
        "`git clone --bare https://github.com/fastapi/full-stack-fastapi-template /tmp/fs.git`"
    )
    if not given:
        print(f"side_by_side: skipped: no peer to compare with; {how}.")
        return None
    if not Path(given).is_dir():
        print(f"side_by_side: skipped: the peer's git dir {given} does not exist; {how}.")
        return None
    return Path(given)


def peer_commit(bench_dir: Path) -> str | None:
    """The peer's commit, as peer-fullstack.sh pins it (for the results)."""
    match = re.search(r"^REV=(\w+)", (bench_dir / "peer-fullstack.sh").read_text(), re.M)
    return match.group(1) if match else None


def listener_pid(port: int) -> int | None:
    """The process listening on 127.0.0.1:PORT, to stop a peer whose script failed after
    starting it."""
    result = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=False
    )
    match = re.search(r"pid=(\d+)", result.stdout)
    return int(match.group(1)) if match else None


def stop(pid: int) -> None:
    """SIGTERM, then SIGKILL after 10 s: the peer is not our child, so poll /proc for it."""

    def running() -> bool:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return False
        return state != "Z"

    for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while running() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not running():
            return


@contextlib.contextmanager
def peer(git_dir: Path, bench_dir: Path, database: str, port: int) -> Iterator[Side]:
    """peer-fullstack.sh on PORT and DATABASE (it recreates it); stopped by its pid at the end."""
    env = clean_env(PEER_GIT=str(git_dir), PEER_DB=database)
    command = ["bash", str(bench_dir / "peer-fullstack.sh"), str(port)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    match = re.search(r"pid=(\d+) token=(\S+)", result.stdout)
    if result.returncode != 0 or match is None:
        if (orphan := listener_pid(port)) is not None:
            stop(orphan)
        shown = (result.stdout + result.stderr).strip().splitlines()[-20:]
        raise BenchmarkError(
            f"peer-fullstack.sh failed (exit {result.returncode}; its server logs to "
            "/tmp/fs-ref/uvicorn.log):\n" + "\n".join(shown)
        )
    pid = int(match.group(1))
    try:
        yield Side("peer", port, pid, {"Authorization": f"Bearer {match.group(2)}"})
    finally:
        stop(pid)


def seed(database_url: str) -> None:
    """10,000 items in the benchmark user's tenant, as many as the peer holds."""
    status = run_sql(database_url, SEED_SQL.format(count=SEED_ITEMS, email=BENCH_EMAIL))
    if status != f"INSERT 0 {SEED_ITEMS}":
        raise BenchmarkError(f"seeding items gave `{status}`: is {BENCH_EMAIL} in `users`?")


def settle(*database_urls: str) -> None:
    """Both databases as autovacuum leaves a table that has stopped growing: statistics for the
    planner, and the visibility map that lets `count(*)` read an index alone. Left to itself,
    autovacuum would analyse each freshly seeded table a minute or so later, in the middle of
    some round, on each side at a different moment."""
    for url in database_urls:
        run_sql(url, "VACUUM ANALYZE")


def preflight(sides: list[Side]) -> None:
    """Send each request once to each side: a 401 or 404 would otherwise be timed as a result."""
    for request in REQUESTS:
        for side in sides:
            body = side.body(request)
            response = httpx.request(
                request.method,
                side.url(request),
                headers={**side.headers, "Content-Type": "application/json"},
                content=body.replace("__N__", "preflight") if body else None,
                timeout=30,
            )
            if not response.is_success:
                raise BenchmarkError(
                    f"{side.name}: {request.method} {side.url(request)} answered "
                    f"{response.status_code}: {response.text[:300]}"
                )


def load(side: Side, request: Request, arguments: argparse.Namespace, scratch: Path) -> dict:
    """One load.sh run against one side, with that server's CPU share while it ran."""
    command = ["bash", str(arguments.bench_dir / "load.sh"), side.url(request)]
    command += ["--seconds", str(arguments.seconds), "--conns", str(arguments.conns)]
    for name, value in side.headers.items():
        command += ["--header", f"{name}: {value}"]
    if (body := side.body(request)) is not None:
        body_file = scratch / f"{side.name}-{request.method.lower()}.json"
        body_file.write_text(body)
        command += ["--post", str(body_file)]
    cpu_before, started = proc_cpu_seconds(side.pid), time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=arguments.seconds + 120, check=False
    )
    cpu_share = (proc_cpu_seconds(side.pid) - cpu_before) / (time.perf_counter() - started)
    match = LOAD_LINE.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise BenchmarkError(f"load.sh failed on {side.url(request)}:\n{result.stderr[-2000:]}")
    figures = {key: float(value) for key, value in re.findall(r"(\S+)=(\S+)", match.group())}
    return {
        "requests_per_second": figures["req/s"],
        "p50_ms": figures["p50_ms"],
        "p99_ms": figures["p99_ms"],
        "requests": int(figures["requests"]),
        "errors": int(figures["errors"]),
        "server_cpu_percent": round(cpu_share * 100, 1),
        # The server's CPU per request, taking the warm-up's rate to be the measured one.
        "server_cpu_ms_per_request": round(cpu_share / figures["req/s"] * 1000, 2),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def measure(
    sides: list[Side], arguments: argparse.Namespace, scratch: Path
) -> dict[str, dict[str, list[dict]]]:
    """Every request, the sides alternately, `--rounds` times; the first side swaps each round."""
    runs: dict[str, dict[str, list[dict]]] = {
        request.label: {side.name: [] for side in sides} for request in REQUESTS
    }
    for request in sorted(REQUESTS, key=lambda r: r.method == "POST"):
        for round_index in range(arguments.rounds):
            order = sides if round_index % 2 == 0 else sides[::-1]
            for side in order:
                runs[request.label][side.name].append(load(side, request, arguments, scratch))
            shown = ", ".join(
                f"{s.name} {runs[request.label][s.name][-1]['requests_per_second']:.0f}"
                for s in sides
            )
            print(f"  {request.label}, round {round_index + 1}/{arguments.rounds}: {shown} req/s")
    return runs


def median(runs: list[dict], key: str) -> float:
    return float(statistics.median(run[key] for run in runs))


def rate(value: float) -> str:
    return f"{value:.0f}" if value >= 100 else f"{value:.1f}"


def summarise(
    runs: dict[str, dict[str, list[dict]]], sql: dict[str, Any] | None
) -> dict[str, dict]:
    """Medians per side, the service-to-peer ratios and the service's SQL per request."""
    summary: dict[str, dict] = {}
    for request in REQUESTS:
        peer_runs, ours = runs[request.label]["peer"], runs[request.label]["lockstep"]
        medians = {
            name: {
                key: median(side_runs, key)
                for key in ("requests_per_second", "p50_ms", "p99_ms", "server_cpu_ms_per_request")
            }
            | {"errors": sum(run["errors"] for run in side_runs)}
            for name, side_runs in (("peer", peer_runs), ("lockstep", ours))
        }
        counted = (sql or {}).get("steady", {}).get(request.sql_label, {})
        summary[request.label] = {
            "peer_request": f"{request.method} {request.peer_path}",
            "lockstep_request": request.sql_label,
            "target": request.target,
            "median": medians,
            "ratio": round(
                medians["lockstep"]["requests_per_second"] / medians["peer"]["requests_per_second"],
                2,
            ),
            "p99_ratio": round(medians["lockstep"]["p99_ms"] / medians["peer"]["p99_ms"], 2),
            "lockstep_sql_statements": counted.get("statements"),
            "lockstep_status_in_sql_count": counted.get("status"),
            "runs": {"peer": peer_runs, "lockstep": ours},
        }
    return summary


def print_summary(summary: dict[str, dict], arguments: argparse.Namespace) -> None:
    print(
        f"\nside by side, {arguments.rounds} round(s) of {arguments.seconds} s, "
        f"{arguments.conns} connections, {SEED_ITEMS} items each; medians, ratio = lockstep / peer"
    )
    rows = []
    for label, figures in summary.items():
        peer_figures, ours = figures["median"]["peer"], figures["median"]["lockstep"]
        rows.append(
            [
                label,
                rate(peer_figures["requests_per_second"]),
                rate(ours["requests_per_second"]),
                f"{figures['ratio']:.2f}x",
                f"{peer_figures['p99_ms']:.1f}",
                f"{ours['p99_ms']:.1f}",
                f"{figures['p99_ratio']:.2f}x",
                f"{peer_figures['errors']}/{ours['errors']}",
                figures["target"],
            ]
        )
    headers = ["request", "peer req/s", "lockstep req/s", "ratio", "peer p99 ms"]
    headers += ["lockstep p99 ms", "p99 ratio", "errors (peer/lockstep)", "target"]
    print_table(headers, rows)
    print("\nserver CPU per request (ms, median) and the service's SQL statements per request:")
    print_table(
        ["request", "peer CPU ms", "lockstep CPU ms", "lockstep SQL"],
        [
            [
                label,
                f"{figures['median']['peer']['server_cpu_ms_per_request']:.2f}",
                f"{figures['median']['lockstep']['server_cpu_ms_per_request']:.2f}",
                "?"
                if figures["lockstep_sql_statements"] is None
                else figures["lockstep_sql_statements"],
            ]
            for label, figures in summary.items()
        ],
    )
    for label, figures in summary.items():
        for name in SIDES:
            if errors := figures["median"][name]["errors"]:
                print(f"warning: {label}: {name} answered {errors} errors (non-2xx or socket)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="runs per request and side (3)")
    parser.add_argument("--seconds", type=int, default=10, help="seconds per run, <= 30 (10)")
    parser.add_argument("--conns", type=int, default=32, help="wrk connections (32)")
    parser.add_argument(
        "--peer-git",
        default=os.environ.get("PEER_GIT"),
        help="git dir of the full-stack FastAPI template (default: $PEER_GIT)",
    )
    parser.add_argument(
        "--bench-dir",
        type=Path,
        default=BENCH_DIR,
        help=f"where load.sh and peer-fullstack.sh are (default: {BENCH_DIR})",
    )
    add_template_argument(parser)
    arguments = parser.parse_args()
    if (git_dir := peer_git_dir(arguments.peer_git)) is None:
        return
    scripts = ("load.sh", "peer-fullstack.sh")
    missing = [name for name in scripts if not (arguments.bench_dir / name).exists()]
    if missing:
        print(f"side_by_side: skipped: no {' or '.join(missing)} in {arguments.bench_dir}.")
        return

    load_before = [round(value, 2) for value in os.getloadavg()]
    minutes = len(REQUESTS) * len(SIDES) * arguments.rounds * (arguments.seconds + 3) / 60
    print(f"load average {load_before}; about {minutes:.0f} min of load after start-up")
    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lockstep-sbs-")))
        env = clean_env()
        env["DATABASE_URL"] = stack.enter_context(postgres_database())
        peer_url = stack.enter_context(postgres_database())
        peer_database = peer_url.rsplit("/", 1)[1]
        print("rendering the service (database=postgresql, environment=current)...")
        answers = ["environment=current", "database=postgresql"]
        service = render(scratch, *answers, env=env, template=arguments.template).path
        # The .env as rendered, but quiet as the peer (--log-level warning) and signed in
        # for the whole run (the default access token lasts 15 minutes).
        env |= {"LOG_LEVEL": "WARNING", "ACCESS_TOKEN_MINUTES": "1440"}
        create_bench_user(service, env, "jwt")
        seed(env["DATABASE_URL"])
        print("starting the peer (peer-fullstack.sh; its first run builds a venv)...")
        peer_side = stack.enter_context(
            peer(git_dir, arguments.bench_dir, peer_database, free_port())
        )
        settle(env["DATABASE_URL"], peer_url)
        port = free_port()
        pid = stack.enter_context(server(service, port, env, scratch / "server.log"))
        sides = [peer_side, Side("lockstep", port, pid, credentials(port, "jwt"))]
        preflight(sides)
        sql: dict[str, Any] | None = None
        try:
            extra = [r.sql_label for r in REQUESTS if r.sql_label not in SQL_COUNTED]  # users/me
            sql = count_sql(service, env, sides[1].headers, extra)
        except BenchmarkError as error:  # figures without SQL counts are still worth having
            print(f"warning: SQL not counted: {error}")
        runs = measure(sides, arguments, scratch)
        service_log = (scratch / "server.log").read_text()

    summary = summarise(runs, sql)
    print_summary(summary, arguments)
    load_after = [round(value, 2) for value in os.getloadavg()]
    print(f"load average before {load_before}, after {load_after}")
    if service_log.strip():
        print(f"the service logged {len(service_log.splitlines())} lines under load")
    write_results(
        "side_by_side",
        arguments.template,
        {
            "peer": {"git_dir": str(git_dir), "commit": peer_commit(arguments.bench_dir)},
            "rounds": arguments.rounds,
            "seconds": arguments.seconds,
            "conns": arguments.conns,
            "seeded_items": SEED_ITEMS,
            "load_average_before": load_before,
            "load_average_after": load_after,
            "requests": summary,
            "sql": sql,
        },
    )


if __name__ == "__main__":
    sys.exit(run_benchmark(main))
