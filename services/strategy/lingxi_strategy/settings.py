"""Configuration of the strategy service (the shared settings plus its own)."""

from __future__ import annotations

from lingxi_common.settings import ServiceSettings


class StrategySettings(ServiceSettings):
    """Settings of the strategy service; its own knobs are added here as it grows."""
