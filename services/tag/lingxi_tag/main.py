"""Wiring of the tag service into the shared runtime (`lingxi serve tag`)."""

from __future__ import annotations

from lingxi_common.service import ServiceDefinition, run_service
from lingxi_tag.grpc_api import register
from lingxi_tag.handlers import consumers, jobs
from lingxi_tag.models import outbox
from lingxi_tag.settings import TagSettings

DEFINITION = ServiceDefinition(
    name="tag",
    settings_type=TagSettings,
    outbox=outbox,
    register=register,
    consumers=consumers,
    jobs=jobs,
)


def main() -> int:
    return run_service(DEFINITION)
