"""Alembic environment of the tag service: the shared runner over this service's tables."""

from lingxi_common.migrations import run_env
from lingxi_tag.models import metadata

run_env(metadata)
