"""The problems authentication answers with.

401 responses carry an RFC 6750 ``WWW-Authenticate: Bearer`` challenge, so standard HTTP clients and
OIDC libraries know to (re)acquire a token; the reason goes in the problem's ``detail`` too.
"""

from __future__ import annotations

from lingxi_gateway.problems import ProblemError

REALM = "lingxi"


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "'")


def unauthorized(detail: str, *, invalid_token: bool = True) -> ProblemError:
    """401 for missing (``invalid_token=False``) or rejected credentials."""
    challenge = f'Bearer realm="{REALM}"'
    if invalid_token:
        challenge += f', error="invalid_token", error_description="{_quoted(detail)}"'
    return ProblemError(401, detail, headers={"WWW-Authenticate": challenge})


def forbidden(detail: str) -> ProblemError:
    """403: authenticated, but the role or scope does not allow the request."""
    return ProblemError(403, detail)


def issuer_unavailable(detail: str) -> ProblemError:
    """503: tokens cannot be checked because the issuer's keys cannot be fetched (not the client's fault)."""
    return ProblemError(503, detail, slug="issuer-unavailable", headers={"Retry-After": "5"})
