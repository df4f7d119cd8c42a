"""Alembic environment of the strategy service: the shared runner over this service's tables."""

from lingxi_common.migrations import run_env
from lingxi_strategy.models import metadata

run_env(metadata)
