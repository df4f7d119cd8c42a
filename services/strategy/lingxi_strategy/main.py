"""Wiring of the strategy service into the shared runtime (`lingxi serve strategy`)."""

from __future__ import annotations

from lingxi_common.service import ServiceDefinition, run_service
from lingxi_strategy.grpc_api import register
from lingxi_strategy.handlers import consumers
from lingxi_strategy.models import outbox
from lingxi_strategy.settings import StrategySettings

DEFINITION = ServiceDefinition(
    name="strategy",
    settings_type=StrategySettings,
    outbox=outbox,
    register=register,
    consumers=consumers,
)


def main() -> int:
    return run_service(DEFINITION)
