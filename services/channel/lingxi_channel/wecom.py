"""WeCom (企业微信): a message to a customer (an external contact) on behalf of their advisor.

Through wechatpy's work client (`wechatpy.enterprise.WeChatClient` in the wechatpy 1.x we pin; it is
`wechatpy.work` in 2.x): `external_contact.add_msg_template` creates a group-message task for one
member (the advisor, `sender`) to the customer's `external_userid`. WeCom then asks the advisor to
confirm in their WeCom client, and only then sends; the outcome is read later with
`externalcontact/get_groupmsg_send_result` (see `wecom_results.py`). So a successful call means
SENT (handed to WeCom), and DELIVERED/FAILED follow from the result query.

The client takes its API base from the class (`API_BASE_URL`) but fetches tokens from a fixed URL
(`gettoken` on qyapi.weixin.qq.com), so, as for WeChat, a small subclass points both at the
account's endpoint. Account credentials (`credentials_ref`): `{"corp_id": …, "secret": …,
"agent_id": …}` — the secret of the self-built app (agent) that holds the customer-contact
permission. WeCom has no idempotency key on add_msg_template, so a timeout is an unknown outcome
and is never repeated (`dedupes = False`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from lingxi_channel.adapters import Account, OutcomeUnknown, Outgoing, ProviderRejected, ProviderUnavailable

# WeCom error codes that mean "not now" rather than "never": system busy, API frequency and
# concurrency limits.
RETRYABLE_ERRCODES = frozenset({-1, 45009, 45033, 45035})


def _base_url(account: Account) -> str:
    if not account.endpoint:
        return "https://qyapi.weixin.qq.com/"
    local = account.endpoint.startswith(("127.", "localhost"))
    return f"{'http' if local else 'https'}://{account.endpoint}/"


class WeComAdapter:
    """add_msg_template for sends, get_groupmsg_send_result for their outcome."""

    provider = "wecom"
    dedupes = False

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def _client(self, account: Account) -> Any:
        client = self._clients.get(account.account_id)
        if client is None:
            from wechatpy.enterprise import WeChatClient

            base = _base_url(account)

            class ConfiguredClient(WeChatClient):
                API_BASE_URL = f"{base}cgi-bin/"

                def fetch_access_token(self) -> Any:
                    return self._fetch_access_token(
                        url=f"{base}cgi-bin/gettoken",
                        params={"corpid": self.corp_id, "corpsecret": self.secret},
                    )

            client = ConfiguredClient(
                account.app_id or account.key_id,
                account.key_secret,
                timeout=account.timeout_seconds,
                auto_retry=True,
            )
            self._clients[account.account_id] = client
        return client

    @staticmethod
    def template(message: Outgoing) -> dict[str, Any]:
        """The add_msg_template body for one customer: text, plus a link card when there is a URL."""
        rendered = message.rendered
        body: dict[str, Any] = {
            "chat_type": "single",
            "external_userid": [message.address],
            "sender": message.sender,
            "text": {"content": rendered.body},
        }
        if rendered.url:
            body["attachments"] = [
                {
                    "msgtype": "link",
                    "link": {
                        "title": (rendered.title or rendered.body)[:128],
                        "url": rendered.url,
                        "desc": rendered.body[:512],
                    },
                }
            ]
        return body

    @staticmethod
    def _guarded(call: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one SDK call, classifying its failures the way the dispatcher needs."""
        import requests
        from wechatpy.exceptions import WeChatClientException

        try:
            return call(*args, **kwargs)
        except WeChatClientException as error:
            if error.errcode is None:  # HTTP-level failure: no WeCom answer to read
                response = getattr(error, "response", None)
                status = getattr(response, "status_code", 0) or 0
                raise ProviderUnavailable(str(status or "network"), str(error)) from error
            if error.errcode in RETRYABLE_ERRCODES:
                raise ProviderUnavailable(str(error.errcode), str(error.errmsg)) from error
            raise ProviderRejected(str(error.errcode), str(error.errmsg)) from error
        except requests.Timeout as error:
            raise OutcomeUnknown("timeout", str(error)) from error
        except requests.RequestException as error:
            raise ProviderUnavailable("network", str(error)) from error

    def _send(self, account: Account, message: Outgoing) -> str:
        if not message.sender:
            raise ProviderRejected("no_sender", "a WeCom message needs the advisor's userid")
        client = self._client(account)
        result = self._guarded(client.external_contact.add_msg_template, self.template(message))
        if message.address in (result.get("fail_list") or []):
            raise ProviderRejected("not_an_external_contact", "WeCom refused the external_userid")
        msgid = str(result.get("msgid", ""))
        if not msgid:
            raise ProviderRejected("no_msgid", "WeCom answered without a msgid")
        return msgid

    async def send(self, account: Account, message: Outgoing) -> str:
        return await asyncio.to_thread(self._send, account, message)

    def _results(self, account: Account, msgid: str, sender: str) -> list[dict[str, Any]]:
        client = self._client(account)
        found: list[dict[str, Any]] = []
        cursor = ""
        while True:
            data = {"msgid": msgid, "userid": sender, "limit": 1000, "cursor": cursor}
            page = self._guarded(client.post, "externalcontact/get_groupmsg_send_result", data=data)
            found.extend(page.get("send_list") or [])
            cursor = str(page.get("next_cursor") or "")
            if not cursor:
                return found

    async def send_results(self, account: Account, msgid: str, sender: str) -> list[dict[str, Any]]:
        """Per external contact of the task: status 0 waiting, 1 sent, 2 not a contact, 3 limit."""
        return await asyncio.to_thread(self._results, account, msgid, sender)
