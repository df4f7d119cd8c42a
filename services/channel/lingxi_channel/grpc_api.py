"""gRPC API of the channel service: sends and the ledger, templates, contact policy, inbox.

Handlers are thin: each opens a transaction, delegates to a domain module (which checks roles and
scope), and shapes the response.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeAlias

import grpc

from lingxi.channel.v1 import (
    channel_pb2,
    channel_service_pb2,
    channel_service_pb2_grpc,
    contact_policy_service_pb2,
    contact_policy_service_pb2_grpc,
    inbox_service_pb2,
    inbox_service_pb2_grpc,
    template_service_pb2,
    template_service_pb2_grpc,
    webhook_service_pb2,
    webhook_service_pb2_grpc,
)
from lingxi.channel.v1 import contact_policy_service_pb2 as CP
from lingxi.channel.v1 import inbox_service_pb2 as IB
from lingxi.channel.v1 import webhook_service_pb2 as WH
from lingxi.common.v1 import paging_pb2
from lingxi_channel import accounts, consent, inbox, ledger, policy_store, receipts, templates, webhooks
from lingxi_channel.directory import load_contexts
from lingxi_channel.policy import choose_channel
from lingxi_channel.rendering import render, sms_segments, validate_variables
from lingxi_channel.runtime import ChannelRuntime, runtime_for
from lingxi_channel.sends import MAX_BATCH
from lingxi_common.db import transaction
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.grpc_server import add_services, current_caller
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceContext

CONTRACTS = [
    (channel_service_pb2, channel_service_pb2_grpc),
    (contact_policy_service_pb2, contact_policy_service_pb2_grpc),
    (inbox_service_pb2, inbox_service_pb2_grpc),
    (template_service_pb2, template_service_pb2_grpc),
    (webhook_service_pb2, webhook_service_pb2_grpc),
]
SENDER_ROLES = frozenset(
    {Role.SERVICE, Role.HQ_OPERATOR, Role.CALL_CENTER, Role.ADVISOR, Role.BRANCH_MANAGER}
)
ACCOUNT_ADMINS = frozenset({Role.SRE, Role.HQ_OPERATOR, Role.SERVICE})
Ctx: TypeAlias = "grpc.aio.ServicerContext[Any, Any]"


def _require(caller: Caller, roles: frozenset[Role], what: str) -> None:
    if caller.role not in roles:
        raise PermissionDenied(f"role {caller.role.value} may not {what}")


class ChannelApi(channel_service_pb2_grpc.ChannelServiceServicer):
    def __init__(self, rt: ChannelRuntime) -> None:
        self._rt = rt

    async def _accept(
        self, items: list[channel_pb2.OutboundMessage], *, dry_run: bool = False
    ) -> list[channel_pb2.SendResult]:
        caller = current_caller()
        _require(caller, SENDER_ROLES, "send messages")
        await self._rt.seed_accounts()
        async with transaction(self._rt.ctx.sessions) as session:
            results = await self._rt.sends.accept(session, items, caller, dry_run=dry_run)
        self._rt.dispatcher.wake()
        return results

    async def Send(
        self, request: channel_service_pb2.SendRequest, context: Ctx
    ) -> channel_service_pb2.SendResponse:
        (result,) = await self._accept([request.message], dry_run=request.dry_run)
        if result.reason_code == "invalid_request":
            field, _, reason = result.reason.partition(": ")
            raise InvalidArgument(f"message.{field}", reason)
        return channel_service_pb2.SendResponse(result=result)

    async def SendBatch(
        self, request: channel_service_pb2.SendBatchRequest, context: Ctx
    ) -> channel_service_pb2.SendBatchResponse:
        if len(request.messages) > MAX_BATCH:
            raise InvalidArgument("messages", f"at most {MAX_BATCH} per batch")
        return channel_service_pb2.SendBatchResponse(results=await self._accept(list(request.messages)))

    async def GetMessage(
        self, request: channel_service_pb2.GetMessageRequest, context: Ctx
    ) -> channel_service_pb2.GetMessageResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            message = await ledger.get_message(session, self._rt.cipher, current_caller(), request)
        return channel_service_pb2.GetMessageResponse(message=message)

    async def ListMessages(
        self, request: channel_service_pb2.ListMessagesRequest, context: Ctx
    ) -> channel_service_pb2.ListMessagesResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            found, page = await ledger.list_messages(session, self._rt.cipher, current_caller(), request)
        return channel_service_pb2.ListMessagesResponse(messages=found, page=page)

    async def CancelMessages(
        self, request: channel_service_pb2.CancelMessagesRequest, context: Ctx
    ) -> channel_service_pb2.CancelMessagesResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            cancelled = await ledger.cancel_messages(session, self._rt.cipher, current_caller(), request)
        return channel_service_pb2.CancelMessagesResponse(cancelled=cancelled)

    async def RecordReceipts(
        self, request: channel_service_pb2.RecordReceiptsRequest, context: Ctx
    ) -> channel_service_pb2.RecordReceiptsResponse:
        caller = current_caller()
        _require(caller, frozenset({Role.SERVICE, Role.SRE}), "record provider receipts")
        async with transaction(self._rt.ctx.sessions) as session:
            applied, duplicates, unmatched = await receipts.record_receipts(
                session, self._rt.cipher, caller, list(request.receipts)
            )
        return channel_service_pb2.RecordReceiptsResponse(
            applied=applied, duplicates=duplicates, unmatched=unmatched
        )

    async def RetryFailedMessages(
        self, request: channel_service_pb2.RetryFailedMessagesRequest, context: Ctx
    ) -> channel_service_pb2.RetryFailedMessagesResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            requeued = await ledger.retry_failed(session, current_caller(), request)
        self._rt.dispatcher.wake()
        return channel_service_pb2.RetryFailedMessagesResponse(requeued=requeued)

    async def UpsertChannelAccount(
        self, request: channel_service_pb2.UpsertChannelAccountRequest, context: Ctx
    ) -> channel_service_pb2.UpsertChannelAccountResponse:
        _require(current_caller(), ACCOUNT_ADMINS, "manage channel accounts")
        async with transaction(self._rt.ctx.sessions) as session:
            account = await accounts.upsert_account(session, request.account)
        self._rt.registry.invalidate()
        return channel_service_pb2.UpsertChannelAccountResponse(account=account)

    async def ListChannelAccounts(
        self, request: channel_service_pb2.ListChannelAccountsRequest, context: Ctx
    ) -> channel_service_pb2.ListChannelAccountsResponse:
        _require(current_caller(), ACCOUNT_ADMINS | {Role.COMPLIANCE}, "list channel accounts")
        await self._rt.seed_accounts()
        async with transaction(self._rt.ctx.sessions) as session:
            found = await accounts.list_accounts(session, request.channel)
        return channel_service_pb2.ListChannelAccountsResponse(accounts=found)

    async def ListProviderHealth(
        self, request: channel_service_pb2.ListProviderHealthRequest, context: Ctx
    ) -> channel_service_pb2.ListProviderHealthResponse:
        from decimal import Decimal

        from lingxi.common.v1 import decimal_pb2

        _require(current_caller(), ACCOUNT_ADMINS | {Role.COMPLIANCE}, "read provider health")
        async with transaction(self._rt.ctx.sessions) as session:
            found = await accounts.list_accounts(session)
        providers = []
        for account in found:
            breaker = self._rt.dispatcher.breaker(account.account_id)
            rate = Decimal(breaker.errors) / Decimal(breaker.calls) if breaker.calls else Decimal(0)
            providers.append(
                channel_pb2.ProviderHealth(
                    account_id=account.account_id,
                    provider=account.provider,
                    circuit=breaker.state,
                    error_rate=decimal_pb2.Decimal(value=str(rate.quantize(Decimal("0.0001")))),
                    p99_latency_ms=breaker.p99_ms(),
                )
            )
        return channel_service_pb2.ListProviderHealthResponse(providers=providers)


class TemplateApi(template_service_pb2_grpc.TemplateServiceServicer):
    def __init__(self, rt: ChannelRuntime) -> None:
        self._rt = rt

    async def CreateTemplate(
        self, request: template_service_pb2.CreateTemplateRequest, context: Ctx
    ) -> template_service_pb2.CreateTemplateResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            template, version = await templates.create_template(session, current_caller(), request)
        return template_service_pb2.CreateTemplateResponse(template=template, version=version)

    async def GetTemplate(
        self, request: template_service_pb2.GetTemplateRequest, context: Ctx
    ) -> template_service_pb2.GetTemplateResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            loaded = await templates.get_template(session, request.template_code, request.version)
        return template_service_pb2.GetTemplateResponse(template=loaded.template, version=loaded.version)

    async def ListTemplates(
        self, request: template_service_pb2.ListTemplatesRequest, context: Ctx
    ) -> template_service_pb2.ListTemplatesResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            found = await templates.list_templates(session, request)
        return template_service_pb2.ListTemplatesResponse(
            templates=found, page=paging_pb2.PageResponse(total_size=-1)
        )

    async def CreateTemplateVersion(
        self, request: template_service_pb2.CreateTemplateVersionRequest, context: Ctx
    ) -> template_service_pb2.CreateTemplateVersionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            version = await templates.create_version(session, current_caller(), request)
        return template_service_pb2.CreateTemplateVersionResponse(version=version)

    async def ListTemplateVersions(
        self, request: template_service_pb2.ListTemplateVersionsRequest, context: Ctx
    ) -> template_service_pb2.ListTemplateVersionsResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            found = await templates.list_versions(session, request.template_code)
        return template_service_pb2.ListTemplateVersionsResponse(
            versions=found, page=paging_pb2.PageResponse(total_size=len(found))
        )

    async def SubmitTemplateVersion(
        self, request: template_service_pb2.SubmitTemplateVersionRequest, context: Ctx
    ) -> template_service_pb2.SubmitTemplateVersionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            version = await templates.submit_version(
                session, current_caller(), request.template_code, request.version
            )
        return template_service_pb2.SubmitTemplateVersionResponse(version=version)

    async def ApproveTemplateVersion(
        self, request: template_service_pb2.ApproveTemplateVersionRequest, context: Ctx
    ) -> template_service_pb2.ApproveTemplateVersionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            version = await templates.approve_version(session, current_caller(), request)
        self._rt.templates.invalidate()
        return template_service_pb2.ApproveTemplateVersionResponse(version=version)

    async def RejectTemplateVersion(
        self, request: template_service_pb2.RejectTemplateVersionRequest, context: Ctx
    ) -> template_service_pb2.RejectTemplateVersionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            version = await templates.reject_version(session, current_caller(), request)
        return template_service_pb2.RejectTemplateVersionResponse(version=version)

    async def RetireTemplateVersion(
        self, request: template_service_pb2.RetireTemplateVersionRequest, context: Ctx
    ) -> template_service_pb2.RetireTemplateVersionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            version = await templates.retire_version(session, current_caller(), request)
        self._rt.templates.invalidate()
        return template_service_pb2.RetireTemplateVersionResponse(version=version)

    async def PreviewTemplate(
        self, request: template_service_pb2.PreviewTemplateRequest, context: Ctx
    ) -> template_service_pb2.PreviewTemplateResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            loaded = await templates.get_template(session, request.template_code, request.version)
        declared = list(loaded.version.variables)
        values, problems = validate_variables(declared, dict(request.variables))
        response = template_service_pb2.PreviewTemplateResponse(
            errors=[
                template_service_pb2.VariableError(name=p.name, code=p.code, message=p.message)
                for p in problems
            ]
        )
        if problems:
            return response
        sms = await self._rt.registry.for_channel(loaded.template.channel)
        try:
            rendered = render(
                loaded.template.channel,
                loaded.template.message_class,
                loaded.version.content,
                declared,
                values,
                account_signature=sms[0].sms_signature if sms else "",
            )
        except ValueError as error:
            raise InvalidArgument("variables", str(error)) from error
        response.rendered.CopyFrom(
            template_service_pb2.TemplateContent(
                title=rendered.title,
                body=rendered.body,
                url=rendered.url,
                provider_template_id=rendered.provider_template_id,
                wechat_fields=[
                    template_service_pb2.WechatField(key=k, value=v) for k, v in rendered.fields.items()
                ],
                extras=rendered.extras,
            )
        )
        response.sms_segments = sms_segments(rendered.body)
        return response


class ContactPolicyApi(contact_policy_service_pb2_grpc.ContactPolicyServiceServicer):
    def __init__(self, rt: ChannelRuntime) -> None:
        self._rt = rt

    async def _preferences(
        self, session: object, customer_id: str
    ) -> contact_policy_service_pb2.ContactPreferences:
        return await consent.get_preferences(session, self._rt.sends.policy, customer_id)

    async def GetContactPreferences(
        self, request: CP.GetContactPreferencesRequest, context: Ctx
    ) -> CP.GetContactPreferencesResponse:
        consent.check_access(current_caller(), request.customer_id, write=False)
        async with transaction(self._rt.ctx.sessions) as session:
            prefs = await self._preferences(session, request.customer_id)
        return contact_policy_service_pb2.GetContactPreferencesResponse(preferences=prefs)

    async def SetConsent(self, request: CP.SetConsentRequest, context: Ctx) -> CP.SetConsentResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            await consent.set_consent(session, current_caller(), request)
            prefs = await self._preferences(session, request.customer_id)
        return contact_policy_service_pb2.SetConsentResponse(preferences=prefs)

    async def SetPersonalizationOptOut(
        self, request: CP.SetPersonalizationOptOutRequest, context: Ctx
    ) -> CP.SetPersonalizationOptOutResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            await consent.set_personalization(session, current_caller(), request)
            prefs = await self._preferences(session, request.customer_id)
        return contact_policy_service_pb2.SetPersonalizationOptOutResponse(preferences=prefs)

    async def SetDoNotDisturb(
        self, request: CP.SetDoNotDisturbRequest, context: Ctx
    ) -> CP.SetDoNotDisturbResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            await consent.set_do_not_disturb(session, current_caller(), request)
            prefs = await self._preferences(session, request.customer_id)
        return contact_policy_service_pb2.SetDoNotDisturbResponse(preferences=prefs)

    async def ListConsentChanges(
        self, request: CP.ListConsentChangesRequest, context: Ctx
    ) -> CP.ListConsentChangesResponse:
        caller = current_caller()
        if request.customer_id:
            consent.check_access(caller, request.customer_id, write=False)
        else:
            _require(
                caller,
                frozenset({Role.COMPLIANCE, Role.SERVICE, Role.HQ_OPERATOR}),
                "list every consent change",
            )
        async with transaction(self._rt.ctx.sessions) as session:
            changes = await consent.list_changes(session, request)
        return contact_policy_service_pb2.ListConsentChangesResponse(
            changes=changes, page=paging_pb2.PageResponse(total_size=-1)
        )

    async def GetContactPolicy(
        self, request: CP.GetContactPolicyRequest, context: Ctx
    ) -> CP.GetContactPolicyResponse:
        policy = await self._rt.policies.refresh(force=True)
        return contact_policy_service_pb2.GetContactPolicyResponse(policy=policy_store.to_proto(policy))

    async def UpdateContactPolicy(
        self, request: CP.UpdateContactPolicyRequest, context: Ctx
    ) -> CP.UpdateContactPolicyResponse:
        policy = await self._rt.policies.update(current_caller(), request)
        return contact_policy_service_pb2.UpdateContactPolicyResponse(policy=policy_store.to_proto(policy))

    async def ListContactPolicyVersions(
        self, request: CP.ListContactPolicyVersionsRequest, context: Ctx
    ) -> CP.ListContactPolicyVersionsResponse:
        _require(
            current_caller(),
            frozenset({Role.HQ_OPERATOR, Role.COMPLIANCE, Role.SRE, Role.SERVICE}),
            "read the contact policy's history",
        )
        found = await self._rt.policies.versions(min(request.page.page_size or 100, 1000))
        return contact_policy_service_pb2.ListContactPolicyVersionsResponse(
            policies=[policy_store.to_proto(p) for p in found],
            page=paging_pb2.PageResponse(total_size=len(found)),
        )

    async def EvaluatePolicy(
        self, request: CP.EvaluatePolicyRequest, context: Ctx
    ) -> CP.EvaluatePolicyResponse:
        caller = current_caller()
        consent.check_access(caller, request.customer_id, write=False)
        profile = await self._rt.directory.get(request.customer_id)
        if profile is None:
            raise NotFound("customer", request.customer_id)
        at = request.at.ToDatetime(tzinfo=UTC) if request.HasField("at") else datetime.now(UTC)
        policy = await self._rt.policies.refresh()
        async with transaction(self._rt.ctx.sessions) as session:
            contexts = await load_contexts(session, policy, {profile.customer_id: profile}, at)
        verdicts = []
        for channel in request.channels:
            verdict, decisions = choose_channel(
                policy, contexts[profile.customer_id], [channel], request.message_class, at
            )
            verdicts.append(
                contact_policy_service_pb2.ChannelVerdict(
                    channel=channel, outcome=verdict.outcome, decisions=decisions
                )
            )
        return contact_policy_service_pb2.EvaluatePolicyResponse(verdicts=verdicts)


class InboxApi(inbox_service_pb2_grpc.InboxServiceServicer):
    def __init__(self, rt: ChannelRuntime) -> None:
        self._rt = rt

    async def ListInboxMessages(
        self, request: IB.ListInboxMessagesRequest, context: Ctx
    ) -> IB.ListInboxMessagesResponse:
        customer_id = inbox.owner(current_caller(), request.customer_id)
        async with transaction(self._rt.ctx.sessions) as session:
            found = await inbox.list_inbox(session, customer_id, request)
            unread = await inbox.unread_count(session, customer_id)
        return inbox_service_pb2.ListInboxMessagesResponse(
            messages=found, unread_count=unread, page=paging_pb2.PageResponse(total_size=-1)
        )

    async def MarkInboxRead(self, request: IB.MarkInboxReadRequest, context: Ctx) -> IB.MarkInboxReadResponse:
        customer_id = inbox.owner(current_caller(), request.customer_id)
        async with transaction(self._rt.ctx.sessions) as session:
            marked = await inbox.mark_read(
                session, self._rt.cipher, customer_id, list(request.message_ids), request.all
            )
            unread = await inbox.unread_count(session, customer_id)
        return inbox_service_pb2.MarkInboxReadResponse(marked=len(marked), unread_count=unread)

    async def DeleteInboxMessages(
        self, request: IB.DeleteInboxMessagesRequest, context: Ctx
    ) -> IB.DeleteInboxMessagesResponse:
        customer_id = inbox.owner(current_caller(), request.customer_id)
        async with transaction(self._rt.ctx.sessions) as session:
            deleted = await inbox.delete(session, customer_id, list(request.message_ids))
        return inbox_service_pb2.DeleteInboxMessagesResponse(deleted=deleted)

    async def GetUnreadCount(
        self, request: IB.GetUnreadCountRequest, context: Ctx
    ) -> IB.GetUnreadCountResponse:
        customer_id = inbox.owner(current_caller(), request.customer_id)
        async with transaction(self._rt.ctx.sessions) as session:
            unread = await inbox.unread_count(session, customer_id)
        return inbox_service_pb2.GetUnreadCountResponse(unread_count=unread)


class WebhookApi(webhook_service_pb2_grpc.WebhookServiceServicer):
    """Partner webhook subscriptions, their deliveries, the dead-letter queue and replay."""

    def __init__(self, rt: ChannelRuntime) -> None:
        self._rt = rt

    async def CreateWebhookSubscription(
        self, request: WH.CreateWebhookSubscriptionRequest, context: Ctx
    ) -> WH.CreateWebhookSubscriptionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            subscription, secret = await webhooks.create_subscription(
                session,
                self._rt.cipher,
                current_caller(),
                request,
                production=self._rt.settings.is_production,
            )
        return WH.CreateWebhookSubscriptionResponse(subscription=subscription, secret=secret)

    async def GetWebhookSubscription(
        self, request: WH.GetWebhookSubscriptionRequest, context: Ctx
    ) -> WH.GetWebhookSubscriptionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            subscription = await webhooks.get_subscription(session, current_caller(), request.subscription_id)
        return WH.GetWebhookSubscriptionResponse(subscription=subscription)

    async def ListWebhookSubscriptions(
        self, request: WH.ListWebhookSubscriptionsRequest, context: Ctx
    ) -> WH.ListWebhookSubscriptionsResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            found = await webhooks.list_subscriptions(session, current_caller(), request.partner_id)
        return WH.ListWebhookSubscriptionsResponse(
            subscriptions=found, page=paging_pb2.PageResponse(total_size=len(found))
        )

    async def UpdateWebhookSubscription(
        self, request: WH.UpdateWebhookSubscriptionRequest, context: Ctx
    ) -> WH.UpdateWebhookSubscriptionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            subscription = await webhooks.update_subscription(
                session, current_caller(), request, production=self._rt.settings.is_production
            )
        return WH.UpdateWebhookSubscriptionResponse(subscription=subscription)

    async def DeleteWebhookSubscription(
        self, request: WH.DeleteWebhookSubscriptionRequest, context: Ctx
    ) -> WH.DeleteWebhookSubscriptionResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            await webhooks.delete_subscription(session, current_caller(), request.subscription_id)
        return WH.DeleteWebhookSubscriptionResponse()

    async def RotateWebhookSecret(
        self, request: WH.RotateWebhookSecretRequest, context: Ctx
    ) -> WH.RotateWebhookSecretResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            subscription, secret = await webhooks.rotate_secret(
                session, self._rt.cipher, current_caller(), request
            )
        return WH.RotateWebhookSecretResponse(subscription=subscription, secret=secret)

    async def ListWebhookDeliveries(
        self, request: WH.ListWebhookDeliveriesRequest, context: Ctx
    ) -> WH.ListWebhookDeliveriesResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            found = await webhooks.list_deliveries(session, current_caller(), request)
        return WH.ListWebhookDeliveriesResponse(deliveries=found, page=paging_pb2.PageResponse(total_size=-1))

    async def ReplayWebhookDeliveries(
        self, request: WH.ReplayWebhookDeliveriesRequest, context: Ctx
    ) -> WH.ReplayWebhookDeliveriesResponse:
        async with transaction(self._rt.ctx.sessions) as session:
            replayed = await webhooks.replay(session, current_caller(), request)
        self._rt.webhooks.wake()
        return WH.ReplayWebhookDeliveriesResponse(replayed=replayed)


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    rt = runtime_for(ctx)
    return add_services(
        server,
        CONTRACTS,
        {
            "ChannelService": ChannelApi(rt),
            "TemplateService": TemplateApi(rt),
            "ContactPolicyService": ContactPolicyApi(rt),
            "InboxService": InboxApi(rt),
            "WebhookService": WebhookApi(rt),
        },
    )
