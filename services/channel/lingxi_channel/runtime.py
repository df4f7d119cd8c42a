"""The channel service's long-lived parts, built once per process and shared by gRPC and NATS.

The send path (gRPC Send/SendBatch and the lingxi.cmd.channel.send consumer) and the dispatcher
must share one `SendService` and one `Dispatcher`, so an accepted message wakes the dispatcher at
once instead of waiting for its next poll.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta

from google.protobuf import json_format

from lingxi.channel.v1 import channel_pb2
from lingxi_channel.accounts import AccountRegistry, upsert_account
from lingxi_channel.adapters import Adapter, default_adapters
from lingxi_channel.directory import CustomerDirectory
from lingxi_channel.dispatch import Dispatcher
from lingxi_channel.policy_store import PolicyStore, seed_from_json
from lingxi_channel.sends import SendService
from lingxi_channel.settings import ChannelSettings
from lingxi_channel.templates import TemplateCache
from lingxi_channel.webhooks import WebhookDeliverer
from lingxi_channel.wecom import WeComAdapter
from lingxi_channel.wecom_results import WeComResultPoller
from lingxi_common.db import transaction
from lingxi_common.pii import PiiCipher
from lingxi_common.service import ServiceContext

log = logging.getLogger(__name__)


@dataclass
class ChannelRuntime:
    ctx: ServiceContext
    settings: ChannelSettings
    cipher: PiiCipher
    directory: CustomerDirectory
    templates: TemplateCache
    registry: AccountRegistry
    policies: PolicyStore
    sends: SendService
    dispatcher: Dispatcher
    webhooks: WebhookDeliverer
    wecom_results: WeComResultPoller
    seeded: bool = False

    async def seed_accounts(self) -> None:
        """Create the configured development accounts (simulators) if they are missing."""
        if self.seeded or not self.settings.seed_accounts:
            return
        items = json.loads(self.settings.seed_accounts)
        async with transaction(self.ctx.sessions) as session:
            for item in items:
                account = json_format.ParseDict(item, channel_pb2.ChannelAccount())
                await upsert_account(session, account)
        self.registry.invalidate()
        self.seeded = True


_runtimes: dict[int, ChannelRuntime] = {}


def runtime_for(ctx: ServiceContext, adapters: dict[str, Adapter] | None = None) -> ChannelRuntime:
    existing = _runtimes.get(id(ctx))
    if existing is not None and existing.ctx is ctx:
        return existing
    settings = ctx.settings
    assert isinstance(settings, ChannelSettings)
    cipher = PiiCipher.from_base64(settings.pii_key)
    registry = AccountRegistry(ctx.sessions, production=settings.is_production)
    directory = CustomerDirectory(settings.tag_address, settings.service_token)
    templates = TemplateCache(ctx.sessions)
    adapters = adapters or default_adapters()
    dispatcher = Dispatcher(
        ctx.sessions,
        cipher,
        registry,
        adapters,
        batch_size=settings.dispatch_batch_size,
        concurrency=settings.dispatch_concurrency,
        workers=settings.dispatch_workers,
        max_attempts=settings.dispatch_max_attempts,
        lease_seconds=settings.dispatch_lease_seconds,
        poll_interval=settings.dispatch_poll_interval,
    )
    policies = PolicyStore(
        ctx.sessions, seed_from_json(settings.policy_json), refresh=settings.policy_refresh_seconds
    )
    sends = SendService(
        directory=directory,
        templates=templates,
        policies=policies,
        cipher=cipher,
        registry=registry,
    )
    webhooks = WebhookDeliverer(
        ctx.sessions,
        cipher,
        backoff=tuple(settings.webhook_backoff_seconds),
        burst_attempts=settings.webhook_burst_attempts,
        burst_wait=settings.webhook_burst_wait,
        poll_interval=settings.webhook_poll_interval,
    )
    wecom = adapters.get("wecom")
    wecom_results = WeComResultPoller(
        ctx.sessions,
        cipher,
        registry,
        wecom if isinstance(wecom, WeComAdapter) else None,
        interval=settings.wecom_result_interval,
        max_wait=timedelta(hours=settings.wecom_result_max_wait_hours),
    )
    runtime = ChannelRuntime(
        ctx,
        settings,
        cipher,
        directory,
        templates,
        registry,
        policies,
        sends,
        dispatcher,
        webhooks,
        wecom_results,
    )
    _runtimes[id(ctx)] = runtime
    return runtime
