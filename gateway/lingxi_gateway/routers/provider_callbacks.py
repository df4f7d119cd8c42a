"""Provider callbacks: SMS status reports and replies, push receipts, call results, WeChat events.

Nothing here trusts the network. Each request is verified before it is read:

- WeChat (service account / mini program) uses WeChat's own scheme — SHA-1 over the sorted
  (token, timestamp, nonce) — checked with wechatpy, plus a freshness window on the timestamp.
- WeCom (企业微信) pushes its events and messages AES-encrypted with the app's EncodingAESKey and
  signed with `msg_signature` (SHA-1 over token, timestamp, nonce and the ciphertext); wechatpy's
  enterprise crypto checks and decrypts them, plus the same freshness window. Two kinds matter:
  a customer removing their advisor (`change_external_contact` / `del_follow_user`) and a
  customer's text reply (`MsgType=text` from an external contact, `wo…`/`wm…`).
- Providers whose push has no signature of its own (Tencent/Alibaba SMS reports, JPush receipts,
  the outbound-call vendor) are configured to call a URL that we sign-check with a shared secret:
  `X-Lingxi-Timestamp: <unix seconds>` and `X-Lingxi-Signature: v1=<hex hmac_sha256(secret,
  "<timestamp>.<raw body>")>` (the simulators sign exactly like this; in production the provider's
  callback relay or API gateway adds it).

A bad signature or a timestamp outside ±5 minutes answers 401 and changes nothing. Verified
callbacks become `ProviderReceipt`s, published as one RecordReceiptsCommand to JetStream (the
message id is a hash of the body, so a provider's retry is dropped by JetStream and again by
receipt_id in the channel service) and acknowledged only once JetStream has them — a provider
whose callback we could not store gets 503 and retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from google.protobuf.struct_pb2 import Struct
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from lingxi.channel.v1 import channel_pb2
from lingxi.common.v1 import event_meta_pb2
from lingxi.events.v1 import channel_events_pb2
from lingxi_common.bus import message_headers
from lingxi_common.contracts import event_subject
from lingxi_gateway.state import gateway_state

logger = logging.getLogger("lingxi_gateway.provider_callbacks")
router = APIRouter(prefix="/api/v1/provider-callbacks", tags=["provider callbacks"])
P = channel_pb2

# Development secrets shared with tools/simulators; production sets LINGXI_CALLBACK_SECRETS.
DEV_CALLBACK_SECRETS = {
    "tencent_sms": "dev-tencent-callback-secret",
    "aliyun_sms": "dev-aliyun-callback-secret",
    "jpush": "dev-jpush-callback-secret",
    "call": "dev-call-callback-secret",
}
DEV_WECHAT_TOKEN = "lingxi-dev-wechat-token"  # noqa: S105 - development token, replaced in production
# The WeCom app's callback token / EncodingAESKey / corp id in development (tools/simulators uses them).
DEV_WECOM_TOKEN = "lingxi-dev-wecom-token"  # noqa: S105 - development token, replaced in production
DEV_WECOM_AES_KEY = "bGluZ3hpLWRldi13ZWNvbS1hZXMta2V5LTMyYnl0ZXM"
DEV_WECOM_CORP_ID = "wwlingxidev0000001"


class CallbackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LINGXI_CALLBACK_", extra="ignore", frozen=True)

    secrets: dict[str, str] = Field(default_factory=lambda: dict(DEV_CALLBACK_SECRETS))
    wechat_token: str = DEV_WECHAT_TOKEN
    wecom_token: str = DEV_WECOM_TOKEN
    wecom_aes_key: str = DEV_WECOM_AES_KEY
    wecom_corp_id: str = DEV_WECOM_CORP_ID
    max_skew_seconds: int = Field(default=300, ge=30, le=3600)
    publish_timeout_seconds: float = 5.0


def settings() -> CallbackSettings:
    return CallbackSettings()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a sender puts in X-Lingxi-Signature (documented in docs/channel.md)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def _fresh(timestamp: str, skew: int) -> bool:
    try:
        return abs(time.time() - int(timestamp)) <= skew
    except ValueError:
        return False


def verify_hmac(request: Request, provider: str, body: bytes, config: CallbackSettings) -> None:
    secret = config.secrets.get(provider)
    timestamp = request.headers.get("x-lingxi-timestamp", "")
    signature = request.headers.get("x-lingxi-signature", "")
    if not secret or not signature or not _fresh(timestamp, config.max_skew_seconds):
        raise HTTPException(status_code=401, detail="missing, stale or unknown callback signature")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        raise HTTPException(status_code=401, detail="callback signature does not match")


def _stamp(value: datetime | None = None) -> Any:
    from google.protobuf.timestamp_pb2 import Timestamp

    stamp = Timestamp()
    stamp.FromDatetime(value or datetime.now(UTC))
    return stamp


def _raw(item: dict[str, Any], drop: tuple[str, ...] = ()) -> Struct:
    struct = Struct()
    struct.update({k: v for k, v in item.items() if k not in drop and not isinstance(v, bytes)})
    return struct


SMS_DELIVERED = {"SUCCESS", "DELIVRD", "DELIVERED"}


def tencent_receipts(payload: Any) -> list[channel_pb2.ProviderReceipt]:
    """Tencent SMS status reports (`sid`, `report_status`) and replies (`text`, `mobile`)."""
    items = payload if isinstance(payload, list) else [payload]
    receipts = []
    for item in items:
        if "text" in item:
            receipts.append(
                P.ProviderReceipt(
                    provider="tencent_sms",
                    reply_text=str(item["text"]),
                    from_address=str(item.get("mobile", "")),
                    receipt_id=f"up:{item.get('mobile', '')}:{item.get('time', '')}",
                    occurred_at=_stamp(),
                    raw=_raw(item, ("mobile", "text")),
                )
            )
            continue
        ok = str(item.get("report_status", "")).upper() == "SUCCESS"
        receipts.append(
            P.ProviderReceipt(
                provider="tencent_sms",
                provider_message_id=str(item.get("sid", "")),
                status=P.MESSAGE_STATUS_DELIVERED if ok else P.MESSAGE_STATUS_FAILED,
                provider_code=str(item.get("errmsg", "")),
                receipt_id=f"{item.get('sid', '')}:{item.get('report_status', '')}",
                occurred_at=_stamp(),
                raw=_raw(item, ("mobile",)),
            )
        )
    return receipts


def aliyun_receipts(payload: Any) -> list[channel_pb2.ProviderReceipt]:
    """Alibaba SmsReport (`biz_id`, `success`) and SmsUp (`content`, `phone_number`) messages."""
    items = payload if isinstance(payload, list) else [payload]
    receipts = []
    for item in items:
        if "content" in item:
            receipts.append(
                P.ProviderReceipt(
                    provider="aliyun_sms",
                    reply_text=str(item["content"]),
                    from_address=str(item.get("phone_number", "")),
                    receipt_id=f"up:{item.get('sequence_id', '')}",
                    occurred_at=_stamp(),
                    raw=_raw(item, ("phone_number", "content")),
                )
            )
            continue
        receipts.append(
            P.ProviderReceipt(
                provider="aliyun_sms",
                provider_message_id=str(item.get("biz_id", "")),
                status=P.MESSAGE_STATUS_DELIVERED if item.get("success") else P.MESSAGE_STATUS_FAILED,
                provider_code=str(item.get("err_code", "")),
                receipt_id=f"{item.get('biz_id', '')}:{item.get('err_code', '')}",
                occurred_at=_stamp(),
                raw=_raw(item, ("phone_number",)),
            )
        )
    return receipts


JPUSH_STATUS = {
    "delivered": P.MESSAGE_STATUS_DELIVERED,
    "opened": P.MESSAGE_STATUS_OPENED,
    "clicked": P.MESSAGE_STATUS_CLICKED,
}
CALL_RESULTS = {
    "CONNECTED": P.CALL_RESULT_CONNECTED,
    "INTENT": P.CALL_RESULT_INTENT,
    "NO_ANSWER": P.CALL_RESULT_NO_ANSWER,
    "REFUSED": P.CALL_RESULT_REFUSED,
    "BUSY": P.CALL_RESULT_BUSY,
    "INVALID_NUMBER": P.CALL_RESULT_INVALID_NUMBER,
}


def jpush_receipts(payload: Any) -> list[channel_pb2.ProviderReceipt]:
    """JPush message callbacks: `msg_id` with `status` delivered / opened / clicked."""
    items = payload if isinstance(payload, list) else [payload]
    return [
        P.ProviderReceipt(
            provider="jpush",
            provider_message_id=str(item.get("msg_id", "")),
            status=JPUSH_STATUS.get(str(item.get("status", "")), P.MESSAGE_STATUS_UNSPECIFIED),
            receipt_id=f"{item.get('msg_id', '')}:{item.get('status', '')}:{item.get('registration_id', '')}",
            occurred_at=_stamp(),
        )
        for item in items
    ]


def call_receipts(payload: Any) -> list[channel_pb2.ProviderReceipt]:
    """Outbound call results: `call_id` and `result` (connected, intent, no answer, refused…)."""
    items = payload if isinstance(payload, list) else [payload]
    return [
        P.ProviderReceipt(
            provider="call",
            provider_message_id=str(item.get("call_id", "")),
            call_result=CALL_RESULTS.get(str(item.get("result", "")).upper(), P.CALL_RESULT_UNSPECIFIED),
            provider_code=str(item.get("result", "")),
            receipt_id=f"{item.get('call_id', '')}:result",
            occurred_at=_stamp(),
        )
        for item in items
    ]


PARSERS = {
    "tencent_sms": tencent_receipts,
    "aliyun_sms": aliyun_receipts,
    "jpush": jpush_receipts,
    "call": call_receipts,
}
# What each provider expects back on success.
ACKS: dict[str, Any] = {
    "tencent_sms": {"result": 0, "errmsg": "OK"},
    "aliyun_sms": {"code": 0, "msg": "接收成功"},
    "jpush": {"code": 0},
    "call": {"ok": True},
}


async def publish_receipts(
    request: Request, body: bytes, provider: str, receipts: list[channel_pb2.ProviderReceipt]
) -> None:
    """Make the receipts durable in JetStream before the provider hears back."""
    if not receipts:
        return
    client = gateway_state(request).nats.client
    if client is None:
        raise HTTPException(
            status_code=503, detail="receipt storage unavailable; retry", headers={"Retry-After": "1"}
        )
    msg_id = hashlib.sha256(provider.encode() + b"|" + body).hexdigest()
    command = channel_events_pb2.RecordReceiptsCommand(
        meta=event_meta_pb2.EventMeta(event_id=msg_id, producer="gateway", occurred_at=_stamp()),
        receipts=receipts,
    )
    try:
        await client.jetstream().publish(
            event_subject(command),
            command.SerializeToString(),
            timeout=settings().publish_timeout_seconds,
            headers=message_headers(command, msg_id),
        )
    except Exception as error:
        logger.warning("storing %s receipts failed: %s", provider, error)
        raise HTTPException(status_code=503, detail="receipt storage did not confirm; retry") from error


def _wecom_crypto(config: CallbackSettings) -> Any:
    from wechatpy.enterprise.crypto import WeChatCrypto

    return WeChatCrypto(config.wecom_token, config.wecom_aes_key, config.wecom_corp_id)


def _wecom_query(request: Request, config: CallbackSettings) -> tuple[str, str, str]:
    query = request.query_params
    timestamp = query.get("timestamp", "")
    if not _fresh(timestamp, config.max_skew_seconds):
        raise HTTPException(status_code=401, detail="stale or missing timestamp")
    return query.get("msg_signature", ""), timestamp, query.get("nonce", "")


@router.get("/wecom", summary="WeCom callback URL verification (decrypted echostr)")
async def wecom_verify(request: Request) -> Response:
    from wechatpy.exceptions import InvalidSignatureException

    config = settings()
    signature, timestamp, nonce = _wecom_query(request, config)
    try:
        echo = _wecom_crypto(config).check_signature(
            signature, timestamp, nonce, request.query_params.get("echostr", "")
        )
    except InvalidSignatureException as error:
        raise HTTPException(status_code=401, detail="WeCom signature does not match") from error
    except Exception as error:  # an echostr that does not decrypt with our key / corp id
        raise HTTPException(status_code=401, detail="echostr does not decrypt") from error
    return PlainTextResponse(echo if isinstance(echo, str) else echo.decode())


# External contacts' ids (客户 external_userid) start with these; members' userids never do.
WECOM_EXTERNAL_PREFIXES = ("wo", "wm")


def _wecom_time(event: dict[str, Any]) -> Any:
    try:
        return _stamp(datetime.fromtimestamp(int(event.get("CreateTime") or 0), UTC))
    except (TypeError, ValueError, OverflowError):
        return _stamp()


def wecom_reply(event: dict[str, Any]) -> list[channel_pb2.ProviderReceipt]:
    """A customer's text reply: REPLIED on the latest WeCom message to them (opt-out words withdraw
    the WeCom consent in the channel service). Keyed by WeCom's MsgId, so WeCom's retries of the
    same callback apply once. The text itself is passed on for the opt-out check only, never kept."""
    sender = str(event.get("FromUserName") or "")
    content = str(event.get("Content") or "")
    msg_id = str(event.get("MsgId") or "")
    if not sender.startswith(WECOM_EXTERNAL_PREFIXES) or not content or not msg_id:
        return []  # a member writing to the app, or an empty message: nothing about a customer
    return [
        P.ProviderReceipt(
            provider="wecom",
            reply_text=content,
            from_address=sender,
            provider_code="reply",
            receipt_id=f"reply:{msg_id}",
            occurred_at=_wecom_time(event),
            raw=_raw({"msg_type": "text", "agent_id": str(event.get("AgentID") or "")}),
        )
    ]


def wecom_receipts(event: dict[str, Any]) -> list[channel_pb2.ProviderReceipt]:
    """A customer deleting the advisor (`del_follow_user`) withdraws WeCom consent, a customer's text
    reply is recorded as REPLIED; other events are acknowledged and dropped."""
    if event.get("MsgType") == "text":
        return wecom_reply(event)
    if event.get("Event") != "change_external_contact" or event.get("ChangeType") != "del_follow_user":
        return []
    external_userid = str(event.get("ExternalUserID", ""))
    userid = str(event.get("UserID", ""))
    return [
        P.ProviderReceipt(
            provider="wecom",
            status=P.MESSAGE_STATUS_UNSUBSCRIBED,
            from_address=external_userid,
            provider_code="del_follow_user",
            receipt_id=f"del_follow_user:{userid}:{external_userid}:{event.get('CreateTime', '')}",
            occurred_at=_stamp(),
            raw=_raw({"change_type": "del_follow_user", "userid": userid}),
        )
    ]


@router.post(
    "/wecom", summary="WeCom push (encrypted): customers' replies and customers removing their advisor"
)
async def wecom_event(request: Request) -> Response:
    import xmltodict
    from wechatpy.exceptions import InvalidSignatureException

    config = settings()
    signature, timestamp, nonce = _wecom_query(request, config)
    body = await request.body()
    try:
        plaintext = _wecom_crypto(config).decrypt_message(body, signature, timestamp, nonce)
    except InvalidSignatureException as error:
        raise HTTPException(status_code=401, detail="WeCom signature does not match") from error
    except Exception as error:  # not XML, no Encrypt element, or not our corp's key
        raise HTTPException(status_code=401, detail="WeCom payload does not decrypt") from error
    try:
        event = xmltodict.parse(plaintext)["xml"]
    except Exception as error:
        raise HTTPException(status_code=400, detail="decrypted payload is not WeCom XML") from error
    await publish_receipts(request, body, "wecom", wecom_receipts(dict(event)))
    # WeCom expects "success" (or an empty body) within 5 seconds, else it retries.
    return PlainTextResponse("success")


@router.post(
    "/{provider}", summary="Signed provider callback (SMS reports/replies, push receipts, call results)"
)
async def provider_callback(provider: str, request: Request) -> JSONResponse:
    parser = PARSERS.get(provider)
    if parser is None:
        raise HTTPException(status_code=404, detail=f"unknown provider {provider!r}")
    body = await request.body()
    verify_hmac(request, provider, body, settings())
    try:
        payload = json.loads(body)
    except ValueError as error:
        raise HTTPException(status_code=400, detail="body is not JSON") from error
    try:
        receipts = parser(payload)
    except (AttributeError, TypeError) as error:
        raise HTTPException(status_code=400, detail="unexpected callback shape") from error
    await publish_receipts(request, body, provider, receipts)
    return JSONResponse(ACKS[provider])


def _verify_wechat(request: Request, config: CallbackSettings) -> None:
    from wechatpy.exceptions import InvalidSignatureException
    from wechatpy.utils import check_signature

    query = request.query_params
    timestamp = query.get("timestamp", "")
    if not _fresh(timestamp, config.max_skew_seconds):
        raise HTTPException(status_code=401, detail="stale or missing timestamp")
    try:
        check_signature(config.wechat_token, query.get("signature", ""), timestamp, query.get("nonce", ""))
    except InvalidSignatureException as error:
        raise HTTPException(status_code=401, detail="WeChat signature does not match") from error


@router.get("/wechat/{app}", summary="WeChat server URL verification (echostr)")
async def wechat_verify(app: str, request: Request) -> Response:
    _verify_wechat(request, settings())
    return PlainTextResponse(request.query_params.get("echostr", ""))


@router.post("/wechat/{app}", summary="WeChat event push: template-send results, unsubscribes, replies")
async def wechat_event(app: str, request: Request) -> Response:
    from wechatpy import parse_message

    _verify_wechat(request, settings())
    body = await request.body()
    message = parse_message(body)
    provider = "wechat_mini" if app == "mini" else "wechat_oa"
    openid = str(getattr(message, "source", ""))
    receipts: list[channel_pb2.ProviderReceipt] = []
    event = str(getattr(message, "event", "")).lower()
    if event == "unsubscribe":
        receipts.append(
            P.ProviderReceipt(
                provider=provider,
                status=P.MESSAGE_STATUS_UNSUBSCRIBED,
                from_address=openid,
                receipt_id=f"unsub:{openid}:{getattr(message, 'create_time', '')}",
                occurred_at=_stamp(),
            )
        )
    elif event == "templatesendjobfinish":
        status = str(getattr(message, "status", ""))
        receipts.append(
            P.ProviderReceipt(
                provider=provider,
                provider_message_id=str(getattr(message, "id", "")),
                status=P.MESSAGE_STATUS_DELIVERED if status == "success" else P.MESSAGE_STATUS_FAILED,
                provider_code=status,
                receipt_id=f"tpl:{getattr(message, 'id', '')}",
                occurred_at=_stamp(),
            )
        )
    elif getattr(message, "type", "") == "text":
        receipts.append(
            P.ProviderReceipt(
                provider=provider,
                reply_text=str(getattr(message, "content", "")),
                from_address=openid,
                receipt_id=f"text:{getattr(message, 'id', '')}",
                occurred_at=_stamp(),
            )
        )
    await publish_receipts(request, body, provider, receipts)
    # WeChat expects "success" (or an empty body) within 5 seconds.
    return PlainTextResponse("success")
