"""Test harness shared by every Lingxi package: real PostgreSQL and NATS, never mocks.

`plugin` is loaded by pytest for the whole repository (``-p lingxi_common.testing.plugin`` in
pyproject.toml) and provides the fixtures; `servers` decides where the servers come from
(DATABASE_URL / NATS_URL, testcontainers when Docker answers, else the embedded servers of
`lingxi_common.runtime`). Tests import only the types from here.
"""

from lingxi_common.testing.servers import NatsServer, PostgresServer

__all__ = ["NatsServer", "PostgresServer"]
