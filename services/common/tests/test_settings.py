"""Start-up configuration: a bad value stops the process with a message naming the variable."""

import pytest

from lingxi_common.settings import CommonSettings, ServiceSettings, load_settings


def test_malformed_values_name_their_variables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/x")
    monkeypatch.setenv("NATS_URL", "http://localhost:4222")
    monkeypatch.setenv("LINGXI_GRPC_PORT", "fifty")
    with pytest.raises(SystemExit) as stopped:
        load_settings(ServiceSettings)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "DATABASE_URL: must be a PostgreSQL URL" in err
    assert "NATS_URL: must be NATS URLs" in err
    assert "LINGXI_GRPC_PORT:" in err


def test_production_refuses_development_secrets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LINGXI_ENVIRONMENT", "production")
    with pytest.raises(SystemExit):
        load_settings(CommonSettings)
    assert "LINGXI_SERVICE_TOKEN must be set" in capsys.readouterr().err
    monkeypatch.setenv("LINGXI_SERVICE_TOKEN", "a-real-secret")
    monkeypatch.setenv("LINGXI_PII_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    assert load_settings(CommonSettings).is_production


def test_defaults_point_at_the_embedded_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("NATS_URL", raising=False)
    settings = ServiceSettings(service_name="tag")
    assert ":15432/" in settings.database_url
    assert settings.nats_servers == ["nats://127.0.0.1:14222"]
    assert settings.resolved_grpc_port() == 50051
    assert ServiceSettings(service_name="points", grpc_port=0).resolved_grpc_port() == 0
