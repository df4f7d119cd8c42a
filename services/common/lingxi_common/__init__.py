"""Lingxi's shared library: the plumbing every deployable uses the same way.

Configuration, database access, the transactional outbox, the JetStream bus, gRPC bootstrap,
identity and data scope, telemetry and JSON logs live here so that each service only writes
its domain.
"""
