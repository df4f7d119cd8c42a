"""Local provider simulators (a dev/test tool, never shipped in production images).

Each simulator is a small aiohttp server on loopback speaking one provider's real HTTP API shape,
so the channel service's real SDK clients can be pointed at it by configuration. They record
every request, answer like the provider, and can be told to fail (5xx), throttle (429) or slow
down, so failover, retries and idempotency are exercised for real.
"""

from lingxi_simulators.hub import ProviderSimulator, SimulatorHub

__all__ = ["ProviderSimulator", "SimulatorHub"]
