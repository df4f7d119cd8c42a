"""Authentication: bearer JWTs (OIDC or the development issuer) and partner API keys.

Both end in a :class:`~lingxi_common.identity.Caller`, the identity and data scope that travel to the
services. Routes depend on :data:`~lingxi_gateway.auth.dependencies.CurrentCaller` or
:func:`~lingxi_gateway.auth.dependencies.require_roles`.
"""
