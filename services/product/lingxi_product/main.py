"""Wiring of the product service into the shared runtime (`lingxi serve product`)."""

from __future__ import annotations

from lingxi_common.service import ServiceDefinition, run_service
from lingxi_product.grpc_api import register
from lingxi_product.handlers import consumers, jobs
from lingxi_product.models import outbox
from lingxi_product.settings import ProductSettings

DEFINITION = ServiceDefinition(
    name="product",
    settings_type=ProductSettings,
    outbox=outbox,
    register=register,
    consumers=consumers,
    jobs=jobs,
)


def main() -> int:
    return run_service(DEFINITION)
