"""Configuration of the product service (the shared settings plus its own)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from lingxi_common.settings import ServiceSettings


class ProductSettings(ServiceSettings):
    """Settings of the product service (environment variables LINGXI_<FIELD>)."""

    tag_addr: str = Field(
        default="127.0.0.1:50051",
        description="host:port of the tag service for single suitability checks; empty = projection only",
    )
    tag_timeout_seconds: float = Field(default=2.0, gt=0)
    risk_free_rate: Decimal = Field(
        default=Decimal("0.015"), ge=0, lt=1, description="annual risk-free rate for Sharpe and Sortino"
    )
    daily_run_at: str = Field(
        default="20:30",
        pattern=r"^([01]\d|2[0-3]):[0-5]\d$",
        description="Asia/Shanghai time of the daily metrics recompute and date-event sweep (after NAVs)",
    )
    daily_jobs_enabled: bool = Field(
        default=True, description="run the daily recompute/sweep in this process"
    )
    notice_days: int = Field(
        default=3, ge=0, le=30, description="days before maturity / subscription close to announce (T-3)"
    )
    projection_refresh_seconds: float = Field(
        default=2.0,
        gt=0,
        description="how often a replica reads new customer_risk rows into its in-memory columns "
        "(batches also refresh before deciding)",
    )
    snapshot_timeout_seconds: float = Field(
        default=60.0,
        gt=0,
        description="deadline of each ExportSnapshotMembers page read from the tag service",
    )
    snapshot_wait_seconds: float = Field(
        default=20.0,
        gt=0,
        lt=28,
        description="how long a CheckBatch waits for a snapshot's members to be read from the tag service "
        "before answering UNAVAILABLE (the read goes on; below the 30 s RPC limit)",
    )
    preread_snapshots: bool = Field(
        default=True,
        description="read an audience snapshot's members when the tag service announces it "
        "(AudienceSnapshotCreated), so the first CheckBatch on it finds them resolved",
    )
    import_poll_seconds: float = Field(
        default=1.0, gt=0, description="how often the import worker looks for queued series imports"
    )
    import_stale_seconds: float = Field(
        default=120.0,
        gt=0,
        description="a running import whose worker has not reported for this long is taken over",
    )
