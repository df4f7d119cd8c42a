"""Bearer tokens, API keys, roles and scopes, end to end through the app."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI
from gateway_testkit import assert_problem, bearer
from jwt.algorithms import ECAlgorithm
from pydantic import ValidationError

from lingxi_common.settings import describe_validation_error
from lingxi_gateway.auth.api_keys import generate_key
from lingxi_gateway.auth.dev_issuer import DevIssuer, build_caller
from lingxi_gateway.settings import GatewaySettings

PROD_TOKEN = "a-production-service-token-of-some-length"
PROD_SECRETS = {"service_token": PROD_TOKEN, "pii_key": base64.b64encode(b"p" * 32).decode()}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(issuer: DevIssuer, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": issuer.issuer,
        "aud": issuer.audience,
        "sub": "u-1",
        "role": "hq_operator",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return {key: value for key, value in claims.items() if value is not None}


def _sign(issuer: DevIssuer, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, issuer.private_key, algorithm="RS256", headers={"kid": issuer.kid})


def assert_unauthorized(response: httpx.Response, *, reason: str | None = None) -> dict[str, Any]:
    body = assert_problem(response, 401)
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith('Bearer realm="lingxi"')
    if reason is not None:
        assert reason in body["detail"], body
        assert 'error="invalid_token"' in challenge
    return body


async def test_valid_dev_token_reaches_me(client: httpx.AsyncClient, token_for: Callable[..., str]) -> None:
    response = await client.get("/api/v1/me", headers=bearer(token_for("hq_operator")))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["role"] == "hq_operator"
    assert body["auth_method"] == "bearer"
    assert body["data_scope"] == {"kind": "all", "branch_id": None, "advisor_id": None, "customer_id": None}
    assert body["may_read_pii"] is False
    assert body["token_expires_at"]


async def test_scope_claims_become_the_data_scope(
    client: httpx.AsyncClient, token_for: Callable[..., str]
) -> None:
    response = await client.get("/api/v1/me", headers=bearer(token_for("branch_manager", branch_id="B042")))
    assert response.json()["data_scope"]["kind"] == "branch"
    assert response.json()["data_scope"]["branch_id"] == "B042"
    response = await client.get("/api/v1/me", headers=bearer(token_for("customer", customer_id="C9")))
    assert response.json()["data_scope"] == {
        "kind": "self",
        "branch_id": None,
        "advisor_id": None,
        "customer_id": "C9",
    }


async def test_missing_credentials(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me")
    body = assert_unauthorized(response)
    assert response.headers["www-authenticate"] == 'Bearer realm="lingxi"'
    assert "authentication required" in body["detail"]
    assert body["instance"] == "/api/v1/me"


async def test_expired_token(client: httpx.AsyncClient, issuer: DevIssuer) -> None:
    token = issuer.issue(build_caller(role="hq_operator"), ttl_seconds=60, now=time.time() - 3600)
    assert_unauthorized(await client.get("/api/v1/me", headers=bearer(token)), reason="expired")


async def test_token_not_yet_valid(client: httpx.AsyncClient, issuer: DevIssuer) -> None:
    later = int(time.time()) + 3600
    token = _sign(issuer, _claims(issuer, iat=later, nbf=later, exp=later + 600))
    assert_unauthorized(await client.get("/api/v1/me", headers=bearer(token)), reason="not valid yet")


async def test_forged_token_signed_by_another_key(client: httpx.AsyncClient, issuer: DevIssuer) -> None:
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = DevIssuer(private_key=other_key, issuer=issuer.issuer, audience=issuer.audience)
    token_with_own_kid = forged.issue(build_caller(role="hq_operator"))
    token_claiming_our_kid = jwt.encode(
        _claims(issuer), other_key, algorithm="RS256", headers={"kid": issuer.kid}
    )
    assert_unauthorized(
        await client.get("/api/v1/me", headers=bearer(token_with_own_kid)), reason="not trusted"
    )
    assert_unauthorized(
        await client.get("/api/v1/me", headers=bearer(token_claiming_our_kid)), reason="signature"
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "someone-else"}, "audience"),
        ({"iss": "https://evil.example"}, "issuer"),
        ({"exp": None}, "'exp'"),
        ({"role": "superuser"}, "role"),
        ({"role": "service"}, "role"),
        ({"role": "branch_manager"}, "branch_id"),
        ({"sub": ""}, "sub"),
    ],
)
async def test_wrong_claims(
    client: httpx.AsyncClient, issuer: DevIssuer, overrides: dict[str, Any], reason: str
) -> None:
    token = _sign(issuer, _claims(issuer, **overrides))
    assert_unauthorized(await client.get("/api/v1/me", headers=bearer(token)), reason=reason)


async def test_alg_none_is_rejected(client: httpx.AsyncClient, issuer: DevIssuer) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": issuer.kid}).encode())
    payload = _b64(json.dumps(_claims(issuer)).encode())
    unsigned = f"{header}.{payload}."
    assert_unauthorized(
        await client.get("/api/v1/me", headers=bearer(unsigned)), reason="'none' is not accepted"
    )
    assert_unauthorized(await client.get("/api/v1/me", headers=bearer(unsigned[:-1])), reason="malformed")


async def test_hs256_signed_with_the_public_key_is_rejected(
    client: httpx.AsyncClient, issuer: DevIssuer
) -> None:
    # The classic confusion attack: HMAC keyed with the (public) verification key.
    public_pem = issuer.public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": issuer.kid}).encode())
    payload = _b64(json.dumps(_claims(issuer)).encode())
    signature = _b64(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    token = f"{header}.{payload}.{signature}"
    assert_unauthorized(await client.get("/api/v1/me", headers=bearer(token)), reason="HS256")


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "e30.e30.", "x" * 9000])
async def test_malformed_tokens(client: httpx.AsyncClient, token: str) -> None:
    assert_unauthorized(await client.get("/api/v1/me", headers=bearer(token)), reason="token")


async def test_non_bearer_authorization_header(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_unauthorized(response, reason="Bearer <token>")


async def test_role_not_allowed_is_403(client: httpx.AsyncClient, token_for: Callable[..., str]) -> None:
    allowed = await client.get("/test/compliance-only", headers=bearer(token_for("compliance")))
    assert allowed.status_code == 200
    response = await client.get(
        "/test/compliance-only", headers=bearer(token_for("advisor", advisor_id="A1"))
    )
    body = assert_problem(response, 403)
    assert "advisor" in body["detail"]
    assert "www-authenticate" not in response.headers


# --- API keys ----------------------------------------------------------------------------------


@pytest.fixture
def api_key_setup(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    writer_key, writer = generate_key(
        "acme", key_id="acme-1", scopes=["events:write"], rate_limit_per_minute=2
    )
    reader_key, reader = generate_key("globex", key_id="globex-1")
    path = tmp_path / "api-keys.json"
    path.write_text(json.dumps([writer.model_dump(mode="json"), reader.model_dump(mode="json")]))
    return path, {"writer": writer_key, "reader": reader_key}


async def test_api_keys(
    build_app: Callable[..., FastAPI],
    open_client: Callable[..., Any],
    api_key_setup: tuple[Path, dict[str, str]],
) -> None:
    path, keys = api_key_setup
    assert keys["writer"] not in path.read_text()  # only hashes are stored
    async with open_client(build_app(api_keys_file=path)) as client:
        response = await client.get("/api/v1/me", headers={"X-API-Key": keys["reader"]})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["role"] == "partner"
        assert body["subject"] == "partner:globex"
        assert body["auth_method"] == "api_key"
        assert body["key_id"] == "globex-1"
        assert body["data_scope"]["kind"] == "none"

        invalid = await client.get("/api/v1/me", headers={"X-API-Key": keys["reader"] + "x"})
        assert_unauthorized(invalid, reason="API key")

        both = await client.get(
            "/api/v1/me", headers={"X-API-Key": keys["reader"], "Authorization": "Bearer abc"}
        )
        assert_unauthorized(both, reason="not both")

        scoped = await client.get("/test/events-writer", headers={"X-API-Key": keys["writer"]})
        assert scoped.json() == {"key_id": "acme-1"}
        unscoped = await client.get("/test/events-writer", headers={"X-API-Key": keys["reader"]})
        assert "events:write" in assert_problem(unscoped, 403)["detail"]


def test_bad_api_keys_file_names_the_variable(build_app: Callable[..., FastAPI], tmp_path: Path) -> None:
    from lingxi_gateway.app import GatewayConfigError

    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{"key_id": "k", "key_sha256": "nothex", "partner_id": "p"}]))
    with pytest.raises(GatewayConfigError) as caught:
        build_app(api_keys_file=path)
    assert caught.value.variable == "LINGXI_API_KEYS_FILE"
    assert "key_sha256" in str(caught.value)


# --- external issuers: PEM public key and JWKS ---------------------------------------------------


async def test_es256_token_verified_with_configured_public_key(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any]
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    app = build_app(jwt_public_key_pem=pem.decode(), jwt_issuer="https://idp.test", jwt_audience="lingxi")
    now = int(time.time())
    claims = {
        "iss": "https://idp.test",
        "aud": "lingxi",
        "sub": "s1",
        "role": "sre",
        "iat": now,
        "exp": now + 60,
    }
    async with open_client(app) as client:
        good = await client.get("/api/v1/me", headers=bearer(jwt.encode(claims, key, algorithm="ES256")))
        assert good.status_code == 200, good.text
        assert good.json()["role"] == "sre"
        # An RSA-signed token cannot pass as this EC key, whatever its header claims.
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        bad = await client.get("/api/v1/me", headers=bearer(jwt.encode(claims, rsa_key, algorithm="RS256")))
        assert_unauthorized(bad)


class _JwksHandler(BaseHTTPRequestHandler):
    body: bytes = b""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def jwks_server() -> Iterator[tuple[str, ec.EllipticCurvePrivateKey]]:
    """A real HTTP server publishing an EC key as a JWKS, like an OIDC provider."""
    key = ec.generate_private_key(ec.SECP256R1())
    jwk = ECAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwk.update({"kid": "idp-key-1", "use": "sig", "alg": "ES256"})
    handler = type("Handler", (_JwksHandler,), {"body": json.dumps({"keys": [jwk]}).encode()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json", key
    finally:
        server.shutdown()
        server.server_close()


async def test_production_verifies_with_jwks_and_refuses_dev_tokens(
    build_app: Callable[..., FastAPI],
    open_client: Callable[..., Any],
    jwks_server: tuple[str, ec.EllipticCurvePrivateKey],
    dev_key_path: Path,
) -> None:
    url, key = jwks_server
    app = build_app(environment="production", jwt_jwks_url=url, jwt_issuer="https://idp.test", **PROD_SECRETS)
    assert app.state.gateway.dev_issuer is None
    assert not await asyncio.to_thread(dev_key_path.exists)  # production never creates the dev key
    now = int(time.time())
    claims = {
        "iss": "https://idp.test",
        "aud": "lingxi",
        "sub": "adv-7",
        "role": "advisor",
        "advisor_id": "A7",
        "iat": now,
        "exp": now + 60,
    }
    token = jwt.encode(claims, key, algorithm="ES256", headers={"kid": "idp-key-1"})
    async with open_client(app) as client:
        response = await client.get("/api/v1/me", headers=bearer(token))
        assert response.status_code == 200, response.text
        assert response.json()["data_scope"]["advisor_id"] == "A7"

        unknown_kid = jwt.encode(claims, key, algorithm="ES256", headers={"kid": "rotated-away"})
        assert_unauthorized(await client.get("/api/v1/me", headers=bearer(unknown_kid)), reason="not trusted")

        dev = DevIssuer(
            private_key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
            issuer="https://idp.test",
            audience="lingxi",
        )
        dev_token = dev.issue(build_caller(role="hq_operator"))
        assert_unauthorized(await client.get("/api/v1/me", headers=bearer(dev_token)))

        jwks = await client.get("/.well-known/jwks.json")
        assert_problem(jwks, 404)


async def test_unreachable_jwks_is_503_not_401(
    build_app: Callable[..., FastAPI], open_client: Callable[..., Any], issuer_port: int
) -> None:
    app = build_app(
        environment="production",
        jwt_jwks_url=f"http://127.0.0.1:{issuer_port}/jwks",
        jwt_issuer="https://idp",
        **PROD_SECRETS,
    )
    key = ec.generate_private_key(ec.SECP256R1())
    token = jwt.encode({"sub": "x"}, key, algorithm="ES256", headers={"kid": "k"})
    async with open_client(app) as client:
        response = await client.get("/api/v1/me", headers=bearer(token))
    body = assert_problem(response, 503)
    assert body["type"] == "urn:lingxi:problem:issuer-unavailable"


@pytest.fixture
def issuer_port() -> int:
    from gateway_testkit import free_port

    return free_port()


def test_production_requires_issuer_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGXI_ENVIRONMENT", "production")
    monkeypatch.setenv("LINGXI_SERVICE_TOKEN", PROD_TOKEN)
    monkeypatch.setenv("LINGXI_PII_KEY", PROD_SECRETS["pii_key"])
    monkeypatch.setenv("LINGXI_JWT_ISSUER", "https://idp.test")
    monkeypatch.delenv("LINGXI_JWT_JWKS_URL", raising=False)
    monkeypatch.delenv("LINGXI_JWT_PUBLIC_KEY_PEM", raising=False)
    with pytest.raises(ValidationError) as caught:
        GatewaySettings()
    message = describe_validation_error(caught.value, GatewaySettings)
    assert "LINGXI_JWT_JWKS_URL" in message
    assert "production" in message

    monkeypatch.setenv("LINGXI_JWT_JWKS_URL", "https://idp.test/jwks")
    monkeypatch.setenv("LINGXI_JWT_ISSUER", "lingxi-dev")
    with pytest.raises(ValidationError) as caught:
        GatewaySettings()
    assert "LINGXI_JWT_ISSUER" in describe_validation_error(caught.value, GatewaySettings)


def test_malformed_public_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "LINGXI_JWT_PUBLIC_KEY_PEM", "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----"
    )
    with pytest.raises(ValidationError) as caught:
        GatewaySettings()
    assert "LINGXI_JWT_PUBLIC_KEY_PEM" in describe_validation_error(caught.value, GatewaySettings)


def test_gateway_port_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINGXI_GATEWAY_PORT", "9191")
    monkeypatch.setenv("LINGXI_CORS_ORIGINS", "https://console.example, https://app.example")
    settings = GatewaySettings()
    assert settings.port == 9191
    assert settings.cors_origins == ["https://console.example", "https://app.example"]
    assert settings.upstream_addresses["points"] == "127.0.0.1:50056"
