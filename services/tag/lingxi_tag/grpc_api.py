"""gRPC API of the tag service: customer data and 360, tag definitions, audiences.

Thin adapters: each RPC opens one transaction and calls a domain module, which checks roles and
data scope and raises lingxi_common.errors exceptions (mapped to status codes by the runtime).
Writes that change a customer's inputs re-evaluate that customer's real-time tags in the same
transaction. Imports run as background tasks of this process (``import_jobs``).
"""

from __future__ import annotations

import datetime as dt

import grpc

from lingxi.common.v1 import paging_pb2
from lingxi.tag.v1 import (
    audience_service_pb2,
    audience_service_pb2_grpc,
    tag_definition_service_pb2,
    tag_definition_service_pb2_grpc,
    tag_service_pb2,
    tag_service_pb2_grpc,
)
from lingxi_common.db import transaction
from lingxi_common.errors import InvalidArgument
from lingxi_common.grpc_server import add_services, current_caller, current_request_id
from lingxi_common.identity import Role
from lingxi_common.service import ServiceContext
from lingxi_tag import (
    accounts,
    audiences,
    catalog,
    customer360,
    customer_lists,
    customers,
    definitions,
    external_assets,
    identities,
    touches,
    trades,
    watchlists,
)
from lingxi_tag.import_jobs import ImportRunner, job_proto, list_rejections
from lingxi_tag.runtime import TagRuntime, runtime_for
from lingxi_tag.tagging import apply_tags

CONTRACTS = [
    (tag_service_pb2, tag_service_pb2_grpc),
    (tag_definition_service_pb2, tag_definition_service_pb2_grpc),
    (audience_service_pb2, audience_service_pb2_grpc),
]


class TagApi(tag_service_pb2_grpc.TagServiceServicer):
    """Customer data RPCs; scope and roles are checked in the domain modules, not here."""

    def __init__(self, runtime: TagRuntime) -> None:
        self._rt = runtime
        self._ctx = runtime.ctx
        self._cipher = runtime.cipher
        self.imports = ImportRunner(runtime)

    async def UpsertCustomer(
        self, request: tag_service_pb2.UpsertCustomerRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.UpsertCustomerResponse:
        async with transaction(self._ctx.sessions) as session:
            customer, created = await customers.upsert_customer(
                session,
                self._cipher,
                current_caller(),
                request.customer,
                request.update_mask.paths,
                request.expected_version,
                correlation_id=current_request_id() or "",
            )
            await apply_tags(session, self._rt.catalog, [customer.customer_id], realtime_only=True)
        return tag_service_pb2.UpsertCustomerResponse(customer=customer, created=created)

    async def GetCustomer(
        self, request: tag_service_pb2.GetCustomerRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.GetCustomerResponse:
        async with transaction(self._ctx.sessions) as session:
            customer = await customers.get_customer(
                session, self._cipher, current_caller(), request.customer_id, request_id=current_request_id()
            )
            if request.view != tag_service_pb2.CUSTOMER_VIEW_FULL:
                return tag_service_pb2.GetCustomerResponse(customer=customer)
            full = await customer360.full_view(session, self._cipher, request.customer_id)
        return tag_service_pb2.GetCustomerResponse(customer=customer, **full)

    async def BatchGetCustomers(
        self, request: tag_service_pb2.BatchGetCustomersRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.BatchGetCustomersResponse:
        async with transaction(self._ctx.sessions) as session:
            return await customer_lists.batch_get(
                session, self._cipher, current_caller(), request, request_id=current_request_id()
            )

    async def ListCustomers(
        self, request: tag_service_pb2.ListCustomersRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.ListCustomersResponse:
        async with self._ctx.sessions() as session:
            return await customer_lists.list_customers(
                session, self._cipher, current_caller(), request, self._rt.index
            )

    async def RecordTrades(
        self, request: tag_service_pb2.RecordTradesRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.RecordTradesResponse:
        async with transaction(self._ctx.sessions) as session:
            recorded, duplicates, changed = await trades.record_trades(
                session, current_caller(), list(request.trades)
            )
            if changed:
                await apply_tags(session, self._rt.catalog, changed, realtime_only=True)
        return tag_service_pb2.RecordTradesResponse(recorded=recorded, duplicates=duplicates)

    async def UpdateWatchlist(
        self, request: tag_service_pb2.UpdateWatchlistRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.UpdateWatchlistResponse:
        async with transaction(self._ctx.sessions) as session:
            entries = await watchlists.update_watchlist(
                session,
                current_caller(),
                request.customer_id,
                list(request.add_security_codes),
                list(request.remove_security_codes),
            )
        return tag_service_pb2.UpdateWatchlistResponse(watchlist=entries)

    async def SetExternalAssets(
        self, request: tag_service_pb2.SetExternalAssetsRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.SetExternalAssetsResponse:
        async with transaction(self._ctx.sessions) as session:
            stored = await external_assets.set_external_assets(
                session, current_caller(), request.customer_id, request.external_assets
            )
            await apply_tags(session, self._rt.catalog, [request.customer_id], realtime_only=True)
        return tag_service_pb2.SetExternalAssetsResponse(external_assets=stored)

    async def StartImport(
        self, request: tag_service_pb2.StartImportRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.StartImportResponse:
        row = await self.imports.start(current_caller(), request)
        return tag_service_pb2.StartImportResponse(job=job_proto(row))

    async def GetImport(
        self, request: tag_service_pb2.GetImportRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.GetImportResponse:
        row = await self.imports.get(current_caller(), request.job_id)
        return tag_service_pb2.GetImportResponse(job=job_proto(row))

    async def ListImportRejections(
        self, request: tag_service_pb2.ListImportRejectionsRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.ListImportRejectionsResponse:
        async with self._ctx.sessions() as session:
            return await list_rejections(session, current_caller(), request)

    async def LinkIdentity(
        self, request: tag_service_pb2.LinkIdentityRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.LinkIdentityResponse:
        async with transaction(self._ctx.sessions) as session:
            rules = await self._rt.catalog.aggregate_rules(session)
            linked = await identities.link_identity(
                session, self._cipher, current_caller(), request.link, rules
            )
            if linked.attributed:
                await apply_tags(session, self._rt.catalog, [request.link.customer_id], realtime_only=True)
        return tag_service_pb2.LinkIdentityResponse(
            link=linked.link, events_attributed=len(linked.attributed)
        )

    async def UnlinkIdentity(
        self, request: tag_service_pb2.UnlinkIdentityRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.UnlinkIdentityResponse:
        async with transaction(self._ctx.sessions) as session:
            await identities.unlink_identity(
                session,
                self._cipher,
                current_caller(),
                request.identity_type,
                request.value,
                request.source_id,
            )
        return tag_service_pb2.UnlinkIdentityResponse()

    async def ResolveIdentity(
        self, request: tag_service_pb2.ResolveIdentityRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.ResolveIdentityResponse:
        async with self._ctx.sessions() as session:
            customer_id = await identities.resolve_identity(
                session,
                self._cipher,
                current_caller(),
                request.identity_type,
                request.value,
                request.source_id,
            )
        return tag_service_pb2.ResolveIdentityResponse(customer_id=customer_id)

    async def UpsertAccount(
        self, request: tag_service_pb2.UpsertAccountRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.UpsertAccountResponse:
        async with transaction(self._ctx.sessions) as session:
            created = await accounts.upsert_account(session, current_caller(), request.account)
            await apply_tags(session, self._rt.catalog, [request.account.customer_id], realtime_only=True)
        return tag_service_pb2.UpsertAccountResponse(account=request.account, created=created)

    async def UpsertHoldings(
        self, request: tag_service_pb2.UpsertHoldingsRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.UpsertHoldingsResponse:
        async with transaction(self._ctx.sessions) as session:
            customer_id, upserted, closed = await accounts.upsert_holdings(
                session, current_caller(), request.account_id, list(request.holdings), request.replace
            )
            await apply_tags(session, self._rt.catalog, [customer_id], realtime_only=True)
        return tag_service_pb2.UpsertHoldingsResponse(upserted=upserted, closed=closed)

    async def RecordOfflineTouch(
        self, request: tag_service_pb2.RecordOfflineTouchRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.RecordOfflineTouchResponse:
        event_id, duplicate = await touches.record_touch(
            self._ctx.sessions,
            self._ctx.bus,
            self._cipher,
            current_caller(),
            request.touch,
            correlation_id=current_request_id() or "",
        )
        return tag_service_pb2.RecordOfflineTouchResponse(event_id=event_id, duplicate=duplicate)

    async def ListTimeline(
        self, request: tag_service_pb2.ListTimelineRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.ListTimelineResponse:
        async with transaction(self._ctx.sessions) as session:
            await customer360.visible_customer(session, current_caller(), request.customer_id)
            entries, token = await customer360.timeline(
                session,
                request.customer_id,
                kinds=list(request.kinds),
                since=request.since.ToDatetime(tzinfo=dt.UTC) if request.HasField("since") else None,
                until=request.until.ToDatetime(tzinfo=dt.UTC) if request.HasField("until") else None,
                page_size=request.page.page_size,
                page_token=request.page.page_token,
            )
        return tag_service_pb2.ListTimelineResponse(
            entries=entries, page=paging_pb2.PageResponse(next_page_token=token, total_size=-1)
        )

    async def ListCustomerTags(
        self, request: tag_service_pb2.ListCustomerTagsRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.ListCustomerTagsResponse:
        async with transaction(self._ctx.sessions) as session:
            await customer360.visible_customer(session, current_caller(), request.customer_id)
            tags = await customer360.current_tags(session, request.customer_id, request.category_code)
        return tag_service_pb2.ListCustomerTagsResponse(tags=tags)

    async def ListAggregateValues(
        self, request: tag_service_pb2.ListAggregateValuesRequest, context: grpc.aio.ServicerContext
    ) -> tag_service_pb2.ListAggregateValuesResponse:
        async with transaction(self._ctx.sessions) as session:
            await customer360.visible_customer(session, current_caller(), request.customer_id)
            values = await customer360.aggregate_values(session, request.customer_id, list(request.codes))
        return tag_service_pb2.ListAggregateValuesResponse(values=values)


class TagDefinitionApi(tag_definition_service_pb2_grpc.TagDefinitionServiceServicer):
    def __init__(self, runtime: TagRuntime) -> None:
        self._ctx = runtime.ctx
        self._catalog = runtime.catalog

    async def CreateTagDefinition(
        self,
        request: tag_definition_service_pb2.CreateTagDefinitionRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.CreateTagDefinitionResponse:
        async with transaction(self._ctx.sessions) as session:
            created = await definitions.create(session, current_caller(), request.definition)
        return tag_definition_service_pb2.CreateTagDefinitionResponse(definition=created)

    async def UpdateTagDefinition(
        self,
        request: tag_definition_service_pb2.UpdateTagDefinitionRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.UpdateTagDefinitionResponse:
        async with transaction(self._ctx.sessions) as session:
            updated = await definitions.update(
                session,
                current_caller(),
                request.definition,
                request.update_mask.paths,
                request.expected_version,
            )
        return tag_definition_service_pb2.UpdateTagDefinitionResponse(definition=updated)

    async def GetTagDefinition(
        self, request: tag_definition_service_pb2.GetTagDefinitionRequest, context: grpc.aio.ServicerContext
    ) -> tag_definition_service_pb2.GetTagDefinitionResponse:
        async with transaction(self._ctx.sessions) as session:
            found = await definitions.get(session, current_caller(), request.code, request.version)
        return tag_definition_service_pb2.GetTagDefinitionResponse(definition=found)

    async def ListTagDefinitions(
        self, request: tag_definition_service_pb2.ListTagDefinitionsRequest, context: grpc.aio.ServicerContext
    ) -> tag_definition_service_pb2.ListTagDefinitionsResponse:
        async with transaction(self._ctx.sessions) as session:
            found = await definitions.list_definitions(session, current_caller(), request)
        return tag_definition_service_pb2.ListTagDefinitionsResponse(
            definitions=found, page=paging_pb2.PageResponse(total_size=len(found))
        )

    async def ListTagDefinitionVersions(
        self,
        request: tag_definition_service_pb2.ListTagDefinitionVersionsRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.ListTagDefinitionVersionsResponse:
        async with self._ctx.sessions() as session:
            found = await catalog.versions(session, current_caller(), request.code)
        return tag_definition_service_pb2.ListTagDefinitionVersionsResponse(
            definitions=found, page=paging_pb2.PageResponse(total_size=len(found))
        )

    async def ListTagCategories(
        self, request: tag_definition_service_pb2.ListTagCategoriesRequest, context: grpc.aio.ServicerContext
    ) -> tag_definition_service_pb2.ListTagCategoriesResponse:
        async with self._ctx.sessions() as session:
            found = await catalog.categories(session, current_caller())
        return tag_definition_service_pb2.ListTagCategoriesResponse(categories=found)

    async def UpsertTagCategory(
        self, request: tag_definition_service_pb2.UpsertTagCategoryRequest, context: grpc.aio.ServicerContext
    ) -> tag_definition_service_pb2.UpsertTagCategoryResponse:
        async with transaction(self._ctx.sessions) as session:
            stored = await catalog.upsert_category(session, current_caller(), request.category)
        return tag_definition_service_pb2.UpsertTagCategoryResponse(category=stored)

    async def ListAggregateDefinitions(
        self,
        request: tag_definition_service_pb2.ListAggregateDefinitionsRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.ListAggregateDefinitionsResponse:
        async with self._ctx.sessions() as session:
            found = await catalog.aggregates(session, current_caller())
        return tag_definition_service_pb2.ListAggregateDefinitionsResponse(
            definitions=found, page=paging_pb2.PageResponse(total_size=len(found))
        )

    async def ValidateTagRule(
        self, request: tag_definition_service_pb2.ValidateTagRuleRequest, context: grpc.aio.ServicerContext
    ) -> tag_definition_service_pb2.ValidateTagRuleResponse:
        from lingxi_tag.rules import RuleInvalid, compile_rule

        async with transaction(self._ctx.sessions) as session:
            codes = await definitions.aggregate_codes(session)
        try:
            rule = compile_rule(
                request.rule,
                aggregate_codes=codes,
                value_type=request.value_type or 1,
                option_codes=list(request.option_codes),
            )
        except RuleInvalid as error:
            return tag_definition_service_pb2.ValidateTagRuleResponse(
                valid=False, errors=[e.to_proto() for e in error.errors]
            )
        return tag_definition_service_pb2.ValidateTagRuleResponse(
            valid=True, inputs=list(rule.inputs), realtime_capable=not rule.time_based
        )

    async def PreviewTagDefinition(
        self,
        request: tag_definition_service_pb2.PreviewTagDefinitionRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.PreviewTagDefinitionResponse:
        async with self._ctx.sessions() as session:
            return await definitions.preview(
                session, current_caller(), request.code, request.version, request.sample_size
            )

    async def ActivateTagDefinition(
        self,
        request: tag_definition_service_pb2.ActivateTagDefinitionRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.ActivateTagDefinitionResponse:
        async with transaction(self._ctx.sessions) as session:
            activated, job = await definitions.activate(
                session, current_caller(), request.code, request.version
            )
        self._catalog.invalidate()  # this replica sees the change at once
        return tag_definition_service_pb2.ActivateTagDefinitionResponse(definition=activated, recompute=job)

    async def RetireTagDefinition(
        self,
        request: tag_definition_service_pb2.RetireTagDefinitionRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.RetireTagDefinitionResponse:
        async with transaction(self._ctx.sessions) as session:
            retired = await definitions.retire(session, current_caller(), request.code)
        self._catalog.invalidate()  # this replica sees the change at once
        return tag_definition_service_pb2.RetireTagDefinitionResponse(definition=retired)

    async def DeleteTagDefinition(
        self,
        request: tag_definition_service_pb2.DeleteTagDefinitionRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.DeleteTagDefinitionResponse:
        async with transaction(self._ctx.sessions) as session:
            await definitions.delete_draft(session, current_caller(), request.code)
        return tag_definition_service_pb2.DeleteTagDefinitionResponse()

    async def CreateAggregateDefinition(
        self,
        request: tag_definition_service_pb2.CreateAggregateDefinitionRequest,
        context: grpc.aio.ServicerContext,
    ) -> tag_definition_service_pb2.CreateAggregateDefinitionResponse:
        async with transaction(self._ctx.sessions) as session:
            created = await definitions.create_aggregate(session, current_caller(), request.definition)
        self._catalog.invalidate()  # this replica sees the change at once
        return tag_definition_service_pb2.CreateAggregateDefinitionResponse(definition=created)

    async def StartRecompute(
        self, request: tag_definition_service_pb2.StartRecomputeRequest, context: grpc.aio.ServicerContext
    ) -> tag_definition_service_pb2.StartRecomputeResponse:
        definitions.require_writer(current_caller())
        try:
            day = dt.date.fromisoformat(request.business_date) if request.business_date else None
        except ValueError as error:
            raise InvalidArgument("business_date", "YYYY-MM-DD") from error
        from lingxi_tag.facts import business_today

        async with transaction(self._ctx.sessions) as session:
            job = await definitions.queue_recompute(session, list(request.tag_codes), day or business_today())
        return tag_definition_service_pb2.StartRecomputeResponse(job=definitions.job_proto(job))

    async def GetRecompute(
        self, request: tag_definition_service_pb2.GetRecomputeRequest, context: grpc.aio.ServicerContext
    ) -> tag_definition_service_pb2.GetRecomputeResponse:
        import sqlalchemy as sa

        from lingxi_common.errors import NotFound
        from lingxi_tag.models import recompute_jobs

        definitions.require_reader(current_caller())
        async with self._ctx.sessions() as session:
            row = (
                await session.execute(
                    sa.select(recompute_jobs).where(recompute_jobs.c.job_id == request.job_id)
                )
            ).first()
        if row is None:
            raise NotFound("recompute job", request.job_id)
        return tag_definition_service_pb2.GetRecomputeResponse(job=definitions.job_proto(row))


class AudienceApi(audience_service_pb2_grpc.AudienceServiceServicer):
    def __init__(self, runtime: TagRuntime) -> None:
        self._ctx = runtime.ctx
        self._index = runtime.index

    async def _ready(self) -> None:
        if not self._index.ready.is_set():
            await self._index.rebuild()

    async def ValidateAudienceExpression(
        self,
        request: audience_service_pb2.ValidateAudienceExpressionRequest,
        context: grpc.aio.ServicerContext,
    ) -> audience_service_pb2.ValidateAudienceExpressionResponse:
        return audiences.validate_only(request.expression)

    async def EstimateAudience(
        self, request: audience_service_pb2.EstimateAudienceRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.EstimateAudienceResponse:
        await self._ready()
        async with self._ctx.sessions() as session:
            return await audiences.estimate(
                session, self._index, current_caller(), request.expression, list(request.breakdowns)
            )

    async def ExportAudience(
        self, request: audience_service_pb2.ExportAudienceRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.ExportAudienceResponse:
        await self._ready()
        caller = current_caller()
        if caller.role not in (Role.HQ_OPERATOR, Role.SERVICE, Role.BRANCH_MANAGER, Role.ADVISOR):
            from lingxi_common.errors import PermissionDenied

            raise PermissionDenied(f"role {caller.role.value} may not export audiences")
        async with self._ctx.sessions() as session:
            node = await audiences.compile_expression(session, request.expression)
            members, _ = audiences.select(self._index, caller, node)
            ids, token, total = await audiences.page_of(
                session, members, request.page.page_size, request.page.page_token
            )
        return audience_service_pb2.ExportAudienceResponse(
            customer_ids=ids, page=paging_pb2.PageResponse(next_page_token=token, total_size=total)
        )

    async def CreateAudienceSnapshot(
        self, request: audience_service_pb2.CreateAudienceSnapshotRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.CreateAudienceSnapshotResponse:
        await self._ready()
        async with transaction(self._ctx.sessions) as session:
            snapshot, dropped = await audiences.create_snapshot(
                session, self._index, current_caller(), request
            )
        return audience_service_pb2.CreateAudienceSnapshotResponse(snapshot=snapshot, dropped=dropped)

    async def GetAudienceSnapshot(
        self, request: audience_service_pb2.GetAudienceSnapshotRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.GetAudienceSnapshotResponse:
        async with self._ctx.sessions() as session:
            row, _ = await audiences.load_snapshot(session, current_caller(), request.snapshot_id)
        return audience_service_pb2.GetAudienceSnapshotResponse(snapshot=audiences.snapshot_proto(row))

    async def ListAudienceSnapshots(
        self, request: audience_service_pb2.ListAudienceSnapshotsRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.ListAudienceSnapshotsResponse:
        async with self._ctx.sessions() as session:
            return await audiences.list_snapshots(session, current_caller(), request)

    async def ListSnapshotMembers(
        self, request: audience_service_pb2.ListSnapshotMembersRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.ListSnapshotMembersResponse:
        async with self._ctx.sessions() as session:
            _, members = await audiences.load_snapshot(session, current_caller(), request.snapshot_id)
            ids, token, total = await audiences.page_of(
                session, members, request.page.page_size, request.page.page_token
            )
        return audience_service_pb2.ListSnapshotMembersResponse(
            customer_ids=ids, page=paging_pb2.PageResponse(next_page_token=token, total_size=total)
        )

    async def ExportSnapshotMembers(
        self, request: audience_service_pb2.ExportSnapshotMembersRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.ExportSnapshotMembersResponse:
        if not request.snapshot_id:
            raise InvalidArgument("snapshot_id", "required")
        async with self._ctx.sessions() as session:
            _, members = await audiences.load_snapshot(session, current_caller(), request.snapshot_id)
            ids, count, token, total = await audiences.export_page(
                session, members, request.page.page_size, request.page.page_token
            )
        return audience_service_pb2.ExportSnapshotMembersResponse(
            customer_ids=ids,
            count=count,
            page=paging_pb2.PageResponse(next_page_token=token, total_size=total),
        )

    async def CheckSnapshotMembership(
        self, request: audience_service_pb2.CheckSnapshotMembershipRequest, context: grpc.aio.ServicerContext
    ) -> audience_service_pb2.CheckSnapshotMembershipResponse:
        import sqlalchemy as sa

        from lingxi_tag.models import customers as customer_table

        if len(request.customer_ids) > 10_000:
            raise InvalidArgument("customer_ids", "at most 10000 ids")
        async with self._ctx.sessions() as session:
            _, members = await audiences.load_snapshot(session, current_caller(), request.snapshot_id)
            rows = (
                await session.execute(
                    sa.select(customer_table.c.customer_id, customer_table.c.customer_no).where(
                        customer_table.c.customer_id.in_(list(request.customer_ids))
                    )
                )
            ).all()
        inside = {row.customer_id for row in rows if row.customer_no in members}
        return audience_service_pb2.CheckSnapshotMembershipResponse(
            member_customer_ids=[cid for cid in request.customer_ids if cid in inside]
        )


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    runtime = runtime_for(ctx)
    return add_services(
        server,
        CONTRACTS,
        {
            "TagService": TagApi(runtime),
            "TagDefinitionService": TagDefinitionApi(runtime),
            "AudienceService": AudienceApi(runtime),
        },
    )
