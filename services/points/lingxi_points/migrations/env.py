"""Alembic environment of the points service: the shared runner over this service's tables."""

from lingxi_common.migrations import run_env
from lingxi_points.models import metadata

run_env(metadata)
