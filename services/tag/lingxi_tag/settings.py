"""Configuration of the tag service (the shared settings plus its own)."""

from __future__ import annotations

from pydantic import Field

from lingxi_common.settings import ServiceSettings


class TagSettings(ServiceSettings):
    """Settings of the tag service."""

    daily_recompute_hour: int = Field(
        default=2,
        ge=0,
        le=23,
        description="Local (Asia/Shanghai) hour after which the daily recompute starts",
    )
    recompute_chunk: int = Field(
        default=1000, gt=0, le=20_000, description="Customers per recompute transaction"
    )
    index_refresh_seconds: float = Field(
        default=0.2, gt=0, description="How often the audience index applies new tag changes"
    )
