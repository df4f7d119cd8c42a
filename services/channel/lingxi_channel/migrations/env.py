"""Alembic environment of the channel service: the shared runner over this service's tables."""

from lingxi_channel.models import metadata
from lingxi_common.migrations import run_env

run_env(metadata)
