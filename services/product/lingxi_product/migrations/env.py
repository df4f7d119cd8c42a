"""Alembic environment of the product service: the shared runner over this service's tables."""

from lingxi_common.migrations import run_env
from lingxi_product.models import metadata

run_env(metadata)
