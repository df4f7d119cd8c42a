"""Lingxi API gateway: REST/OpenAPI in front of the gRPC services.

The gateway owns nothing but API keys, sessions and rate-limit state. It authenticates people and
partners, turns every failure into RFC 9457 problem+json, and forwards the caller's identity and data
scope to the services in gRPC metadata.
"""
