"""Verify a bearer JWT and turn its claims into a Caller.

Only asymmetric signatures are accepted (RS256, ES256): the gateway must never hold a secret that
could also mint tokens. Expiry, not-before, issued-at, issuer and audience are all checked, with a
small leeway for clock skew. The role and data-scope claims must describe a valid Caller, or the
token is refused — a branch manager without a branch would otherwise see nothing or, worse, all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from jwt.exceptions import (
    ExpiredSignatureError,
    ImmatureSignatureError,
    InvalidAudienceError,
    InvalidIssuedAtError,
    InvalidIssuerError,
    InvalidSignatureError,
    MissingRequiredClaimError,
    PyJWTError,
)

from lingxi_common.identity import HUMAN_ROLES, Caller, IdentityError, Role
from lingxi_gateway.auth.keys import ALLOWED_ALGORITHMS, SigningKeys, UnknownKeyError

MAX_TOKEN_LENGTH = 8192
_REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub"]
_SCOPE_CLAIMS = ("branch_id", "advisor_id", "customer_id")


class TokenRejected(Exception):
    """The token is not acceptable; the message is safe to show the client."""


@dataclass(frozen=True)
class VerifiedToken:
    caller: Caller
    expires_at: datetime
    token_id: str | None


def _reason(error: PyJWTError) -> str:
    if isinstance(error, ExpiredSignatureError):
        return "the token has expired"
    if isinstance(error, ImmatureSignatureError):
        return "the token is not valid yet"
    if isinstance(error, InvalidAudienceError):
        return "the token is for another audience"
    if isinstance(error, InvalidIssuerError):
        return "the token is from an untrusted issuer"
    if isinstance(error, InvalidIssuedAtError):
        return "the token's issued-at time is invalid"
    if isinstance(error, InvalidSignatureError):
        return "the token's signature is invalid"
    if isinstance(error, MissingRequiredClaimError):
        return f"the token lacks the {error.claim!r} claim"
    return "the token is malformed"


def _optional_str(claims: dict[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TokenRejected(f"the {name!r} claim must be a string")
    return value


def caller_from_claims(claims: dict[str, Any]) -> Caller:
    """Map verified claims to a Caller; only human roles may arrive by token."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenRejected("the 'sub' claim must be a non-empty string")
    role_text = claims.get("role")
    try:
        role = Role(role_text) if isinstance(role_text, str) else None
    except ValueError:
        role = None
    if role is None or role not in HUMAN_ROLES:
        raise TokenRejected("the 'role' claim is missing or not a Lingxi role")
    scope = {name: _optional_str(claims, name) for name in _SCOPE_CLAIMS}
    try:
        return Caller(subject=subject, role=role, **scope)
    except IdentityError as error:
        raise TokenRejected(f"the token's scope is incomplete: {error}") from error


class TokenVerifier:
    """Checks signature and registered claims, then builds the Caller."""

    def __init__(self, keys: SigningKeys, *, issuer: str, audience: str, leeway_seconds: int = 30) -> None:
        self._keys = keys
        self._issuer = issuer
        self._audience = audience
        self._leeway = leeway_seconds

    async def verify(self, token: str) -> VerifiedToken:
        """Return the verified caller or raise TokenRejected (or KeySourceUnavailableError)."""
        if len(token) > MAX_TOKEN_LENGTH:
            raise TokenRejected("the token is too long")
        try:
            header = jwt.get_unverified_header(token)
        except PyJWTError as error:
            raise TokenRejected("the token is malformed") from error
        algorithm = header.get("alg")
        if algorithm not in ALLOWED_ALGORITHMS:
            raise TokenRejected(f"the token's algorithm {algorithm!r} is not accepted (RS256 or ES256 only)")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise TokenRejected("the token's key id is malformed")
        try:
            key = await self._keys.resolve(kid)
        except UnknownKeyError as error:
            raise TokenRejected(str(error)) from error
        if key.algorithm != algorithm:
            raise TokenRejected("the token's algorithm does not match its key")
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": _REQUIRED_CLAIMS},
            )
        except PyJWTError as error:
            raise TokenRejected(_reason(error)) from error
        token_id = claims.get("jti")
        return VerifiedToken(
            caller=caller_from_claims(claims),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), tz=UTC),
            token_id=token_id if isinstance(token_id, str) else None,
        )
