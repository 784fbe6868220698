"""Count the SQL a service runs per request: `python _sql_count.py SERVICE [HEADERS [EXTRA]]`.

HEADERS is a JSON object of headers every request carries (the sign-in credentials); EXTRA, a
JSON list of further requests to count after the usual ones, such as `["GET /api/v1/users/me/"]`.

Run by app_throughput.py in a subprocess, so the service's `app` package never mixes with the
benchmark's own imports. Builds the app with `create_app(Settings(...))` on the database that
DATABASE_URL (or the service's .env) names, starts its lifespan, listens on the engine, drives
each request through `httpx.ASGITransport` twice (the first round opens the pool's connection),
and prints JSON: per request, statements executed, transactions committed or rolled back,
connections checked out, and the statements themselves.
"""

import asyncio
import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any

# In this order: the POST makes the item the later requests read, change and delete.
REQUESTS = [
    "GET /health/",
    "GET /health/ready/",
    "POST /api/v1/items/",
    "GET /api/v1/items/{id}/",
    "PATCH /api/v1/items/{id}/",
    "GET /api/v1/items/?limit=50",
    "DELETE /api/v1/items/{id}/",
]
BODIES: dict[str, dict[str, str]] = {"PATCH": {"price": "3.75"}}


async def count(headers: dict[str, str], extra: list[str]) -> dict[str, Any]:
    from app.core.config import Settings  # type: ignore[import-not-found]
    from app.main import create_app  # type: ignore[import-not-found]
    from fastapi import FastAPI
    from httpx import ASGITransport, AsyncClient
    from sqlalchemy import event

    app: FastAPI = create_app(Settings(environment="test", log_level="WARNING"))
    seen: dict[str, list[str]] = {"statements": [], "commits": [], "rollbacks": [], "checkouts": []}

    def on_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen["statements"].append(" ".join(statement.split()))

    def on_commit(_conn: Any) -> None:
        seen["commits"].append("COMMIT")

    def on_rollback(_conn: Any) -> None:
        seen["rollbacks"].append("ROLLBACK")

    def on_checkout(*_args: Any) -> None:
        seen["checkouts"].append("checkout")

    async with app.router.lifespan_context(app):
        sync_engine = app.state.engine.sync_engine
        event.listen(sync_engine, "before_cursor_execute", on_statement)
        event.listen(sync_engine, "commit", on_commit)
        event.listen(sync_engine, "rollback", on_rollback)
        event.listen(sync_engine.pool, "checkout", on_checkout)
        transport = ASGITransport(app=app)
        rounds: list[dict[str, Any]] = []
        async with AsyncClient(
            transport=transport, base_url="http://bench", headers=headers
        ) as client:
            for _round in (1, 2):
                measured: dict[str, Any] = {}
                item_id = None
                for label in [*REQUESTS, *extra]:
                    method, _, path = label.partition(" ")
                    url = path.replace("{id}", str(item_id))
                    body = BODIES.get(method)
                    if method == "POST":
                        body = {"title": f"sql-count-{uuid.uuid4().hex}", "price": "2.50"}
                    for bucket in seen.values():
                        bucket.clear()
                    response = await client.request(method, url, json=body)
                    if method == "POST":
                        item_id = response.json()["id"]
                    measured[label] = {
                        "status": response.status_code,
                        "statements": len(seen["statements"]),
                        "commits": len(seen["commits"]),
                        "rollbacks": len(seen["rollbacks"]),
                        "checkouts": len(seen["checkouts"]),
                        "sql": [statement[:160] for statement in seen["statements"]],
                    }
                rounds.append(measured)
    return {"dialect": sync_engine.dialect.name, "first_round": rounds[0], "steady": rounds[1]}


def main() -> None:
    service = Path(sys.argv[1]).resolve()
    os.chdir(service)  # the service reads .env from its working directory
    sys.path.insert(0, str(service))
    headers = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    extra = json.loads(sys.argv[3]) if len(sys.argv) > 3 else []
    print(json.dumps(asyncio.run(count(headers, extra))))


if __name__ == "__main__":
    main()
