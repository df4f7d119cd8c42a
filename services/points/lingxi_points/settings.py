"""Configuration of the points service (the shared settings plus its own)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from lingxi_common.settings import ServiceSettings


class PointsSettings(ServiceSettings):
    """Settings of the points service (environment variables LINGXI_POINT_VALUE, …)."""

    point_value: Decimal = Field(
        default=Decimal("0.01"), gt=0, description="Value of one point in CNY, for the liability report"
    )
    jobs_interval: float = Field(
        default=300.0,
        gt=0,
        description="Seconds between runs of the scheduled jobs (expiry, pending, stale reservations)",
    )
    expiry_notice_days: tuple[int, ...] = Field(
        default=(30, 7), description="Days before expiry at which PointsExpiring notices are published"
    )
