"""Alembic environment of the channel service: the shared runner over this service's tables."""

from lingxi_common.migrations import run_env
from lingxi_channel.models import metadata

run_env(metadata)
