"""Configuration of the tag service (the shared settings plus its own)."""

from __future__ import annotations

from lingxi_common.settings import ServiceSettings


class TagSettings(ServiceSettings):
    """Settings of the tag service; its own knobs are added here as it grows."""
