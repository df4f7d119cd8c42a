"""Wiring of the channel service into the shared runtime (`lingxi serve channel`)."""

from __future__ import annotations

from lingxi_channel.grpc_api import register
from lingxi_channel.handlers import consumers, jobs
from lingxi_channel.models import outbox
from lingxi_channel.settings import ChannelSettings
from lingxi_common.service import ServiceDefinition, run_service

DEFINITION = ServiceDefinition(
    name="channel",
    settings_type=ChannelSettings,
    outbox=outbox,
    register=register,
    consumers=consumers,
    jobs=jobs,
)


def main() -> int:
    return run_service(DEFINITION)
