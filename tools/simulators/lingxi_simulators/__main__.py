"""`python -m lingxi_simulators` runs every simulator until interrupted (used by `lingxi up`).

Ports: tencent_sms 18101, aliyun_sms 18102, jpush 18103, wechat 18104, call 18105, partner 18106
(override with LINGXI_SIM_PORT_<NAME>).
"""

from __future__ import annotations

import asyncio
import os

from lingxi_simulators.hub import SimulatorHub

DEFAULT_PORTS = {
    "tencent_sms": 18101,
    "aliyun_sms": 18102,
    "jpush": 18103,
    "wechat": 18104,
    "call": 18105,
    "partner": 18106,
}


async def _serve() -> None:
    ports = {
        name: int(os.environ.get(f"LINGXI_SIM_PORT_{name.upper()}", port))
        for name, port in DEFAULT_PORTS.items()
    }
    hub = await SimulatorHub().start(ports)
    # Call results go to the gateway's signed callback endpoint, like the vendor's would.
    hub["call"].callback_url = os.environ.get(
        "LINGXI_SIM_CALL_CALLBACK_URL", "http://127.0.0.1:8080/api/v1/provider-callbacks/call"
    )
    hub["call"].callback_secret = os.environ.get(
        "LINGXI_SIM_CALL_CALLBACK_SECRET", "dev-call-callback-secret"
    )
    for name, endpoint in hub.endpoints().items():
        print(f"{name} simulator on http://{endpoint}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await hub.stop()


if __name__ == "__main__":
    asyncio.run(_serve())
