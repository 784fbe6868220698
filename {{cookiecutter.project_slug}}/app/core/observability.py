"""Error reporting (Sentry) and tracing (OpenTelemetry over OTLP/HTTP), each switched on by its
setting. Unset, they cost nothing: Sentry, the exporter and the instrumentation are not even
imported."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI

from app.core.config import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter


def start_error_reporting(settings: Settings, **options: Any) -> bool:
    """Send errors (and error log lines) to SENTRY_DSN, without personal data: no cookies or
    headers with credentials (Sentry's defaults), and no request bodies, which Sentry would
    otherwise read before the service has checked them."""
    if settings.sentry_dsn is None:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.logging import LoggingIntegration

    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        environment=settings.environment,
        max_request_body_size="never",
        # An ERROR line (a bug the middleware answered with a 500) is an event: since
        # sentry-sdk 3, only when asked for.
        integrations=[LoggingIntegration(event_level=logging.ERROR)],
        **options,
    )
    return True


def start_tracing(app: FastAPI, settings: Settings, exporter: SpanExporter | None = None) -> bool:
    """A span per request, exported in batches to OTEL_EXPORTER_OTLP_ENDPOINT."""
    if settings.otel_exporter_otlp_endpoint is None and exporter is None:
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": settings.project_name}))
    if exporter is None:
        endpoint = f"{settings.otel_exporter_otlp_endpoint}/v1/traces"
        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    else:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider)
    return True
