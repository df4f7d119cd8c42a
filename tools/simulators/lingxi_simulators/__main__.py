"""`python -m lingxi_simulators` runs every simulator until interrupted (used by `lingxi up`).

Ports: tencent_sms 18101, aliyun_sms 18102, jpush 18103, wechat 18104, call 18105, partner 18106,
wecom 18107 (override with LINGXI_SIM_PORT_<NAME>). Callbacks go to the gateway's provider-callback
URLs on 127.0.0.1:8080 (LINGXI_SIM_CALLBACK_BASE), signed with the development secrets.
"""

from __future__ import annotations

import asyncio
import os

from lingxi_simulators.hub import SimulatorHub

# The gateway's development callback secrets (lingxi_gateway.routers.provider_callbacks).
SMS_CALLBACK_SECRETS = {
    "tencent_sms": "dev-tencent-callback-secret",
    "aliyun_sms": "dev-aliyun-callback-secret",
}
DEFAULT_PORTS = {
    "tencent_sms": 18101,
    "aliyun_sms": 18102,
    "jpush": 18103,
    "wechat": 18104,
    "call": 18105,
    "partner": 18106,
    "wecom": 18107,
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
    base = os.environ.get("LINGXI_SIM_CALLBACK_BASE", "http://127.0.0.1:8080/api/v1/provider-callbacks")
    # SMS providers push delivery reports after each send, signed with the development secrets.
    for provider in ("tencent_sms", "aliyun_sms"):
        hub[provider].callback_url = f"{base}/{provider}"
        hub[provider].callback_secret = os.environ.get(
            f"LINGXI_SIM_{provider.upper()}_CALLBACK_SECRET", SMS_CALLBACK_SECRETS[provider]
        )
    # WeCom pushes contact changes (a customer removing the advisor) encrypted with the app's key.
    hub["wecom"].settings["callback_url"] = f"{base}/wecom"
    for name, endpoint in hub.endpoints().items():
        print(f"{name} simulator on http://{endpoint}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await hub.stop()


if __name__ == "__main__":
    asyncio.run(_serve())
