"""Configuration of the channel service (the shared settings plus its own)."""

from __future__ import annotations

from lingxi_common.settings import ServiceSettings


class ChannelSettings(ServiceSettings):
    """Settings of the channel service; its own knobs are added here as it grows."""
