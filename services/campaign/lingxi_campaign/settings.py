"""Configuration of the campaign service (the shared settings plus its own)."""

from __future__ import annotations

from lingxi_common.settings import ServiceSettings


class CampaignSettings(ServiceSettings):
    """Settings of the campaign service; its own knobs are added here as it grows."""
