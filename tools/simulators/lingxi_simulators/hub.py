"""The simulators: SMS (Tencent Cloud, Alibaba Cloud), JPush, WeChat, WeCom, a call-center vendor and
a partner's webhook endpoint, each on its own port.

Control (from tests, the benchmark or `curl`): `POST /_sim/faults` with
`{"fail_next": 3, "status": 503}` / `{"throttle_next": 2}` / `{"delay_ms": 200}`;
`GET /_sim/requests` lists what was received; `POST /_sim/reset` clears both. A provider may add
its own knobs under `/_sim/<name>/…` (see `wecom.py`, `reports.py`).
"""

from __future__ import annotations

import asyncio
import asyncio.base_events
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import parse_qsl

from aiohttp import web

from lingxi_simulators import reports, wecom


@dataclass
class Faults:
    fail_next: int = 0
    fail_status: int = 503
    throttle_next: int = 0
    delay_ms: int = 0
    # Fail every request until cleared (an outage), in addition to the counted ones.
    down: bool = False


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: Any
    provider_message_id: str = ""
    # time.perf_counter() at arrival: comparable with the caller's clock in the same process.
    at: float = field(default_factory=time.perf_counter)


@dataclass
class ProviderSimulator:
    """One provider: its routes, what it received, and the faults it should inject."""

    name: str
    faults: Faults = field(default_factory=Faults)
    received: list[Received] = field(default_factory=list)
    # Requests answered successfully, i.e. the provider "sent" them.
    accepted: list[Received] = field(default_factory=list)
    # Provider-side dedupe (JPush `cid`): the same id is answered with the first result.
    dedupe: dict[str, str] = field(default_factory=dict)
    port: int = 0
    # Where to send receipts/results (the gateway's provider-callback URL) and how to sign them.
    callback_url: str = ""
    callback_secret: str = ""
    call_result: str = "CONNECTED"
    callbacks_sent: list[tuple[int, Any]] = field(default_factory=list)
    # Provider-specific state (cleared by reset) and configuration (kept), e.g. WeCom's tasks.
    state: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    # Extra control routes of this provider: async (sim, request) -> response.
    control: Any = None
    _runner: web.AppRunner | None = None

    async def post_callback(self, payload: Any) -> None:
        """POST a signed callback like a provider (X-Lingxi-Timestamp / X-Lingxi-Signature)."""
        import hashlib
        import hmac

        from aiohttp import ClientSession

        body = json.dumps(payload).encode()
        stamp = str(int(time.time()))
        digest = hmac.new(
            self.callback_secret.encode(), stamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        headers = {
            "Content-Type": "application/json",
            "X-Lingxi-Timestamp": stamp,
            "X-Lingxi-Signature": f"v1={digest}",
        }
        try:
            async with (
                ClientSession() as session,
                session.post(self.callback_url, data=body, headers=headers) as answer,
            ):
                self.callbacks_sent.append((answer.status, payload))
        except OSError:
            # Nobody listening (the gateway is not up): a vendor would retry later; recorded here.
            self.callbacks_sent.append((0, payload))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def reset(self) -> None:
        self.faults = Faults()
        self.received.clear()
        self.accepted.clear()
        self.dedupe.clear()
        self.state.clear()
        self.callbacks_sent.clear()

    async def _fault(self) -> web.Response | None:
        if self.faults.delay_ms:
            await asyncio.sleep(self.faults.delay_ms / 1000)
        if self.faults.down or self.faults.fail_next > 0:
            if self.faults.fail_next > 0:
                self.faults.fail_next -= 1
            return web.json_response(
                {"error": {"code": self.faults.fail_status, "message": "simulated outage"}},
                status=self.faults.fail_status,
            )
        if self.faults.throttle_next > 0:
            self.faults.throttle_next -= 1
            return web.json_response({"error": {"code": 2002, "message": "simulated throttling"}}, status=429)
        return None

    async def _control(self, request: web.Request) -> web.Response:
        if request.method == "GET":
            return web.json_response([r.__dict__ for r in self.received])
        if request.path.endswith("/reset"):
            self.reset()
            return web.json_response({"ok": True})
        if request.path != "/_sim/faults" and self.control is not None:
            response: web.Response = await self.control(self, request)
            return response
        body = await request.json()
        self.faults.fail_next = int(body.get("fail_next", self.faults.fail_next))
        self.faults.fail_status = int(body.get("status", self.faults.fail_status))
        self.faults.throttle_next = int(body.get("throttle_next", self.faults.throttle_next))
        self.faults.delay_ms = int(body.get("delay_ms", self.faults.delay_ms))
        self.faults.down = bool(body.get("down", self.faults.down))
        return web.json_response({"ok": True})

    async def start(self, handler: Any, port: int = 0) -> None:
        async def entry(request: web.Request) -> web.StreamResponse:
            if request.path.startswith("/_sim/"):
                return await self._control(request)
            raw = await request.read()
            try:
                body: Any = json.loads(raw) if raw[:1] in (b"{", b"[") else dict(parse_qsl(raw.decode()))
            except ValueError:
                body = raw.decode(errors="replace")
            if not body and request.query:
                body = dict(request.query)
            item = Received(request.path, dict(request.headers), body)
            self.received.append(item)
            fault = await self._fault()
            if fault is not None:
                return fault
            response: web.Response = await handler(self, request, item)
            if response.status < 300:
                self.accepted.append(item)
            return response

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", entry)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = cast(asyncio.base_events.Server, server).sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _new_id() -> str:
    return uuid.uuid4().hex


async def tencent_sms(sim: ProviderSimulator, request: web.Request, item: Received) -> web.Response:
    """Tencent Cloud API 3.0 (`X-TC-Action: SendSms`, JSON body, TC3-HMAC-SHA256 auth): one status per
    number; numbers in `sim.settings["reject_numbers"]` are refused (blacklisted) one by one."""
    if not request.headers.get("Authorization", "").startswith("TC3-HMAC-SHA256"):
        return web.json_response(
            {"Response": {"Error": {"Code": "AuthFailure", "Message": "unsigned"}, "RequestId": _new_id()}}
        )
    body = item.body
    statuses = []
    blacklisted = {str(n).removeprefix("+86") for n in sim.settings.get("reject_numbers", ())}
    for phone in body.get("PhoneNumberSet", []):
        refused = str(phone).removeprefix("+86") in blacklisted
        statuses.append(
            {
                "SerialNo": "" if refused else f"{_new_id()[:8]}:{_new_id()}",
                "PhoneNumber": phone,
                "Fee": 0 if refused else 1,
                "SessionContext": body.get("SessionContext", ""),
                "Code": "FailedOperation.PhoneNumberInBlacklist" if refused else "Ok",
                "Message": "phone number in blacklist" if refused else "send success",
                "IsoCode": "CN",
            }
        )
    item.provider_message_id = statuses[0]["SerialNo"] if statuses else ""
    reports.schedule(sim, [reports.tencent_report(sim, st) for st in statuses if st["Code"] == "Ok"])
    return web.json_response({"Response": {"SendStatusSet": statuses, "RequestId": _new_id()}})


async def aliyun_sms(sim: ProviderSimulator, request: web.Request, item: Received) -> web.Response:
    """Alibaba Cloud RPC API (`Action=SendSms`, form body, signed with AccessKey)."""
    body = {**dict(request.query), **(item.body if isinstance(item.body, dict) else {})}
    item.body = body
    if body.get("Action") not in (None, "SendSms") and "PhoneNumbers" not in body:
        return web.json_response({"Code": "InvalidAction", "Message": "unsupported"}, status=400)
    biz_id = f"{_new_id()[:16]}^0"
    item.provider_message_id = biz_id
    phones = [p for p in str(body.get("PhoneNumbers", "")).split(",") if p]
    reports.schedule(
        sim, [reports.aliyun_report(sim, phone, biz_id, str(body.get("OutId", ""))) for phone in phones]
    )
    return web.json_response({"Code": "OK", "Message": "OK", "BizId": biz_id, "RequestId": _new_id()})


async def jpush(sim: ProviderSimulator, request: web.Request, item: Received) -> web.Response:
    """JPush REST v3 `POST /v3/push` with basic auth; `cid` deduplicates like the real service.

    `POST /v3/push/batch/alias/single` (batch single push): `{"pushlist": {cid: {"platform",
    "target", "notification"…}}}` answered per cid with `{"msg_id"}` or `{"error": {code, message}}`;
    each cid is deduplicated like a single push. Aliases in `sim.settings["unknown_aliases"]` get
    error 1011 (no such target).
    """
    if not request.headers.get("Authorization", "").startswith("Basic "):
        return web.json_response({"error": {"code": 1004, "message": "auth failed"}}, status=401)
    if request.path.endswith("/push/batch/alias/single"):
        pushlist = item.body.get("pushlist") if isinstance(item.body, dict) else None
        if not isinstance(pushlist, dict) or not pushlist or len(pushlist) > 1000:
            return web.json_response({"error": {"code": 1003, "message": "pushlist: 1-1000"}}, status=400)
        unknown = set(sim.settings.get("unknown_aliases", ()))
        answers: dict[str, Any] = {}
        for cid, entry in pushlist.items():
            if not isinstance(entry, dict) or not entry.get("target") or not entry.get("notification"):
                answers[cid] = {"error": {"code": 1003, "message": "target and notification required"}}
            elif entry["target"] in unknown:
                answers[cid] = {"error": {"code": 1011, "message": "cannot find user by this audience"}}
            elif cid in sim.dedupe:
                answers[cid] = {"msg_id": sim.dedupe[cid]}
            else:
                sim.dedupe[cid] = str(uuid.uuid4().int % 10**16)
                answers[cid] = {"msg_id": sim.dedupe[cid]}
        return web.json_response(answers)
    cid = item.body.get("cid") if isinstance(item.body, dict) else None
    if cid and cid in sim.dedupe:
        item.provider_message_id = sim.dedupe[cid]
        return web.json_response({"sendno": "0", "msg_id": sim.dedupe[cid]})
    msg_id = str(uuid.uuid4().int % 10**16)
    if cid:
        sim.dedupe[cid] = msg_id
    item.provider_message_id = msg_id
    return web.json_response({"sendno": "0", "msg_id": msg_id})


async def wechat(sim: ProviderSimulator, request: web.Request, item: Received) -> web.Response:
    """WeChat official API: access tokens, template messages (OA) and subscribe messages (mini)."""
    if request.path.endswith("/cgi-bin/token"):
        if not request.query.get("appid") or not request.query.get("secret"):
            return web.json_response({"errcode": 41002, "errmsg": "appid missing"})
        token = f"sim-token-{_new_id()}"
        sim.dedupe[token] = request.query["appid"]
        return web.json_response({"access_token": token, "expires_in": 7200})
    if request.query.get("access_token") not in sim.dedupe:
        return web.json_response({"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"})
    body = item.body if isinstance(item.body, dict) else {}
    if not body.get("touser") or not body.get("template_id"):
        return web.json_response({"errcode": 40003, "errmsg": "invalid openid or template_id"})
    if request.path.endswith("/message/template/send"):
        msgid = uuid.uuid4().int % 10**12
        item.provider_message_id = str(msgid)
        return web.json_response({"errcode": 0, "errmsg": "ok", "msgid": msgid})
    if request.path.endswith("/message/subscribe/send"):
        return web.json_response({"errcode": 0, "errmsg": "ok"})
    return web.json_response({"errcode": 40066, "errmsg": "invalid url"}, status=404)


async def call_center(sim: ProviderSimulator, request: web.Request, item: Received) -> web.Response:
    """An outbound-call vendor: one task per Idempotency-Key; results posted to `sim.callback_url`."""
    key = request.headers.get("Idempotency-Key", "")
    body = item.body if isinstance(item.body, dict) else {}
    if not key or not body.get("phone"):
        return web.json_response({"error": "Idempotency-Key and phone are required"}, status=400)
    if key in sim.dedupe:
        item.provider_message_id = sim.dedupe[key]
        return web.json_response({"call_id": sim.dedupe[key], "status": "queued", "duplicate": True})
    call_id = f"call-{_new_id()[:12]}"
    sim.dedupe[key] = call_id
    item.provider_message_id = call_id
    if sim.callback_url:
        asyncio.get_running_loop().create_task(
            sim.post_callback({"call_id": call_id, "result": sim.call_result})
        )
    return web.json_response({"call_id": call_id, "status": "queued"})


async def partner(sim: ProviderSimulator, request: web.Request, item: Received) -> web.Response:
    """A partner's webhook endpoint: records signed deliveries (tests verify the signature)."""
    return web.json_response({"received": True})


HANDLERS = {
    "partner": partner,
    "tencent_sms": tencent_sms,
    "aliyun_sms": aliyun_sms,
    "jpush": jpush,
    "wechat": wechat,
    "call": call_center,
    "wecom": wecom.handle,
}
CONTROLS: dict[str, Any] = {
    "wecom": wecom.control,
    "tencent_sms": reports.control,
    "aliyun_sms": reports.control,
}


class SimulatorHub:
    """Every simulator, started together (tests, the benchmark and `lingxi up`)."""

    def __init__(self) -> None:
        self.providers = {name: ProviderSimulator(name, control=CONTROLS.get(name)) for name in HANDLERS}

    def __getitem__(self, name: str) -> ProviderSimulator:
        return self.providers[name]

    async def start(self, ports: dict[str, int] | None = None) -> SimulatorHub:
        for name, sim in self.providers.items():
            await sim.start(HANDLERS[name], (ports or {}).get(name, 0))
        return self

    async def stop(self) -> None:
        for sim in self.providers.values():
            await sim.stop()

    def endpoints(self) -> dict[str, str]:
        return {name: sim.endpoint for name, sim in self.providers.items()}

    def reset(self) -> None:
        for sim in self.providers.values():
            sim.reset()
