"""Where the keys that verify bearer tokens come from.

Three sources, in order: keys configured locally (the development issuer's, and/or a PEM public key
from configuration), then the OIDC provider's JWKS, fetched over HTTP and cached by PyJWKClient. Each
key is bound to exactly one algorithm derived from the key itself, never from the token header, which
closes the classic algorithm-confusion attacks (``none``, HS256 signed with a public key).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt import PyJWKClient
from jwt.exceptions import PyJWKClientConnectionError, PyJWKClientError, PyJWTError

ALLOWED_ALGORITHMS = frozenset({"RS256", "ES256"})


class UnknownKeyError(Exception):
    """No trusted key matches the token (the token is rejected: 401)."""


class KeySourceUnavailableError(Exception):
    """The issuer's JWKS could not be fetched (a server-side problem: 503)."""


@dataclass(frozen=True)
class VerificationKey:
    """A public key and the single algorithm it may verify."""

    key: Any
    algorithm: str
    kid: str | None = None


def algorithm_for(public_key: object) -> str:
    """RS256 for RSA keys, ES256 for EC P-256 keys; anything else is not accepted."""
    if isinstance(public_key, rsa.RSAPublicKey):
        return "RS256"
    if isinstance(public_key, ec.EllipticCurvePublicKey) and isinstance(public_key.curve, ec.SECP256R1):
        return "ES256"
    raise ValueError("only RSA (RS256) and EC P-256 (ES256) keys are accepted")


def key_from_pem(pem: str, kid: str | None = None) -> VerificationKey:
    public_key = load_pem_public_key(pem.encode())
    return VerificationKey(key=public_key, algorithm=algorithm_for(public_key), kid=kid)


class SigningKeys:
    """Resolves the verification key for a token's ``kid``."""

    def __init__(
        self,
        static_keys: Sequence[VerificationKey] = (),
        *,
        jwks_url: str | None = None,
        jwks_cache_seconds: int = 300,
        jwks_timeout_seconds: float = 5.0,
    ) -> None:
        self._static = list(static_keys)
        self._jwks = (
            PyJWKClient(
                jwks_url,
                cache_jwk_set=True,
                lifespan=jwks_cache_seconds,
                timeout=jwks_timeout_seconds,
                headers={"User-Agent": "lingxi-gateway"},
            )
            if jwks_url
            else None
        )
        if not self._static and self._jwks is None:
            raise ValueError("no token verification key configured")

    async def resolve(self, kid: str | None) -> VerificationKey:
        if kid is not None:
            for candidate in self._static:
                if candidate.kid == kid:
                    return candidate
            if self._jwks is not None:
                return await self._from_jwks(kid)
        unnamed = [candidate for candidate in self._static if candidate.kid is None]
        if len(unnamed) == 1:
            return unnamed[0]
        if kid is None and len(self._static) == 1:
            return self._static[0]
        raise UnknownKeyError(
            "the token's signing key is not trusted" if kid else "the token names no key (kid)"
        )

    async def _from_jwks(self, kid: str) -> VerificationKey:
        assert self._jwks is not None
        try:
            # PyJWKClient does blocking HTTP on a cache miss; keep it off the event loop.
            jwk = await asyncio.to_thread(self._jwks.get_signing_key, kid)
        except PyJWKClientConnectionError as error:
            raise KeySourceUnavailableError("the token issuer's keys cannot be fetched") from error
        except (PyJWKClientError, PyJWTError) as error:
            raise UnknownKeyError("the token's signing key is not trusted") from error
        try:
            algorithm = algorithm_for(jwk.key)
        except ValueError as error:
            raise UnknownKeyError("the token's signing key type is not accepted") from error
        if jwk.algorithm_name and jwk.algorithm_name != algorithm:
            raise UnknownKeyError("the token's signing key is published for another algorithm")
        return VerificationKey(key=jwk.key, algorithm=algorithm, kid=kid)
