"""App throughput: requests/s, latency and SQL per request of the rendered service.

    python benchmarks/app_throughput.py                          # SQLite, 10 s per endpoint
    python benchmarks/app_throughput.py --database postgresql    # local server, trust auth
    python benchmarks/app_throughput.py --duration 3 --concurrency 8
    python benchmarks/app_throughput.py --auth none --multi-tenant no   # no sign-in at all

Renders once (environment=current; the hook applies the migrations), counts the SQL each kind of
request runs (in-process, in a subprocess: see _sql_count.py), then serves the app with uvicorn
(one process, no reload) on a free port of 127.0.0.1, signs in (auth=jwt: a user made with
`create-user` logs in; auth=oauth2_proxy: the proxy's headers), seeds items through the API and,
endpoint by endpoint, keeps `--concurrency` requests in flight with httpx for `--duration` seconds.
The load generator shares the machine's cores with the server: on 2 cores the figures are a
floor, comparable between runs on the same machine, not a capacity plan. The table shows both
sides' CPU: when the client is near 100%, httpx is the bottleneck; `--client sockets` then
drives the same requests over bare keep-alive HTTP/1.1 connections, which cost far less CPU.
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from _common import (
    BenchmarkError,
    add_template_argument,
    clean_env,
    percentile,
    postgres_database,
    print_table,
    render,
    run_benchmark,
    write_results,
)

SQL_COUNTER = Path(__file__).resolve().parent / "_sql_count.py"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# A request factory gets the seeded item ids and a counter, and returns (method, url, body).
RequestFactory = Callable[[list[str], int], tuple[str, str, dict[str, Any] | None]]
# A sender sends one request (method, url, JSON body) and returns the response's status code.
Sender = Callable[[str, str, dict[str, Any] | None], Awaitable[int]]


def new_item(n: int) -> dict[str, Any]:
    return {"title": f"bench-{n}-{uuid.uuid4().hex[:12]}", "price": "9.99", "description": "x"}


def health(ids: list[str], n: int) -> tuple[str, str, None]:
    return "GET", "/health/", None


def list_items(ids: list[str], n: int) -> tuple[str, str, None]:
    return "GET", "/api/v1/items/?limit=50", None


def get_item(ids: list[str], n: int) -> tuple[str, str, None]:
    return "GET", f"/api/v1/items/{ids[n % len(ids)]}/", None


def create_item(ids: list[str], n: int) -> tuple[str, str, dict[str, Any]]:
    return "POST", "/api/v1/items/", new_item(n)


# Label, expected status, request factory. POST goes last: it grows the table the list counts.
ENDPOINTS: list[tuple[str, int, RequestFactory]] = [
    ("GET /health/", 200, health),
    ("GET /api/v1/items/?limit=50", 200, list_items),
    ("GET /api/v1/items/{id}/", 200, get_item),
    ("POST /api/v1/items/", 201, create_item),
]


@dataclass
class Load:
    """What one endpoint's run observed."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


def httpx_sender(client: httpx.AsyncClient) -> Sender:
    async def send(method: str, url: str, body: dict[str, Any] | None) -> int:
        return (await client.request(method, url, json=body)).status_code

    return send


class SocketConnection:
    """One bare HTTP/1.1 keep-alive connection: no pooling, no header objects, little CPU."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.port = port
        self.extra_head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def send(self, method: str, url: str, body: dict[str, Any] | None) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        payload = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {url} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(payload)}\r\n"
        head += self.extra_head
        writer.write(f"{head}Content-Type: application/json\r\n\r\n".encode() + payload)
        try:
            response_head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            headers = dict(line.lower().split(": ", 1) for line in response_head[1:] if line)
            await reader.readexactly(int(headers.get("content-length", "0")))
        except (OSError, asyncio.IncompleteReadError):
            self.close()
            raise
        return int(response_head[0].split()[1])

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def proc_status_kib(pid: int, key: str) -> int:
    """A `kB` line of /proc/PID/status, such as VmHWM (peak resident set) or VmRSS."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise BenchmarkError(f"no {key} in /proc/{pid}/status")


def proc_cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


@contextlib.contextmanager
def server(service: Path, port: int, env: dict[str, str], log: Path) -> Iterator[int]:
    """uvicorn serving the app factory; yields its pid once /health/ answers; always stopped."""
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=service, env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise BenchmarkError(
                    f"the server exited ({process.returncode}):\n{log.read_text()}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{port}/health/", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchmarkError(f"the server did not answer in 30 s:\n{log.read_text()}")
            time.sleep(0.1)
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def seed(client: httpx.AsyncClient, count: int) -> list[str]:
    """Create `count` items through the API, 8 at a time; return their ids."""
    semaphore = asyncio.Semaphore(8)

    async def one(n: int) -> str:
        async with semaphore:
            response = await client.post("/api/v1/items/", json=new_item(-n - 1))
            response.raise_for_status()
            item_id: str = response.json()["id"]
            return item_id

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def drive(
    senders: list[Sender],
    make_request: RequestFactory,
    expected: int,
    ids: list[str],
    seconds: float,
) -> Load:
    """One worker per sender, each sending request after request for `seconds`; time each."""
    load = Load()
    counter = iter(range(sys.maxsize))
    deadline = time.perf_counter() + seconds

    async def worker(send: Sender) -> None:
        while time.perf_counter() < deadline:
            method, url, body = make_request(ids, next(counter))
            started = time.perf_counter()
            try:
                status = await send(method, url, body)
            except (httpx.HTTPError, OSError, asyncio.IncompleteReadError) as error:
                load.error(type(error).__name__)
                continue
            load.latencies.append(time.perf_counter() - started)
            if status != expected:
                load.error(f"HTTP {status}")

    started, cpu_started = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker(send) for send in senders))
    load.seconds = time.perf_counter() - started
    load.client_cpu_seconds = time.process_time() - cpu_started
    return load


BENCH_EMAIL = "bench@bench.example"
BENCH_PASSWORD = "a benchmark password"


def create_bench_user(service: Path, env: dict[str, str], auth: str) -> None:
    if auth != "jwt":
        return  # oauth2_proxy creates the user on its first request
    command = [sys.executable, "-m", "app.cli", "create-user", BENCH_EMAIL]
    command += ["--password", BENCH_PASSWORD]
    result = subprocess.run(command, cwd=service, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchmarkError(f"create-user failed:\n{result.stdout}\n{result.stderr}")


def credentials(port: int, auth: str) -> dict[str, str]:
    """The headers every request carries to be signed in as the benchmark's user."""
    if auth == "oauth2_proxy":
        return {"X-Forwarded-Email": BENCH_EMAIL, "X-Forwarded-Preferred-Username": "bench"}
    if auth == "none":
        return {}
    response = httpx.post(
        f"http://127.0.0.1:{port}/api/v1/auth/login/",
        data={"username": BENCH_EMAIL, "password": BENCH_PASSWORD},
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def run_load(
    port: int, pid: int, arguments: argparse.Namespace, headers: dict[str, str]
) -> tuple[dict[str, Load], int]:
    limits = httpx.Limits(max_connections=arguments.concurrency)
    base_url = f"http://127.0.0.1:{port}"
    connections = [SocketConnection(port, headers) for _ in range(arguments.concurrency)]
    async with httpx.AsyncClient(
        base_url=base_url, limits=limits, timeout=30, headers=headers
    ) as client:
        ids = await seed(client, arguments.seed_items)
        random.Random(0).shuffle(ids)
        senders = [httpx_sender(client)] * arguments.concurrency
        if arguments.client == "sockets":
            senders = [connection.send for connection in connections]
        loads: dict[str, Load] = {}
        try:
            for label, expected, make_request in ENDPOINTS:
                if arguments.warmup > 0:
                    await drive(senders, make_request, expected, ids, arguments.warmup)
                cpu_before = proc_cpu_seconds(pid)
                load = await drive(senders, make_request, expected, ids, arguments.duration)
                load.server_cpu_seconds = proc_cpu_seconds(pid) - cpu_before
                loads[label] = load
                print(f"  {label}: {len(load.latencies) / load.seconds:.0f} requests/s")
        finally:
            for connection in connections:
                connection.close()
    return loads, len(ids)


def count_sql(
    service: Path, env: dict[str, str], headers: dict[str, str], extra: list[str] | None = None
) -> dict[str, Any]:
    """_sql_count.py's figures; `extra` names requests to count besides its usual ones."""
    command = [sys.executable, str(SQL_COUNTER), str(service), json.dumps(headers)]
    result = subprocess.run(
        [*command, json.dumps(extra or [])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchmarkError(f"counting SQL failed:\n{result.stdout}\n{result.stderr}")
    counted: dict[str, Any] = json.loads(result.stdout)
    return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--auth", choices=["jwt", "oauth2_proxy", "none"], default="jwt")
    parser.add_argument("--multi-tenant", choices=["yes", "no"], default="yes")
    parser.add_argument("--websockets", choices=["no", "yes"], default="no")
    parser.add_argument(
        "--redis-url", help="auth=jwt: keep revoked tokens in this Redis (REDIS_URL)"
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint (10)")
    parser.add_argument("--warmup", type=float, default=1.0, help="untimed seconds first (1)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight (16)")
    parser.add_argument(
        "--client",
        choices=["httpx", "sockets"],
        default="httpx",
        help="httpx.AsyncClient (default) or bare keep-alive sockets, which use less CPU",
    )
    parser.add_argument("--seed-items", type=int, default=200, help="items created first (200)")
    parser.add_argument(
        "--app-log-level",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        default="WARNING",
        help="the service's LOG_LEVEL (WARNING); INFO logs a line per request",
    )
    add_template_argument(parser)
    arguments = parser.parse_args()

    with contextlib.ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lockstep-app-")))
        env = clean_env()
        if arguments.database == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(postgres_database())
        answers = ["environment=current", f"database={arguments.database}"]
        answers += [f"auth={arguments.auth}", f"multi_tenant={arguments.multi_tenant}"]
        answers.append(f"websockets={arguments.websockets}")
        service = render(scratch, *answers, env=env, template=arguments.template).path
        env["LOG_LEVEL"] = arguments.app_log_level
        if arguments.redis_url:
            env["REDIS_URL"] = arguments.redis_url
        create_bench_user(service, env, arguments.auth)

        port = free_port()
        print(
            f"serving on 127.0.0.1:{port}, {arguments.concurrency} concurrent requests, "
            f"{arguments.duration:g} s per endpoint"
        )
        with server(service, port, env, scratch / "server.log") as pid:
            headers = credentials(port, arguments.auth)
            print("counting SQL per request (in-process)...")
            sql = count_sql(service, env, headers)
            rss_idle = proc_status_kib(pid, "VmRSS")
            loads, seeded = asyncio.run(run_load(port, pid, arguments, headers))
            rss_peak = proc_status_kib(pid, "VmHWM")

    steady = sql["steady"]
    rows = []
    endpoints: dict[str, Any] = {}
    for label, load in loads.items():
        latencies = sorted(load.latencies)
        rate = len(latencies) / load.seconds
        p50, p95 = percentile(latencies, 0.50) * 1000, percentile(latencies, 0.95) * 1000
        errors = sum(load.errors.values())
        cpu = load.server_cpu_seconds / load.seconds * 100
        client_cpu = load.client_cpu_seconds / load.seconds * 100
        statements = steady[label]["statements"]
        rows.append(
            [
                label,
                f"{rate:.0f}",
                f"{p50:.1f}",
                f"{p95:.1f}",
                errors,
                f"{cpu:.0f}%",
                f"{client_cpu:.0f}%",
                statements,
            ]
        )
        endpoints[label] = {
            "requests": len(latencies),
            "seconds": round(load.seconds, 3),
            "requests_per_second": round(rate, 1),
            "latency_ms": {"p50": round(p50, 2), "p95": round(p95, 2)},
            "errors": load.errors,
            "server_cpu_percent": round(cpu, 1),
            "client_cpu_percent": round(client_cpu, 1),
            "sql_statements_per_request": statements,
        }

    print(
        f"\napp throughput, database={arguments.database}, client={arguments.client}, "
        f"concurrency={arguments.concurrency}, {arguments.duration:g} s per endpoint, "
        f"{seeded} seeded items"
    )
    headers = ["endpoint", "req/s", "p50 ms", "p95 ms", "errors", "server CPU", "client CPU"]
    print_table([*headers, "SQL"], rows)
    print(f"server RSS: {rss_idle / 1024:.0f} MiB after start-up, {rss_peak / 1024:.0f} MiB peak")
    print("\nSQL per request (steady state), with transactions committed and connections used:")
    print_table(
        ["request", "statements", "commits", "rollbacks", "checkouts"],
        [
            [label, c["statements"], c["commits"], c["rollbacks"], c["checkouts"]]
            for label, c in steady.items()
        ],
    )
    for label, load in loads.items():
        if load.errors:
            print(f"warning: {label}: {load.errors}")

    variant = "" if arguments.database == "sqlite" else f"-{arguments.database}"
    variant += "" if arguments.client == "httpx" else f"-{arguments.client}"
    variant += "" if arguments.app_log_level == "WARNING" else f"-{arguments.app_log_level.lower()}"
    variant += "" if arguments.auth == "jwt" else f"-auth_{arguments.auth}"
    variant += "" if arguments.multi_tenant == "yes" else "-single_tenant"
    variant += "-redis" if arguments.redis_url else ""
    write_results(
        f"app_throughput{variant}",
        arguments.template,
        {
            "database": arguments.database,
            "auth": arguments.auth,
            "multi_tenant": arguments.multi_tenant,
            "revocations_in": "redis" if arguments.redis_url else "database",
            "client": arguments.client,
            "concurrency": arguments.concurrency,
            "duration_seconds": arguments.duration,
            "seeded_items": seeded,
            "app_log_level": arguments.app_log_level,
            "endpoints": endpoints,
            "server_rss_kib": {"after_start": rss_idle, "peak": rss_peak},
            "sql": sql,
        },
    )


if __name__ == "__main__":
    sys.exit(run_benchmark(main))
