"""Sentry and OpenTelemetry start only when their settings are set; unset, neither Sentry nor
the tracing SDK, exporter and instrumentation are even imported (FastAPI and other libraries
import the OpenTelemetry API themselves when it is installed, and record nothing without a
provider). Ruff's TID253 keeps them out of the service's module-level imports."""

import logging
import sys
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
import sentry_sdk
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sentry_sdk.envelope import Envelope
from sentry_sdk.transport import Transport

from app.core.config import Settings
from app.core.middleware import NUL_REFUSED
from app.core.observability import start_error_reporting, start_tracing
from app.main import create_app
from tests.clients import client_for

UNSET_COSTS_NOTHING = (
    "sentry_sdk",
    "opentelemetry.exporter",
    "opentelemetry.instrumentation",
    "opentelemetry.sdk",
)


async def test_unset_nothing_is_imported(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With each of them unimportable, an app with neither setting starts and serves."""
    for name in list(sys.modules):
        if name.startswith(tuple(f"{package}." for package in UNSET_COSTS_NOTHING)):
            monkeypatch.setitem(sys.modules, name, None)
    for package in UNSET_COSTS_NOTHING:
        monkeypatch.setitem(sys.modules, package, None)

    app = create_app(settings)
    async with app.router.lifespan_context(app), client_for(app, {}) as client:
        response = await client.get("/health/")

    assert response.status_code == 200


async def test_tracing_exports_a_span_per_request(settings: Settings) -> None:
    app = FastAPI()

    @app.get("/ping/")
    async def ping() -> dict[str, str]:
        return {"ping": "pong"}

    exporter = InMemorySpanExporter()
    assert start_tracing(app, settings, exporter=exporter)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as client:
        await client.get("/ping/")

    assert any(span.name == "GET /ping/" for span in exporter.get_finished_spans())


class CapturingTransport(Transport):
    """Keeps the events Sentry would send."""

    events: ClassVar[list[dict[str, Any]]] = []

    def capture_envelope(self, envelope: Envelope) -> None:
        event = envelope.get_event()
        if event is not None:
            self.events.append(dict(event))


@pytest.fixture
def error_reporting(settings: Settings) -> Iterator[None]:
    """Sentry on, sending to CapturingTransport; off again afterwards, for the rest of the suite
    (its integrations stay patched into Starlette, so a recording client must not stay)."""
    configured = settings.model_copy(update={"sentry_dsn": "https://key@sentry.example/1"})
    assert start_error_reporting(configured, transport=CapturingTransport)
    yield
    sentry_sdk.get_global_scope().set_client(None)


@pytest.mark.usefixtures("error_reporting")
def test_error_reporting_sends_error_log_lines() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("app.requests").exception("unhandled error")
    sentry_sdk.flush()

    assert any("RuntimeError" in str(event.get("exception")) for event in CapturingTransport.events)


@pytest.mark.usefixtures("error_reporting")
async def test_error_reporting_reads_no_request_body(client: AsyncClient) -> None:
    """Sentry would read (and send) a body before the route does, and swallow the refusal of
    one the service must not store."""
    response = await client.post(
        "/api/v1/items/",
        content=b'{"title": "a\\u0000b", "price": "1"}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["detail"] == NUL_REFUSED


def test_unset_settings_start_nothing(settings: Settings) -> None:
    assert not start_error_reporting(settings)
    assert not start_tracing(FastAPI(), settings)
