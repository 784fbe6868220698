"""Request logging: one line per request, with an id the client can quote back to us, and the
last resort for a bug: a JSON 500 that carries the id too."""

import json
import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.errors import INTERNAL_ERROR
from app.core.logging import request_id_var

REQUEST_ID_HEADER = b"x-request-id"
# A client's own request id is kept only when it is a short token: anything else (newlines,
# quotes, a megabyte) would end up in log lines, so it is replaced by one of ours.
CLIENT_REQUEST_ID = re.compile(rb"[A-Za-z0-9._:-]{1,64}")

logger = logging.getLogger("app.requests")


def request_id_of(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER and CLIENT_REQUEST_ID.fullmatch(value):
            return str(value.decode("ascii"))
    return uuid.uuid4().hex


class RequestLoggingMiddleware:
    """Plain ASGI, not BaseHTTPMiddleware: no task or stream per request, and streaming and
    background tasks are untouched. It is the service's access log (run uvicorn with
    `--no-access-log`, so each request is logged once)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        request_id = request_id_of(scope)
        header = (REQUEST_ID_HEADER, request_id.encode("ascii"))
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_code = 0

        async def send_with_request_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_request_id)
        except Exception:
            if status_code:  # the response has begun: nothing else can be sent
                raise
            logger.exception("unhandled error")
            await send_internal_error(send_with_request_id)
        finally:
            if logger.isEnabledFor(logging.INFO):
                elapsed_ms = (time.perf_counter() - started) * 1000
                method, path = scope["method"], scope["path"]
                logger.info("%s %s -> %d in %.1f ms", method, path, status_code, elapsed_ms)
            request_id_var.reset(token)


async def send_internal_error(send: Send) -> None:
    """A bug is still answered in the one JSON shape; the traceback went to the log."""
    body = json.dumps(INTERNAL_ERROR).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 500, "headers": headers})
    await send({"type": "http.response.body", "body": body})
