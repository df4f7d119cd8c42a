"""Provider adapters: each channel through its provider's own SDK, endpoint set by configuration.

The SDKs (tencentcloud-sdk-python-sms, alibabacloud_dysmsapi20170525, jpush) are synchronous
(requests / urllib based), so calls run in worker threads. Every adapter classifies failures the
same way, because the dispatcher's exactly-once rule depends on it:

- `ProviderRejected`: the provider answered and refused the message (bad number, template) —
  permanent; never retried.
- `ProviderUnavailable`: the provider certainly did not take the message (5xx, 429, refused
  connection) — retry later or fail over to the next account.
- `OutcomeUnknown`: the request may have reached the provider (read timeout) — only safe to
  repeat where the provider deduplicates on our id (`dedupes`), otherwise dead-lettered for an
  operator rather than risk a second SMS.

Endpoint overrides: Tencent `HttpProfile(endpoint=…, protocol="http")`; Alibaba
`Config(endpoint=…, protocol="http")`; JPush has no endpoint option, so a named zone whose URLs
point at the configured endpoint is registered in `jpush.common.ZONES` and selected with
`JPush(..., zone=…)` — the zone table is the SDK's own extension point for regional endpoints.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from lingxi.common.v1 import enums_pb2
from lingxi_channel.rendering import Rendered

C = enums_pb2
# The jpush SDK logs every non-2xx answer at ERROR with the response body; failures are classified
# and logged (masked) by the dispatcher instead.
logging.getLogger("jpush").setLevel(logging.CRITICAL)


class ProviderError(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class ProviderRejected(ProviderError):
    """Permanent refusal."""


class ProviderUnavailable(ProviderError):
    """Certainly not accepted; safe to retry or fail over."""


class OutcomeUnknown(ProviderError):
    """Maybe accepted; repeat only with provider-side deduplication."""


class NotSent(ProviderUnavailable):
    """Never handed over: the dispatcher is stopping and starts no new request."""

    def __init__(self) -> None:
        super().__init__("stopping", "the dispatcher is stopping")


class CallGate:
    """Bounds provider requests in flight, and closes for new ones when the dispatcher stops.

    A graceful stop finishes the requests already made (their outcome is recorded) but must not
    start more: what has not left goes back to the queue untouched. Adapters enter the gate around
    each request and, once `stopping` is set, answer NotSent instead of calling.
    """

    def __init__(self, limit: int) -> None:
        self._slots = asyncio.Semaphore(limit)
        self.stopping = False

    async def __aenter__(self) -> CallGate:
        await self._slots.acquire()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._slots.release()


@dataclass(frozen=True, slots=True)
class Account:
    """A configured provider account (ChannelAccount), with its credentials resolved."""

    account_id: str
    channel: int
    provider: str
    endpoint: str = ""
    app_id: str = ""
    key_id: str = "sim-key"
    key_secret: str = "sim-secret"  # noqa: S105 - simulator default, replaced by credentials_ref
    sms_signature: str = ""
    rate_per_second: int = 0
    burst: int = 0
    failover_order: int = 0
    timeout_seconds: float = 5.0
    # WeCom: the self-built app (agent) whose secret is key_secret; kept to name the app.
    agent_id: str = ""


@dataclass(frozen=True, slots=True)
class Outgoing:
    message_id: str
    address: str
    rendered: Rendered
    message_class: int
    # WeCom: the member (advisor) on whose behalf the message goes out.
    sender: str = ""


class Adapter(Protocol):
    provider: str
    # Provider-side deduplication on our message id: a repeated call cannot send twice.
    dedupes: bool

    async def send(self, account: Account, message: Outgoing) -> str:
        """Hand the message over; returns the provider's message id."""
        ...


def _transient_text(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in ("timed out", "timeout", "read operation"))


# Tencent SendSms takes up to 200 numbers of one template and parameter set per request, but the
# only per-request field it echoes is SessionContext (< 512 bytes). We put the ids of the messages a
# request carries there, in PhoneNumberSet order, so every request names its messages (support,
# audits, the benchmark's duplicate count): 20 compact ids fit, which bounds a request to 20 numbers.
TENCENT_GROUP = 20
_SESSION_PREFIX = "lx1:"


def session_context(message_ids: list[str]) -> str:
    """SessionContext naming the messages of one SendSms request (`lx1:` + base64url UUIDs)."""
    compact = [
        base64.urlsafe_b64encode(uuid.UUID(hex=mid.removeprefix("msg_")).bytes).rstrip(b"=").decode()
        for mid in message_ids
    ]
    return _SESSION_PREFIX + ",".join(compact)


def session_message_ids(text: str) -> list[str]:
    """The message ids a SessionContext names (a bare message id from before batching is one)."""
    if not text.startswith(_SESSION_PREFIX):
        return [text] if text else []
    ids = []
    for part in text.removeprefix(_SESSION_PREFIX).split(","):
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        ids.append(f"msg_{uuid.UUID(bytes=raw).hex}")
    return ids


def _tencent_failure(error: Exception) -> ProviderError:
    """Classify a failed SendSms call (the whole request: every number in it shares the outcome)."""
    from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException

    if isinstance(error, TencentCloudSDKException):
        text = f"{error.code} {error.message}"
        if _transient_text(text):
            return OutcomeUnknown("timeout", text)
        if error.code and (
            error.code.startswith(
                (
                    "InternalError",
                    "RequestLimitExceeded",
                    "ClientNetworkError",
                    "ServerNetworkError",
                    "LimitExceeded",
                )
            )
            or "status" in (error.message or "").lower()
        ):
            return ProviderUnavailable(error.code, text)
        return ProviderRejected(error.code or "rejected", text)
    if _transient_text(str(error)):  # requests errors escaping the SDK
        return OutcomeUnknown("timeout", str(error))
    return ProviderUnavailable("network", str(error))


def _e164(address: str) -> str:
    return address if address.startswith("+") else f"+86{address}"


class TencentSmsAdapter:
    """Tencent Cloud SMS (API 3.0, SendSms) through tencentcloud-sdk-python-sms.

    `send_many` puts messages with the same template and parameters (a campaign's identical
    notice) into one request of up to `TENCENT_GROUP` distinct numbers; personalised messages go
    one per request.
    """

    provider = "tencent_sms"
    dedupes = False

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def _client(self, account: Account) -> Any:
        client = self._clients.get(account.account_id)
        if client is None:
            from tencentcloud.common import credential
            from tencentcloud.common.profile.client_profile import ClientProfile
            from tencentcloud.common.profile.http_profile import HttpProfile
            from tencentcloud.sms.v20210111 import sms_client

            profile = ClientProfile(
                httpProfile=HttpProfile(
                    protocol="http"
                    if account.endpoint.startswith("127.") or account.endpoint.startswith("localhost")
                    else "https",
                    endpoint=account.endpoint or None,
                    reqTimeout=int(max(account.timeout_seconds, 1)),
                    keepAlive=True,
                )
            )
            client = sms_client.SmsClient(
                credential.Credential(account.key_id, account.key_secret), "ap-guangzhou", profile
            )
            self._clients[account.account_id] = client
        return client

    def _call_group(self, account: Account, group: list[Outgoing]) -> list[str | ProviderError]:
        """One SendSms request for messages sharing template and parameters, distinct numbers."""
        from tencentcloud.sms.v20210111 import models

        first = group[0].rendered
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [_e164(message.address) for message in group]
        request.SmsSdkAppId = account.app_id or "1400000000"
        request.SignName = (account.sms_signature or "").strip("【】")
        request.TemplateId = first.provider_template_id
        request.TemplateParamSet = first.params
        request.SessionContext = session_context([message.message_id for message in group])
        try:
            response = self._client(account).SendSms(request)
        except Exception as error:
            failure = _tencent_failure(error)
            return [failure] * len(group)
        by_phone = {status.PhoneNumber: status for status in response.SendStatusSet or []}
        results: list[str | ProviderError] = []
        for message in group:
            status = by_phone.get(_e164(message.address))
            if status is None:
                # The provider answered but said nothing of this number: it may have been sent.
                results.append(OutcomeUnknown("no_status_for_number"))
            elif status.Code != "Ok":
                results.append(ProviderRejected(status.Code, status.Message))
            else:
                results.append(str(status.SerialNo))
        return results

    def _call(self, account: Account, message: Outgoing) -> str:
        (result,) = self._call_group(account, [message])
        if isinstance(result, ProviderError):
            raise result
        return result

    async def send(self, account: Account, message: Outgoing) -> str:
        return await asyncio.to_thread(self._call, account, message)

    @staticmethod
    def groups(messages: list[Outgoing]) -> list[list[int]]:
        """Indexes of `messages` per request: same template and parameters, distinct numbers."""
        open_groups: dict[tuple[str, tuple[str, ...]], list[list[int]]] = {}
        for index, message in enumerate(messages):
            key = (message.rendered.provider_template_id, tuple(message.rendered.params))
            phone = _e164(message.address)
            chunks = open_groups.setdefault(key, [])
            for chunk in chunks:
                if len(chunk) < TENCENT_GROUP and all(_e164(messages[i].address) != phone for i in chunk):
                    chunk.append(index)
                    break
            else:
                chunks.append([index])
        return [chunk for chunks in open_groups.values() for chunk in chunks]

    async def send_many(
        self, account: Account, messages: list[Outgoing], gate: CallGate
    ) -> list[str | ProviderError]:
        results: list[str | ProviderError | None] = [None] * len(messages)

        async def one(chunk: list[int]) -> None:
            async with gate:
                if gate.stopping:
                    found: list[str | ProviderError] = [NotSent()] * len(chunk)
                else:
                    found = await asyncio.to_thread(self._call_group, account, [messages[i] for i in chunk])
            for index, result in zip(chunk, found, strict=True):
                results[index] = result

        await asyncio.gather(*(one(chunk) for chunk in self.groups(messages)))
        return [r if r is not None else OutcomeUnknown("not_attempted") for r in results]


class AliyunSmsAdapter:
    """Alibaba Cloud SMS (Dysmsapi 2017-05-25, SendSms) through alibabacloud_dysmsapi20170525."""

    provider = "aliyun_sms"
    dedupes = False

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def _client(self, account: Account) -> Any:
        client = self._clients.get(account.account_id)
        if client is None:
            from alibabacloud_dysmsapi20170525.client import Client
            from alibabacloud_tea_openapi.models import Config

            local = account.endpoint.startswith(("127.", "localhost"))
            config = Config(
                access_key_id=account.key_id,
                access_key_secret=account.key_secret,
                endpoint=account.endpoint or "dysmsapi.aliyuncs.com",
                protocol="http" if local else "https",
            )
            client = Client(config)
            self._clients[account.account_id] = client
        return client

    def _call(self, account: Account, message: Outgoing) -> str:
        from alibabacloud_dysmsapi20170525 import models
        from alibabacloud_tea_util.models import RuntimeOptions
        from Tea.exceptions import TeaException, UnretryableException

        variables = dict(
            zip(
                [f"p{i + 1}" for i in range(len(message.rendered.params))],
                message.rendered.params,
                strict=True,
            )
        )
        request = models.SendSmsRequest(
            phone_numbers=message.address.removeprefix("+86"),
            sign_name=(account.sms_signature or "").strip("【】"),
            template_code=message.rendered.provider_template_id,
            template_param=json.dumps(variables, ensure_ascii=False),
            out_id=message.message_id,
        )
        runtime = RuntimeOptions(
            autoretry=False,
            read_timeout=int(account.timeout_seconds * 1000),
            connect_timeout=2000,
        )
        try:
            response = self._client(account).send_sms_with_options(request, runtime)
        except UnretryableException as error:
            # The request did not complete: a transport error (refused = not sent; timeout =
            # unknown). Must be caught before TeaException, its base class.
            inner = getattr(error, "inner_exception", None)
            text = f"{type(inner).__name__}: {inner}"
            if _transient_text(text):
                raise OutcomeUnknown("timeout", text) from error
            raise ProviderUnavailable("network", text) from error
        except TeaException as error:
            status = getattr(error, "statusCode", None) or 0
            if status >= 500 or status == 429 or error.code in ("Throttling", "isv.BUSINESS_LIMIT_CONTROL"):
                raise ProviderUnavailable(str(error.code or status), str(error.message)) from error
            raise ProviderRejected(str(error.code or status), str(error.message)) from error
        except Exception as error:
            if _transient_text(str(error)):
                raise OutcomeUnknown("timeout", str(error)) from error
            raise ProviderUnavailable("network", str(error)) from error
        body = response.body
        if body.code != "OK":
            if body.code in ("isv.BUSINESS_LIMIT_CONTROL", "Throttling"):
                raise ProviderUnavailable(body.code, body.message or "")
            raise ProviderRejected(body.code or "rejected", body.message or "")
        return str(body.biz_id)

    async def send(self, account: Account, message: Outgoing) -> str:
        return await asyncio.to_thread(self._call, account, message)


# JPush batch single push takes up to 1,000 entries; 500 keeps a request well under its size limit.
JPUSH_BATCH = 500


class JPushAdapter:
    """JPush REST v3 through the jpush SDK; `cid` makes repeated calls safe (provider dedupe)."""

    provider = "jpush"
    dedupes = True

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def _client(self, account: Account) -> Any:
        client = self._clients.get(account.account_id)
        if client is None:
            import jpush
            from jpush import common

            zone = "default"
            if account.endpoint:
                zone = f"LINGXI_{account.account_id}".upper()
                scheme = "http" if account.endpoint.startswith(("127.", "localhost")) else "https"
                base = f"{scheme}://{account.endpoint}"
                common.ZONES[zone] = {
                    "PUSH": f"{base}/v3/",
                    "REPORT": f"{base}/v3/report/",
                    "DEVICE": f"{base}/v3/devices/",
                    "ALIAS": f"{base}/v3/aliases/",
                    "TAG": f"{base}/v3/tags/",
                    "SCHEDULE": f"{base}/v3/schedules/",
                    "ADMIN": f"{base}/v1/",
                }
            client = jpush.JPush(
                account.app_id or account.key_id,
                account.key_secret,
                timeout=account.timeout_seconds,
                zone=zone,
            )
            self._clients[account.account_id] = client
        return client

    @staticmethod
    def _notification(message: Outgoing) -> Any:
        import jpush

        extras = {**message.rendered.extras, "lingxi_message_id": message.message_id}
        if message.rendered.url:
            extras["url"] = message.rendered.url
        return jpush.notification(
            alert=message.rendered.body,
            android=jpush.android(
                alert=message.rendered.body, title=message.rendered.title or None, extras=extras
            ),
            ios=jpush.ios(alert=message.rendered.body, extras=extras),
        )

    @staticmethod
    def cid(client: Any, message: Outgoing) -> str:
        """JPush's dedupe key `<appkey>-<uuid>`: the message id, so a repeat is dropped by JPush."""
        return f"{client.key}-{uuid.UUID(hex=message.message_id.removeprefix('msg_'))}"

    @staticmethod
    def _failure(error: Exception) -> ProviderError:
        from jpush import common

        if isinstance(error, common.JPushFailure):
            status = error.response.status_code if error.response is not None else 0
            if status >= 500 or status == 429:
                return ProviderUnavailable(str(status), str(error.error))
            return ProviderRejected(str(error.error_code or status), str(error.error))
        if isinstance(error, common.Unauthorized):
            return ProviderRejected("unauthorized", str(error))
        # Connection / request errors: with `cid`, repeating is safe either way.
        return OutcomeUnknown("network", str(error))

    def _call(self, account: Account, message: Outgoing) -> str:
        import jpush
        from jpush import common

        client = self._client(account)
        push = client.create_push()
        push.audience = jpush.audience(jpush.alias(message.address))
        push.notification = self._notification(message)
        push.platform = jpush.all_
        push.cid = self.cid(client, message)
        try:
            response = push.send()
        except (
            common.JPushFailure,
            common.Unauthorized,
            common.APIConnectionException,
            common.APIRequestException,
        ) as error:
            raise self._failure(error) from error
        return str(response.payload.get("msg_id", ""))

    async def send(self, account: Account, message: Outgoing) -> str:
        return await asyncio.to_thread(self._call, account, message)

    def _call_batch(self, account: Account, batch: list[Outgoing]) -> list[str | ProviderError]:
        """JPush batch single push (`POST /v3/push/batch/alias/single`): one request, one entry per
        message keyed by its own `cid`, so JPush's per-message dedupe holds as for single pushes.
        The SDK's `batch_push_by_alias` asks JPush for fresh cids, which would defeat that; the
        request goes through the SDK's own transport with ours instead."""
        from jpush import common

        client = self._client(account)
        cids = [self.cid(client, message) for message in batch]
        body = {
            "pushlist": {
                cid: {
                    "platform": "all",
                    "target": message.address,
                    "notification": self._notification(message),
                }
                for cid, message in zip(cids, batch, strict=True)
            }
        }
        url = common.get_url("push", client.zone) + "push/batch/alias/single"
        try:
            response = client._request("POST", json.dumps(body), url, "application/json", version=3)
            answers = response.json()
        except Exception as error:
            failure = self._failure(error)
            return [failure] * len(batch)
        results: list[str | ProviderError] = []
        for cid in cids:
            answer = answers.get(cid) if isinstance(answers, dict) else None
            if not isinstance(answer, dict):
                results.append(OutcomeUnknown("no_answer_for_cid"))
            elif "msg_id" in answer:
                results.append(str(answer["msg_id"]))
            else:
                code = int((answer.get("error") or {}).get("code", 0) or 0)
                text = str((answer.get("error") or {}).get("message", ""))
                # 2002/2008: rate limits, 1000: JPush internal error — not sent, may be retried.
                failure_type = ProviderUnavailable if code in (1000, 2002, 2008) else ProviderRejected
                results.append(failure_type(str(code), text))
        return results

    async def send_many(
        self, account: Account, messages: list[Outgoing], gate: CallGate
    ) -> list[str | ProviderError]:
        chunks = [messages[start : start + JPUSH_BATCH] for start in range(0, len(messages), JPUSH_BATCH)]

        async def one(chunk: list[Outgoing]) -> list[str | ProviderError]:
            async with gate:
                if gate.stopping:
                    return [NotSent()] * len(chunk)
                if len(chunk) == 1:  # a lone message goes as an ordinary push
                    try:
                        return [await asyncio.to_thread(self._call, account, chunk[0])]
                    except ProviderError as error:
                        return [error]
                return await asyncio.to_thread(self._call_batch, account, chunk)

        answers = await asyncio.gather(*(one(chunk) for chunk in chunks))
        return [result for chunk in answers for result in chunk]


class WeChatAdapter:
    """WeChat service-account template messages and mini-program subscribe messages (wechatpy).

    wechatpy takes its API base from the client class (`API_BASE_URL`, and `wxa.API_BASE_URL` for
    mini-program calls) but fetches access tokens from a fixed URL, so the client is a small
    subclass whose token URL follows the configured endpoint. In production several replicas must
    share one access token (WeChat keeps only the latest valid): give the client a shared wechatpy
    session storage; the simulators accept any token they issued.
    """

    dedupes = False

    def __init__(self, provider: str) -> None:
        self.provider = provider
        self._clients: dict[str, Any] = {}

    def _client(self, account: Account) -> Any:
        client = self._clients.get(account.account_id)
        if client is None:
            from wechatpy import WeChatClient

            local = account.endpoint.startswith(("127.", "localhost"))
            base = (
                f"{'http' if local else 'https'}://{account.endpoint}/"
                if account.endpoint
                else "https://api.weixin.qq.com/"
            )

            class ConfiguredClient(WeChatClient):
                API_BASE_URL = f"{base}cgi-bin/"

                def fetch_access_token(self) -> Any:
                    return self._fetch_access_token(
                        url=f"{base}cgi-bin/token",
                        params={
                            "grant_type": "client_credential",
                            "appid": self.appid,
                            "secret": self.secret,
                        },
                    )

            client = ConfiguredClient(
                account.app_id or account.key_id,
                account.key_secret,
                timeout=account.timeout_seconds,
                auto_retry=True,
            )
            client.wxa.API_BASE_URL = base
            self._clients[account.account_id] = client
        return client

    def _call(self, account: Account, message: Outgoing) -> str:
        import requests
        from wechatpy.exceptions import WeChatClientException

        client = self._client(account)
        fields = message.rendered.fields or {"thing1": message.rendered.body}
        data = {key: {"value": value} for key, value in fields.items()}
        try:
            if self.provider == "wechat_mini":
                client.wxa.send_subscribe_message(
                    message.address,
                    message.rendered.provider_template_id,
                    data,
                    page=message.rendered.url or None,
                )
                # subscribeMessage.send returns no message id; ours identifies the send.
                return message.message_id
            result = client.message.send_template(
                message.address, message.rendered.provider_template_id, data, url=message.rendered.url or None
            )
        except WeChatClientException as error:
            response = getattr(error, "response", None)
            status = getattr(response, "status_code", 0) or 0
            cause = getattr(error, "request", None)
            if error.errcode is None:
                text = f"{status} {error.errmsg or ''} {cause}"
                if status >= 500 or status == 429:
                    raise ProviderUnavailable(str(status), text) from error
                raise ProviderUnavailable("network", text) from error
            if error.errcode in (-1, 45009, 45047):  # system busy, API frequency limits
                raise ProviderUnavailable(str(error.errcode), str(error.errmsg)) from error
            raise ProviderRejected(str(error.errcode), str(error.errmsg)) from error
        except requests.Timeout as error:
            raise OutcomeUnknown("timeout", str(error)) from error
        except requests.RequestException as error:
            raise ProviderUnavailable("network", str(error)) from error
        return str(result.get("msgid", message.message_id))

    async def send(self, account: Account, message: Outgoing) -> str:
        return await asyncio.to_thread(self._call, account, message)


class CallTaskAdapter:
    """Outbound call tasks for the call center / AI outbound vendor (plain HTTP API, no SDK).

    `POST {endpoint}/v1/call-tasks` with `Idempotency-Key: <message id>`: the vendor creates one
    task per key (a repeat returns the same call id), so repeating after a timeout is safe. The
    call result (connected, intent, no answer, refused…) arrives later as a signed callback.
    """

    provider = "call"
    dedupes = True

    def __init__(self) -> None:
        self._client: Any = None

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(timeout=httpx.Timeout(5.0, connect=2.0))
        return self._client

    async def send(self, account: Account, message: Outgoing) -> str:
        import httpx

        local = account.endpoint.startswith(("127.", "localhost"))
        url = f"{'http' if local else 'https'}://{account.endpoint}/v1/call-tasks"
        body = {
            "phone": message.address,
            "script": message.rendered.body,
            "title": message.rendered.title,
            "variables": message.rendered.params,
        }
        headers = {"Idempotency-Key": message.message_id, "Authorization": f"Bearer {account.key_secret}"}
        try:
            response = await self._http().post(
                url, json=body, headers=headers, timeout=account.timeout_seconds
            )
        except httpx.TimeoutException as error:
            raise OutcomeUnknown("timeout", str(error)) from error
        except httpx.HTTPError as error:
            raise ProviderUnavailable("network", str(error)) from error
        if response.status_code >= 500 or response.status_code == 429:
            raise ProviderUnavailable(str(response.status_code), response.text[:200])
        if response.status_code >= 400:
            raise ProviderRejected(str(response.status_code), response.text[:200])
        return str(response.json().get("call_id", ""))


def default_adapters() -> dict[str, Adapter]:
    from lingxi_channel.wecom import WeComAdapter

    adapters: list[Adapter] = [
        TencentSmsAdapter(),
        AliyunSmsAdapter(),
        JPushAdapter(),
        WeChatAdapter("wechat_oa"),
        WeChatAdapter("wechat_mini"),
        CallTaskAdapter(),
        WeComAdapter(),
    ]
    return {adapter.provider: adapter for adapter in adapters}
