"""``lingxi serve gateway``: run the gateway in the foreground (what the container runs)."""

from __future__ import annotations

import sys

import uvicorn

from lingxi_common.logs import setup_logging
from lingxi_common.settings import load_settings
from lingxi_common.telemetry import setup_telemetry
from lingxi_gateway.app import GatewayConfigError, create_app
from lingxi_gateway.log_context import install_request_id_log_records
from lingxi_gateway.settings import GatewaySettings

SERVICE_NAME = "gateway"


def main() -> int:
    settings = load_settings(GatewaySettings)  # exits naming the variable when one is bad
    setup_logging(SERVICE_NAME, settings)
    install_request_id_log_records()
    setup_telemetry(SERVICE_NAME, settings)
    try:
        app = create_app(settings)
    except GatewayConfigError as error:
        sys.stderr.write(f"invalid configuration:\n  {error}\n")
        return 2
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,  # keep the JSON logging set up above
        access_log=False,  # AccessLogMiddleware writes a richer line
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
