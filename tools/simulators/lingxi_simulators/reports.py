"""SMS status reports pushed by the simulators on their own, as the providers push them.

After a send is accepted, the handset "receives" it and the provider pushes a delivery report to
the configured callback URL (`sim.callback_url`, signed like every simulator callback):

- Tencent Cloud SMS status callback: a JSON array of `{"user_receive_time", "nationcode", "mobile",
  "report_status": "SUCCESS"|"FAIL", "errmsg": "DELIVRD"|…, "description", "sid"}`;
- Alibaba Cloud SmsReport (HTTP batch push): a JSON array of `{"phone_number", "send_time",
  "report_time", "success", "err_code": "DELIVERED"|…, "err_msg", "sms_size", "biz_id", "out_id"}`.

Reports are batched like the providers do (up to 100 per push, flushed after `delay_ms`), so a
benchmark's thousands of sends do not become thousands of pushes. Control:
`POST /_sim/reports` with `{"delay_ms": 200, "fail_numbers": ["13800000000"], "enabled": true}`
(numbers in `fail_numbers` get a FAIL / UNDELIV report). Nothing is pushed while no callback URL
is set (tests that post reports themselves leave it unset).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from lingxi_simulators.hub import ProviderSimulator

MAX_PER_PUSH = 100


@dataclass
class ReportQueue:
    pending: list[dict[str, Any]] = field(default_factory=list)
    flusher: asyncio.Task[None] | None = None


def _queue(sim: ProviderSimulator) -> ReportQueue:
    found = sim.state.get("reports")
    if not isinstance(found, ReportQueue):
        found = ReportQueue()
        sim.state["reports"] = found
    return found


def _now_text(at: float | None = None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at or time.time()))


def _fails(sim: ProviderSimulator, phone: str) -> bool:
    numbers = {str(n).removeprefix("+86") for n in sim.settings.get("fail_numbers", ())}
    return phone.removeprefix("+86") in numbers


def tencent_report(sim: ProviderSimulator, status: dict[str, Any]) -> dict[str, Any]:
    phone = str(status.get("PhoneNumber", ""))
    failed = _fails(sim, phone)
    return {
        "user_receive_time": _now_text(),
        "nationcode": "86",
        "mobile": phone.removeprefix("+86"),
        "report_status": "FAIL" if failed else "SUCCESS",
        "errmsg": "UNDELIV" if failed else "DELIVRD",
        "description": "用户短信未送达" if failed else "用户短信送达成功",
        "sid": status.get("SerialNo", ""),
    }


def aliyun_report(sim: ProviderSimulator, phone: str, biz_id: str, out_id: str) -> dict[str, Any]:
    failed = _fails(sim, phone)
    return {
        "phone_number": phone,
        "send_time": _now_text(),
        "report_time": _now_text(),
        "success": not failed,
        "err_code": "UNDELIV" if failed else "DELIVERED",
        "err_msg": "用户接收失败" if failed else "用户接收成功",
        "sms_size": "1",
        "biz_id": biz_id,
        "out_id": out_id,
    }


def schedule(sim: ProviderSimulator, reports: list[dict[str, Any]]) -> None:
    """Queue reports for the next push (no-op without a callback URL or when disabled)."""
    if not sim.callback_url or not sim.settings.get("reports_enabled", True) or not reports:
        return
    queue = _queue(sim)
    queue.pending.extend(reports)
    if queue.flusher is None or queue.flusher.done():
        queue.flusher = asyncio.get_running_loop().create_task(_flush_later(sim, queue))


async def _flush_later(sim: ProviderSimulator, queue: ReportQueue) -> None:
    await asyncio.sleep(int(sim.settings.get("report_delay_ms", 200)) / 1000)
    while queue.pending:
        batch, queue.pending[:] = queue.pending[:MAX_PER_PUSH], queue.pending[MAX_PER_PUSH:]
        await sim.post_callback(batch)


async def control(sim: ProviderSimulator, request: web.Request) -> web.Response:
    if request.path != "/_sim/reports":
        return web.json_response({"error": f"unknown control {request.path}"}, status=404)
    body = await request.json() if request.can_read_body else {}
    if "enabled" in body:
        sim.settings["reports_enabled"] = bool(body["enabled"])
    if "delay_ms" in body:
        sim.settings["report_delay_ms"] = int(body["delay_ms"])
    if "fail_numbers" in body:
        sim.settings["fail_numbers"] = [str(n) for n in body["fail_numbers"]]
    return web.json_response({"ok": True, "callback_url": sim.callback_url})
