"""Configuration of the points service (the shared settings plus its own)."""

from __future__ import annotations

from lingxi_common.settings import ServiceSettings


class PointsSettings(ServiceSettings):
    """Settings of the points service; its own knobs are added here as it grows."""
