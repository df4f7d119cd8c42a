"""Configuration of the product service (the shared settings plus its own)."""

from __future__ import annotations

from lingxi_common.settings import ServiceSettings


class ProductSettings(ServiceSettings):
    """Settings of the product service; its own knobs are added here as it grows."""
