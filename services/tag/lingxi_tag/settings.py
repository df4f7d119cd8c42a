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
    import_dir: str = Field(
        default="",
        description=(
            "Directory StartImport may read extracts from (LINGXI_IMPORT_DIR); a source_uri must "
            "name a file inside it. Empty = imports over gRPC are refused"
        ),
    )
    import_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description=(
            "An import whose process has not reported progress for this long is resumed by the next GetImport"
        ),
    )
    behavior_lanes: int = Field(
        default=2,
        ge=1,
        le=16,
        description=(
            "Concurrent transactions applying behaviour batches (tag-behavior-batches lanes): while "
            "one waits for PostgreSQL another runs its Python, so the event loop is not idle between "
            "round trips; more than two pay off only when PostgreSQL has cores to spare"
        ),
    )
    behavior_batch_size: int = Field(
        default=256, ge=1, le=1000, description="Most behaviour batches (messages) per transaction"
    )
