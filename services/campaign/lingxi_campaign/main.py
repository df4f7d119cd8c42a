"""Wiring of the campaign service into the shared runtime (`lingxi serve campaign`)."""

from __future__ import annotations

from lingxi_campaign.grpc_api import register
from lingxi_campaign.handlers import consumers
from lingxi_campaign.models import outbox
from lingxi_campaign.settings import CampaignSettings
from lingxi_common.service import ServiceDefinition, run_service

DEFINITION = ServiceDefinition(
    name="campaign",
    settings_type=CampaignSettings,
    outbox=outbox,
    register=register,
    consumers=consumers,
)


def main() -> int:
    return run_service(DEFINITION)
