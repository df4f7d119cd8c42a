"""OpenTelemetry traces and metrics for every Lingxi process.

Traces follow one request or event from the gateway through gRPC and NATS to the provider, so
context is injected into and extracted from gRPC metadata and NATS headers with the W3C
propagator. Metrics are recorded with the OpenTelemetry API and exposed to Prometheus (and to an
OTLP collector when configured) so that code records a metric once, whatever the backend.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableMapping

from opentelemetry import context as otel_context
from opentelemetry import metrics, propagate, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import MetricReader, PeriodicExportingMetricReader
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter

from lingxi_common.settings import CommonSettings

log = logging.getLogger(__name__)

_configured = False


def setup_telemetry(
    service_name: str,
    settings: CommonSettings,
    *,
    span_exporter: SpanExporter | None = None,
    prometheus: bool = True,
) -> None:
    """Install the global tracer and meter providers once per process.

    OpenTelemetry allows the global providers to be set only once, so later calls (several
    in-process services in one test) are no-ops; tests pass an in-memory `span_exporter` to the
    first call.
    """
    global _configured
    if _configured:
        return
    resource = Resource.create(
        {
            "service.name": f"lingxi-{service_name}",
            "service.namespace": "lingxi",
            "deployment.environment": settings.environment,
        }
    )
    tracer_provider = TracerProvider(resource=resource)
    if span_exporter is not None:
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor

        tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    if settings.otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        tracer_provider.add_span_processor(
            BatchSpanProcessor(OTLPSpanExporter(endpoint=settings.otlp_endpoint))
        )
    trace.set_tracer_provider(tracer_provider)

    readers: list[MetricReader] = []
    if prometheus:
        from opentelemetry.exporter.prometheus import PrometheusMetricReader

        readers.append(PrometheusMetricReader())
    if settings.otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.grpc.metric_exporter import OTLPMetricExporter

        readers.append(PeriodicExportingMetricReader(OTLPMetricExporter(endpoint=settings.otlp_endpoint)))
    metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=readers))
    _configured = True
    log.info("telemetry ready", extra={"otlp": bool(settings.otlp_endpoint)})


def start_metrics_server(port: int, host: str = "0.0.0.0") -> None:
    """Serve /metrics for Prometheus on its own port (services have no HTTP server otherwise)."""
    if port <= 0:
        return
    from prometheus_client import start_http_server

    start_http_server(port, addr=host)


def inject_headers(headers: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Write the current trace context (traceparent/tracestate) into message headers."""
    propagate.inject(headers)
    return headers


def extract_context(headers: Mapping[str, str] | None) -> otel_context.Context:
    """Read the trace context a producer wrote into message headers."""
    return propagate.extract(dict(headers or {}))


def tracer(name: str) -> trace.Tracer:
    return trace.get_tracer(name)


def meter(name: str) -> metrics.Meter:
    return metrics.get_meter(name)
