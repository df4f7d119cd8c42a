"""Alembic environment of the campaign service: the shared runner over this service's tables."""

from lingxi_common.migrations import run_env
from lingxi_campaign.models import metadata

run_env(metadata)
