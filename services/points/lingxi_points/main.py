"""Wiring of the points service into the shared runtime (`lingxi serve points`)."""

from __future__ import annotations

from lingxi_common.service import ServiceDefinition, run_service
from lingxi_points.grpc_api import register
from lingxi_points.handlers import consumers, jobs
from lingxi_points.models import outbox
from lingxi_points.settings import PointsSettings

DEFINITION = ServiceDefinition(
    name="points",
    settings_type=PointsSettings,
    outbox=outbox,
    register=register,
    consumers=consumers,
    jobs=jobs,
)


def main() -> int:
    return run_service(DEFINITION)
