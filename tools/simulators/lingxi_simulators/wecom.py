"""WeCom (企业微信) server API as wechatpy's work client calls it, and WeCom's event callback to us.

Routes (under `/cgi-bin/`, like qyapi.weixin.qq.com):

- `GET gettoken?corpid=&corpsecret=` → an access token; every other route checks it (40014);
- `POST externalcontact/add_msg_template` → a group-message task for one member (`sender`) to
  external contacts; ids WeCom would not accept (not `wo…`/`wm…`, or marked unknown) come back in
  `fail_list`;
- `POST externalcontact/get_groupmsg_send_result` (and the older `get_group_msg_result`) → per
  external contact: 0 waiting for the member to confirm, 1 sent, 2 not a contact any more, 3 the
  customer already received a group message today.

On WeCom the member (advisor) confirms each task in their client before anything is sent; the
simulator confirms at once unless told `{"advisor_confirms": false}`. Control (beside the usual
`/_sim/faults`): `POST /_sim/wecom/config` with `advisor_confirms`, `unknown_contacts`,
`removed_contacts`, `daily_limit_reached`; `POST /_sim/wecom/confirm` confirms waiting tasks;
`POST /_sim/wecom/events` with `{"change_type": "del_follow_user", "userid": …, "external_userid": …}`
pushes WeCom's encrypted callback (AES, `msg_signature`) to `settings["callback_url"]`;
`POST /_sim/wecom/replies` with `{"external_userid": …, "text": …}` pushes a customer's text reply
in the shape of WeCom's message callback (接收消息: `MsgType=text`, `FromUserName`, `Content`,
`MsgId`, `AgentID`), encrypted and signed the same way. A repeated `msgid` in the body replays a
callback as WeCom does when it got no "success" in time.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import ClientSession, web

if TYPE_CHECKING:
    from lingxi_simulators.hub import ProviderSimulator, Received

# Development values shared with the gateway's WeCom callback settings (LINGXI_CALLBACK_WECOM_*).
DEV_CORP_ID = "wwlingxidev0000001"
DEV_TOKEN = "lingxi-dev-wecom-token"  # noqa: S105 - development callback token
DEV_AES_KEY = "bGluZ3hpLWRldi13ZWNvbS1hZXMta2V5LTMyYnl0ZXM"  # 43 chars: base64 of 32 bytes, no '='

WAITING, SENT, NOT_A_CONTACT, ALREADY_RECEIVED = 0, 1, 2, 3


@dataclass
class GroupMessageTask:
    msgid: str
    sender: str
    body: dict[str, Any]
    statuses: dict[str, int]
    send_time: int = 0


@dataclass
class WeComState:
    tokens: set[str] = field(default_factory=set)
    tasks: dict[str, GroupMessageTask] = field(default_factory=dict)
    advisor_confirms: bool = True
    unknown_contacts: set[str] = field(default_factory=set)
    removed_contacts: set[str] = field(default_factory=set)
    daily_limit_reached: set[str] = field(default_factory=set)
    callbacks_sent: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def outcome(self, external_userid: str) -> int:
        if external_userid in self.removed_contacts:
            return NOT_A_CONTACT
        if external_userid in self.daily_limit_reached:
            return ALREADY_RECEIVED
        return SENT

    def confirm(self, task: GroupMessageTask) -> None:
        task.send_time = int(time.time())
        for external_userid in task.statuses:
            task.statuses[external_userid] = self.outcome(external_userid)


def state_of(sim: ProviderSimulator) -> WeComState:
    found = sim.state.get("wecom")
    if not isinstance(found, WeComState):
        found = WeComState()
        sim.state["wecom"] = found
    return found


def _error(code: int, message: str) -> web.Response:
    return web.json_response({"errcode": code, "errmsg": message})


def _valid_contact(state: WeComState, external_userid: str) -> bool:
    return external_userid.startswith(("wo", "wm")) and external_userid not in state.unknown_contacts


async def handle(sim: ProviderSimulator, request: web.Request, item: Received) -> web.Response:
    state = state_of(sim)
    path = request.path.removeprefix("/cgi-bin/")
    if path == "gettoken":
        if not request.query.get("corpid") or not request.query.get("corpsecret"):
            return _error(41002, "corpid missing")
        token = f"wecom-token-{uuid.uuid4().hex}"
        state.tokens.add(token)
        return web.json_response({"errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": 7200})
    if request.query.get("access_token") not in state.tokens:
        return _error(40014, "invalid access_token")
    body = item.body if isinstance(item.body, dict) else {}
    if path == "externalcontact/add_msg_template":
        return _add_msg_template(state, body, item)
    if path == "externalcontact/get_groupmsg_send_result":
        task = state.tasks.get(str(body.get("msgid", "")))
        if task is None:
            return _error(41034, "invalid msgid")
        if body.get("userid") and body["userid"] != task.sender:
            return web.json_response({"errcode": 0, "errmsg": "ok", "next_cursor": "", "send_list": []})
        return web.json_response(
            {"errcode": 0, "errmsg": "ok", "next_cursor": "", "send_list": _send_list(task)}
        )
    if path == "externalcontact/get_group_msg_result":
        task = state.tasks.get(str(body.get("msgid", "")))
        if task is None:
            return _error(41034, "invalid msgid")
        return web.json_response(
            {"errcode": 0, "errmsg": "ok", "check_status": 1, "detail_list": _send_list(task)}
        )
    return web.json_response({"errcode": 60011, "errmsg": "no privilege for this path"}, status=404)


def _add_msg_template(state: WeComState, body: dict[str, Any], item: Received) -> web.Response:
    chat_type = body.get("chat_type", "single")
    if chat_type not in ("single", "group"):
        return _error(40058, "invalid chat_type")
    receivers = [str(x) for x in body.get("external_userid") or []]
    sender = str(body.get("sender", ""))
    if not receivers and not sender:
        return _error(40058, "external_userid and sender cannot both be empty")
    if len(receivers) > 10_000:
        return _error(40058, "at most 10000 external_userid")
    text = (body.get("text") or {}).get("content", "")
    if not text and not body.get("attachments"):
        return _error(44004, "text content and attachments are both empty")
    accepted = [x for x in receivers if _valid_contact(state, x)]
    fail_list = [x for x in receivers if x not in accepted]
    msgid = f"msg{secrets.token_hex(12)}"
    task = GroupMessageTask(msgid, sender, body, {x: WAITING for x in accepted})
    state.tasks[msgid] = task
    if state.advisor_confirms:
        state.confirm(task)
    item.provider_message_id = msgid
    return web.json_response({"errcode": 0, "errmsg": "ok", "fail_list": fail_list, "msgid": msgid})


def _send_list(task: GroupMessageTask) -> list[dict[str, Any]]:
    return [
        {
            "external_userid": external_userid,
            "chat_id": "",
            "userid": task.sender,
            "status": status,
            "send_time": task.send_time if status != WAITING else 0,
        }
        for external_userid, status in task.statuses.items()
    ]


async def control(sim: ProviderSimulator, request: web.Request) -> web.Response:
    """Simulator-only knobs: contacts WeCom refuses, the advisor's confirmation, pushed events."""
    state = state_of(sim)
    body = await request.json() if request.can_read_body else {}
    if request.path == "/_sim/wecom/config":
        state.advisor_confirms = bool(body.get("advisor_confirms", state.advisor_confirms))
        for name in ("unknown_contacts", "removed_contacts", "daily_limit_reached"):
            if name in body:
                setattr(state, name, {str(x) for x in body[name]})
        return web.json_response({"ok": True})
    if request.path == "/_sim/wecom/confirm":
        waiting = [t for t in state.tasks.values() if WAITING in t.statuses.values()]
        for task in waiting:
            state.confirm(task)
        return web.json_response({"confirmed": len(waiting)})
    if request.path == "/_sim/wecom/events":
        status = await push_contact_event(
            sim,
            change_type=str(body.get("change_type", "del_follow_user")),
            userid=str(body.get("userid", "")),
            external_userid=str(body.get("external_userid", "")),
        )
        return web.json_response({"callback_status": status})
    if request.path == "/_sim/wecom/replies":
        status, msgid = await push_reply(
            sim,
            external_userid=str(body.get("external_userid", "")),
            text=str(body.get("text", "")),
            msgid=str(body.get("msgid", "")),
        )
        return web.json_response({"callback_status": status, "msgid": msgid})
    return web.json_response({"error": f"unknown control {request.path}"}, status=404)


def event_xml(corp_id: str, change_type: str, userid: str, external_userid: str, at: int) -> str:
    """The plaintext of a `change_external_contact` event, as WeCom writes it."""
    return (
        "<xml>"
        f"<ToUserName><![CDATA[{corp_id}]]></ToUserName>"
        "<FromUserName><![CDATA[sys]]></FromUserName>"
        f"<CreateTime>{at}</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType>"
        "<Event><![CDATA[change_external_contact]]></Event>"
        f"<ChangeType><![CDATA[{change_type}]]></ChangeType>"
        f"<UserID><![CDATA[{userid}]]></UserID>"
        f"<ExternalUserID><![CDATA[{external_userid}]]></ExternalUserID>"
        "</xml>"
    )


def reply_xml(corp_id: str, external_userid: str, text: str, msgid: str, at: int, agent_id: str) -> str:
    """The plaintext of a text message callback from an external contact, as WeCom writes it."""
    return (
        "<xml>"
        f"<ToUserName><![CDATA[{corp_id}]]></ToUserName>"
        f"<FromUserName><![CDATA[{external_userid}]]></FromUserName>"
        f"<CreateTime>{at}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content>"
        f"<MsgId>{msgid}</MsgId>"
        f"<AgentID>{agent_id}</AgentID>"
        "</xml>"
    )


def encrypted_callback(
    plaintext: str, *, token: str, aes_key: str, corp_id: str, at: int, agent_id: str = ""
) -> tuple[dict[str, str], str]:
    """(query, body) of WeCom's encrypted push: AES-CBC payload, SHA-1 `msg_signature`."""
    import xmltodict
    from wechatpy.enterprise.crypto import WeChatCrypto

    nonce = secrets.token_hex(8)
    sealed = xmltodict.parse(
        WeChatCrypto(token, aes_key, corp_id).encrypt_message(plaintext, nonce, str(at))
    )["xml"]
    body = (
        "<xml>"
        f"<ToUserName><![CDATA[{corp_id}]]></ToUserName>"
        f"<AgentID><![CDATA[{agent_id}]]></AgentID>"
        f"<Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt>"
        "</xml>"
    )
    query = {"msg_signature": sealed["MsgSignature"], "timestamp": str(at), "nonce": nonce}
    return query, body


async def push_contact_event(
    sim: ProviderSimulator, *, change_type: str, userid: str, external_userid: str
) -> int:
    """POST one encrypted contact-change event to the configured callback URL; its HTTP status."""
    at = int(time.time())
    plaintext = event_xml(sim.settings.get("corp_id", DEV_CORP_ID), change_type, userid, external_userid, at)
    payload = {"change_type": change_type, "userid": userid, "external_userid": external_userid}
    return await _push(sim, plaintext, at, payload)


async def push_reply(
    sim: ProviderSimulator, *, external_userid: str, text: str, msgid: str = ""
) -> tuple[int, str]:
    """POST a customer's encrypted text reply to the callback URL; (HTTP status, WeCom MsgId)."""
    at = int(time.time())
    msgid = msgid or str(secrets.randbelow(9 * 10**18) + 10**18)  # WeCom's MsgId: a 64-bit number
    settings = sim.settings
    plaintext = reply_xml(
        settings.get("corp_id", DEV_CORP_ID),
        external_userid,
        text,
        msgid,
        at,
        settings.get("agent_id", "1000002"),
    )
    payload = {"msg_type": "text", "external_userid": external_userid, "text": text, "msgid": msgid}
    return await _push(sim, plaintext, at, payload), msgid


async def _push(sim: ProviderSimulator, plaintext: str, at: int, payload: dict[str, Any]) -> int:
    """Encrypt, sign and POST one callback like WeCom's servers; record and return its HTTP status."""
    state = state_of(sim)
    settings = sim.settings
    corp_id = settings.get("corp_id", DEV_CORP_ID)
    query, body = encrypted_callback(
        plaintext,
        token=settings.get("token", DEV_TOKEN),
        aes_key=settings.get("aes_key", DEV_AES_KEY),
        corp_id=corp_id,
        at=at,
        agent_id=settings.get("agent_id", "1000002"),
    )
    url = settings.get("callback_url", "")
    if not url:
        state.callbacks_sent.append((0, payload))
        return 0
    headers = {"Content-Type": "text/xml"}
    try:
        async with (
            ClientSession() as session,
            session.post(url, params=query, data=body.encode(), headers=headers) as answer,
        ):
            state.callbacks_sent.append((answer.status, payload))
            return answer.status
    except OSError:
        state.callbacks_sent.append((0, payload))
        return 0
