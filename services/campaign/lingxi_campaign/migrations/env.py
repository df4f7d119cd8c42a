"""Alembic environment of the campaign service: the shared runner over this service's tables."""

from lingxi_campaign.models import metadata
from lingxi_common.migrations import run_env

run_env(metadata)
