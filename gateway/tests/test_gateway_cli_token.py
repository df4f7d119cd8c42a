"""`lingxi token` prints a JWT the gateway accepts; bad arguments end with a message, not a traceback."""

from __future__ import annotations

import asyncio
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from gateway_testkit import assert_problem, bearer

from lingxi_common.cli import main as lingxi


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, dev_key_path: Path) -> Path:
    monkeypatch.setenv("LINGXI_ENVIRONMENT", "development")
    monkeypatch.setenv("LINGXI_DEV_ISSUER_KEY_PATH", str(dev_key_path))
    return dev_key_path


async def test_cli_token_is_accepted_by_the_gateway(
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    build_app: Callable[..., FastAPI],
    open_client: Callable[..., Any],
) -> None:
    assert lingxi(["token", "--role", "hq_operator"]) == 0
    token = capsys.readouterr().out.strip()
    key_mode = await asyncio.to_thread(lambda: stat.S_IMODE(cli_env.stat().st_mode))
    assert key_mode == 0o600  # the CLI created the shared key, private to its owner

    assert lingxi(["token", "--role", "advisor", "--advisor", "A12", "--ttl", "60"]) == 0
    advisor_token = capsys.readouterr().out.strip()

    async with open_client(build_app()) as client:
        response = await client.get("/api/v1/me", headers=bearer(token))
        assert response.status_code == 200, response.text
        assert response.json()["role"] == "hq_operator"
        advisor = (await client.get("/api/v1/me", headers=bearer(advisor_token))).json()
        assert advisor["data_scope"] == {
            "kind": "advisor",
            "advisor_id": "A12",
            "branch_id": None,
            "customer_id": None,
        }
        # Tampering with the printed token breaks it.
        assert_problem(await client.get("/api/v1/me", headers=bearer(token[:-4] + "AAAA")), 401)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["token", "--role", "branch_manager"], "--branch"),
        (["token", "--role", "wizard"], "unknown role"),
        (["token", "--role", "service"], "unknown role"),
        (["token", "--role", "sre", "--ttl", "0"], "ttl"),
    ],
)
def test_cli_token_rejects_bad_arguments(
    cli_env: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as caught:
        lingxi(argv)
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_cli_token_refused_in_production(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import base64

    monkeypatch.setenv("LINGXI_ENVIRONMENT", "production")
    monkeypatch.setenv("LINGXI_SERVICE_TOKEN", "prod-token-for-test")
    monkeypatch.setenv("LINGXI_PII_KEY", base64.b64encode(b"k" * 32).decode())
    monkeypatch.setenv("LINGXI_JWT_JWKS_URL", "https://idp.test/jwks")
    monkeypatch.setenv("LINGXI_JWT_ISSUER", "https://idp.test")
    with pytest.raises(SystemExit):
        lingxi(["token", "--role", "hq_operator"])
    assert "disabled in production" in capsys.readouterr().err
    assert not cli_env.exists()
