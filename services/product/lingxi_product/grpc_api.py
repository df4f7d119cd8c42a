"""gRPC API of the product service: ProductService, SuitabilityService, RecommendationService.

Servicers only translate between the wire and the domain modules (catalog, series, analytics,
product_tags, relations, suitability, recommendations) and open one transaction per call; roles
and data scope are checked in those modules.
"""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

import grpc
import sqlalchemy as sa

from lingxi.common.v1 import paging_pb2
from lingxi.product.v1 import (
    analytics_pb2,
    product_pb2,
    product_service_pb2,
    product_service_pb2_grpc,
    recommendation_service_pb2,
    recommendation_service_pb2_grpc,
    suitability_service_pb2,
    suitability_service_pb2_grpc,
)
from lingxi_common.db import transaction
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.grpc_server import add_services, current_caller, current_request_id
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceContext
from lingxi_product import (
    analytics,
    catalog,
    constituents,
    paging,
    product_tags,
    recommendation_inputs,
    recommendations,
    relations,
    series,
    suitability,
)
from lingxi_product.convert import from_date, timestamp, to_date
from lingxi_product.models import (
    benchmarks,
    content_items,
    fund_evaluations,
    product_metrics,
    products,
)
from lingxi_product.runtime import ProductRuntime, runtime_for, settings_of
from lingxi_product.suitability_rules import RULE_VERSION, decide

CONTRACTS = [
    (product_service_pb2, product_service_pb2_grpc),
    (recommendation_service_pb2, recommendation_service_pb2_grpc),
    (suitability_service_pb2, suitability_service_pb2_grpc),
]


def _page(rows: list[Any], size: int, position: Any, filters: Any) -> paging_pb2.PageResponse:
    """A next-page token when the query returned one row more than the page."""
    if len(rows) > size:
        return paging_pb2.PageResponse(
            next_page_token=paging.encode(position(rows[size - 1]), filters), total_size=-1
        )
    return paging_pb2.PageResponse(total_size=-1)


class ProductApi(product_service_pb2_grpc.ProductServiceServicer):
    def __init__(self, runtime: ProductRuntime) -> None:
        self._ctx = runtime.ctx
        self._rf = float(settings_of(runtime.ctx).risk_free_rate)
        self._import_wakeup = runtime.import_wakeup

    # ---- catalog ----

    async def CreateProduct(
        self, request: product_service_pb2.CreateProductRequest, context: Any
    ) -> product_service_pb2.CreateProductResponse:
        async with transaction(self._ctx.sessions) as session:
            product = await catalog.create_product(
                session, current_caller(), request.product, correlation_id=current_request_id() or ""
            )
        return product_service_pb2.CreateProductResponse(product=product)

    async def UpdateProduct(
        self, request: product_service_pb2.UpdateProductRequest, context: Any
    ) -> product_service_pb2.UpdateProductResponse:
        async with transaction(self._ctx.sessions) as session:
            product = await catalog.update_product(
                session,
                current_caller(),
                request.product,
                list(request.update_mask.paths),
                request.expected_version,
                correlation_id=current_request_id() or "",
            )
        return product_service_pb2.UpdateProductResponse(product=product)

    async def GetProduct(
        self, request: product_service_pb2.GetProductRequest, context: Any
    ) -> product_service_pb2.GetProductResponse:
        async with transaction(self._ctx.sessions) as session:
            row = await catalog.get_row(
                session, product_id=request.product_id, product_code=request.product_code
            )
            response = product_service_pb2.GetProductResponse(product=catalog.to_proto(row))
            metric = (
                await session.execute(
                    sa.select(product_metrics).where(
                        product_metrics.c.product_id == row.product_id,
                        product_metrics.c.window == analytics_pb2.METRIC_WINDOW_1Y,
                    )
                )
            ).first()
            if metric is not None:
                response.metrics_1y.CopyFrom(analytics.metrics_to_proto(metric))
            evaluation = (
                await session.execute(
                    sa.select(fund_evaluations).where(fund_evaluations.c.product_id == row.product_id)
                )
            ).first()
            if evaluation is not None:
                response.evaluation.CopyFrom(analytics.evaluation_to_proto(evaluation))
            tags = (await product_tags.effective_tags(session, [row.product_id])).get(row.product_id, {})
            response.tags.extend(product_tags.tag_to_proto(tag) for tag in tags.values())
        return response

    async def BatchGetProducts(
        self, request: product_service_pb2.BatchGetProductsRequest, context: Any
    ) -> product_service_pb2.BatchGetProductsResponse:
        async with transaction(self._ctx.sessions) as session:
            found, missing = await catalog.batch_get(session, list(request.product_ids))
        return product_service_pb2.BatchGetProductsResponse(products=found, missing_product_ids=missing)

    async def ListProducts(
        self, request: product_service_pb2.ListProductsRequest, context: Any
    ) -> product_service_pb2.ListProductsResponse:
        filters = [
            list(request.product_types),
            list(request.fund_categories),
            list(request.statuses),
            request.max_risk_rating,
            request.query,
        ]
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, filters)
        statement = catalog.list_query(*filters)
        if after:
            statement = statement.where(products.c.product_id > after)
        async with transaction(self._ctx.sessions) as session:
            rows = (await session.execute(statement.order_by(products.c.product_id).limit(size + 1))).all()
        return product_service_pb2.ListProductsResponse(
            products=[catalog.to_proto(row) for row in rows[:size]],
            page=_page(rows, size, lambda r: r.product_id, filters),
        )

    async def SelectProducts(
        self, request: product_service_pb2.SelectProductsRequest, context: Any
    ) -> product_service_pb2.SelectProductsResponse:
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, request.expression)
        async with transaction(self._ctx.sessions) as session:
            ids = await product_tags.select_ids(session, request.expression)
            ids = [pid for pid in ids if after is None or pid > after]
            chosen = ids[: size + 1]
            found, _ = await catalog.batch_get(session, chosen[:size])
        return product_service_pb2.SelectProductsResponse(
            products=found, page=_page(chosen, size, lambda pid: pid, request.expression)
        )

    # ---- content ----

    async def UpsertContentItem(
        self, request: product_service_pb2.UpsertContentItemRequest, context: Any
    ) -> product_service_pb2.UpsertContentItemResponse:
        catalog.require_writer(current_caller())
        item = request.item
        if not catalog._CODE.match(item.content_id):
            raise InvalidArgument("item.content_id", "required: 1-64 letters, digits, '_', '.', '-'")
        if not item.title.strip():
            raise InvalidArgument("item.title", "required")
        if item.kind == 0 or item.kind not in product_pb2.ContentKind.values():
            raise InvalidArgument("item.kind", "required")
        if not item.HasField("published_at"):
            raise InvalidArgument("item.published_at", "required")
        values = {
            "kind": item.kind,
            "title": item.title.strip(),
            "summary": item.summary,
            "url": item.url,
            "published_at": item.published_at.ToDatetime(tzinfo=UTC),
            "security_codes": list(dict.fromkeys(item.security_codes)),
            "sector_codes": list(dict.fromkeys(item.sector_codes)),
            "source": item.source,
            "compliance_approved": item.compliance_approved,
            "starts_at": item.starts_at.ToDatetime(tzinfo=UTC) if item.HasField("starts_at") else None,
        }
        from sqlalchemy.dialects import postgresql

        statement = postgresql.insert(content_items).values(content_id=item.content_id, **values)
        async with transaction(self._ctx.sessions) as session:
            row = (
                await session.execute(
                    statement.on_conflict_do_update(index_elements=["content_id"], set_=values).returning(
                        content_items
                    )
                )
            ).one()
        return product_service_pb2.UpsertContentItemResponse(item=_content_to_proto(row))

    async def ListContentItems(
        self, request: product_service_pb2.ListContentItemsRequest, context: Any
    ) -> product_service_pb2.ListContentItemsResponse:
        filters = [
            sorted(request.security_codes),
            sorted(request.sector_codes),
            sorted(request.kinds),
            request.approved_only,
        ]
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, filters)
        c = content_items.c
        statement = sa.select(content_items)
        linked = []
        if request.security_codes:
            linked.append(c.security_codes.overlap(list(request.security_codes)))
        if request.sector_codes:
            linked.append(c.sector_codes.overlap(list(request.sector_codes)))
        if linked:
            statement = statement.where(sa.or_(*linked))
        if request.kinds:
            statement = statement.where(c.kind.in_(list(request.kinds)))
        if request.approved_only or current_caller().role in (Role.CUSTOMER, Role.PARTNER):
            statement = statement.where(c.compliance_approved)
        if after:
            from datetime import datetime

            statement = statement.where(
                sa.tuple_(c.published_at, c.content_id) < (datetime.fromisoformat(after[0]), after[1])
            )
        statement = statement.order_by(c.published_at.desc(), c.content_id.desc()).limit(size + 1)
        async with transaction(self._ctx.sessions) as session:
            rows = (await session.execute(statement)).all()
        return product_service_pb2.ListContentItemsResponse(
            items=[_content_to_proto(r) for r in rows[:size]],
            page=_page(rows, size, lambda r: [r.published_at.isoformat(), r.content_id], filters),
        )

    # ---- series ----

    async def UpsertSeriesPoints(
        self, request: product_service_pb2.UpsertSeriesPointsRequest, context: Any
    ) -> product_service_pb2.UpsertSeriesPointsResponse:
        catalog.require_writer(current_caller())
        async with transaction(self._ctx.sessions) as session:
            written, rejections = await series.upsert_inline(
                session,
                request.kind,
                request.series_code,
                list(request.points),
                correlation_id=current_request_id() or "",
            )
        return product_service_pb2.UpsertSeriesPointsResponse(upserted=written, rejections=rejections)

    async def StartSeriesImport(
        self, request: product_service_pb2.StartSeriesImportRequest, context: Any
    ) -> product_service_pb2.StartSeriesImportResponse:
        catalog.require_writer(current_caller())
        async with transaction(self._ctx.sessions) as session:
            job = await series.start_import(
                session,
                request.kind,
                request.format,
                request.source_uri,
                dry_run=request.dry_run,
                correlation_id=current_request_id() or "",
            )
        self._import_wakeup.set()  # committed: this replica's worker can start at once
        return product_service_pb2.StartSeriesImportResponse(job=job)

    async def GetSeriesImport(
        self, request: product_service_pb2.GetSeriesImportRequest, context: Any
    ) -> product_service_pb2.GetSeriesImportResponse:
        async with transaction(self._ctx.sessions) as session:
            return product_service_pb2.GetSeriesImportResponse(
                job=await series.get_job(session, request.job_id)
            )

    async def ListSeriesImportRejections(
        self, request: product_service_pb2.ListSeriesImportRejectionsRequest, context: Any
    ) -> product_service_pb2.ListSeriesImportRejectionsResponse:
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, request.job_id) or 0
        async with transaction(self._ctx.sessions) as session:
            rows = await series.list_rejections(session, request.job_id, int(after), size + 1)
        return product_service_pb2.ListSeriesImportRejectionsResponse(
            rejections=rows[:size], page=_page(rows, size, lambda r: r.row_number, request.job_id)
        )

    async def GetSeries(
        self, request: product_service_pb2.GetSeriesRequest, context: Any
    ) -> product_service_pb2.GetSeriesResponse:
        start = to_date(request.range.start, "range.start")
        end = to_date(request.range.end, "range.end")
        if start and end and end < start:
            raise InvalidArgument("range", "ends before it starts")
        if not request.series_code:
            raise InvalidArgument("series_code", "required")
        if request.kind not in (series.NAV, series.INDEX):
            raise InvalidArgument(
                "kind", "SERIES_KIND_NAV or SERIES_KIND_INDEX_CLOSE (constituents: ListIndexConstituents)"
            )
        async with transaction(self._ctx.sessions) as session:
            rows, gaps = await series.get_series(session, request.kind, request.series_code, start, end)
        response = product_service_pb2.GetSeriesResponse(gaps=[from_date(g) for g in gaps])
        for row in rows:
            point = response.points.add(trade_date=from_date(row.trade_date))
            point.value.value = str(row.value)
            if row.accumulated_value is not None:
                point.accumulated_value.value = str(row.accumulated_value)
        return response

    async def UpsertBenchmark(
        self, request: product_service_pb2.UpsertBenchmarkRequest, context: Any
    ) -> product_service_pb2.UpsertBenchmarkResponse:
        catalog.require_writer(current_caller())
        b = request.benchmark
        if b.default_for_category not in product_pb2.FundCategory.values():
            raise InvalidArgument("benchmark.default_for_category", "unknown category")
        async with transaction(self._ctx.sessions) as session:
            await series.upsert_benchmark(session, b.code, b.name, b.default_for_category)
        return product_service_pb2.UpsertBenchmarkResponse(benchmark=b)

    async def ListBenchmarks(
        self, request: product_service_pb2.ListBenchmarksRequest, context: Any
    ) -> product_service_pb2.ListBenchmarksResponse:
        async with transaction(self._ctx.sessions) as session:
            rows = (await session.execute(sa.select(benchmarks).order_by(benchmarks.c.code))).all()
        return product_service_pb2.ListBenchmarksResponse(
            benchmarks=[
                analytics_pb2.Benchmark(code=r.code, name=r.name, default_for_category=r.default_for_category)
                for r in rows
            ]
        )

    # ---- metrics & evaluation ----

    async def GetProductMetrics(
        self, request: product_service_pb2.GetProductMetricsRequest, context: Any
    ) -> product_service_pb2.GetProductMetricsResponse:
        async with transaction(self._ctx.sessions) as session:
            await catalog.load_row(session, request.product_id)
            statement = sa.select(product_metrics).where(product_metrics.c.product_id == request.product_id)
            if request.windows:
                statement = statement.where(product_metrics.c.window.in_(list(request.windows)))
            rows = (await session.execute(statement.order_by(product_metrics.c.window))).all()
        return product_service_pb2.GetProductMetricsResponse(
            metrics=[analytics.metrics_to_proto(r) for r in rows]
        )

    async def ListProductMetrics(
        self, request: product_service_pb2.ListProductMetricsRequest, context: Any
    ) -> product_service_pb2.ListProductMetricsResponse:
        window = request.window or analytics_pb2.METRIC_WINDOW_1Y
        filters = [window, sorted(request.product_ids), request.fund_category]
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, filters)
        pm = product_metrics.c
        statement = sa.select(product_metrics).where(pm.window == window)
        if request.product_ids:
            statement = statement.where(pm.product_id.in_(list(request.product_ids)))
        if request.fund_category:
            statement = statement.join(products, products.c.product_id == pm.product_id).where(
                products.c.fund_category == request.fund_category
            )
        if after:
            statement = statement.where(pm.product_id > after)
        async with transaction(self._ctx.sessions) as session:
            rows = (await session.execute(statement.order_by(pm.product_id).limit(size + 1))).all()
        return product_service_pb2.ListProductMetricsResponse(
            metrics=[analytics.metrics_to_proto(r) for r in rows[:size]],
            page=_page(rows, size, lambda r: r.product_id, filters),
        )

    async def RecomputeMetrics(
        self, request: product_service_pb2.RecomputeMetricsRequest, context: Any
    ) -> product_service_pb2.RecomputeMetricsResponse:
        catalog.require_writer(current_caller())
        async with transaction(self._ctx.sessions) as session:
            if request.product_ids:
                _, missing = await catalog.batch_get(session, list(request.product_ids))
                if missing:
                    raise NotFound("product", missing[0])
            result = await analytics.recompute(
                session,
                list(request.product_ids) or None,
                risk_free_rate=self._rf,
                correlation_id=current_request_id() or "",
            )
        return product_service_pb2.RecomputeMetricsResponse(
            products=result.products, elapsed_ms=int(result.seconds * 1000)
        )

    async def GetEvaluationModel(
        self, request: product_service_pb2.GetEvaluationModelRequest, context: Any
    ) -> product_service_pb2.GetEvaluationModelResponse:
        async with transaction(self._ctx.sessions) as session:
            row = await analytics.get_model(session, request.version)
        return product_service_pb2.GetEvaluationModelResponse(model=analytics.model_to_proto(row))

    async def UpdateEvaluationModel(
        self, request: product_service_pb2.UpdateEvaluationModelRequest, context: Any
    ) -> product_service_pb2.UpdateEvaluationModelResponse:
        async with transaction(self._ctx.sessions) as session:
            row = await analytics.save_model(session, current_caller(), request.model, request.activate)
        return product_service_pb2.UpdateEvaluationModelResponse(model=analytics.model_to_proto(row))

    async def GetFundEvaluation(
        self, request: product_service_pb2.GetFundEvaluationRequest, context: Any
    ) -> product_service_pb2.GetFundEvaluationResponse:
        async with transaction(self._ctx.sessions) as session:
            await catalog.load_row(session, request.product_id)
            row = (
                await session.execute(
                    sa.select(fund_evaluations).where(fund_evaluations.c.product_id == request.product_id)
                )
            ).first()
            if row is None:
                raise NotFound("fund evaluation", request.product_id)
            model = analytics.model_from_row(await analytics.get_model(session, row.model_version))
        return product_service_pb2.GetFundEvaluationResponse(
            evaluation=analytics.evaluation_to_proto(row, model.weights)
        )

    async def ListFundRankings(
        self, request: product_service_pb2.ListFundRankingsRequest, context: Any
    ) -> product_service_pb2.ListFundRankingsResponse:
        if not request.category:
            raise InvalidArgument("category", "required")
        filters = [request.category, request.top_quantile_only]
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, filters) or 0
        fe = fund_evaluations.c
        statement = sa.select(fund_evaluations).where(fe.category == request.category, fe.rank > after)
        if request.top_quantile_only:
            statement = statement.where(fe.top_quantile)
        async with transaction(self._ctx.sessions) as session:
            rows = (await session.execute(statement.order_by(fe.rank).limit(size + 1))).all()
        return product_service_pb2.ListFundRankingsResponse(
            evaluations=[analytics.evaluation_to_proto(r) for r in rows[:size]],
            page=_page(rows, size, lambda r: r.rank, filters),
        )

    # ---- tags & relations ----

    async def ListProductTags(
        self, request: product_service_pb2.ListProductTagsRequest, context: Any
    ) -> product_service_pb2.ListProductTagsResponse:
        async with transaction(self._ctx.sessions) as session:
            await catalog.load_row(session, request.product_id)
            tags = (await product_tags.effective_tags(session, [request.product_id])).get(
                request.product_id, {}
            )
        return product_service_pb2.ListProductTagsResponse(
            tags=[product_tags.tag_to_proto(t) for _, t in sorted(tags.items())]
        )

    async def SetProductTag(
        self, request: product_service_pb2.SetProductTagRequest, context: Any
    ) -> product_service_pb2.SetProductTagResponse:
        async with transaction(self._ctx.sessions) as session:
            tag = await product_tags.set_manual_tag(
                session, current_caller(), request.product_id, request.code, request.value
            )
        return product_service_pb2.SetProductTagResponse(tag=product_tags.tag_to_proto(tag))

    async def RemoveProductTag(
        self, request: product_service_pb2.RemoveProductTagRequest, context: Any
    ) -> product_service_pb2.RemoveProductTagResponse:
        async with transaction(self._ctx.sessions) as session:
            await product_tags.remove_manual_tag(session, current_caller(), request.product_id, request.code)
        return product_service_pb2.RemoveProductTagResponse()

    async def ListRelatedProducts(
        self, request: product_service_pb2.ListRelatedProductsRequest, context: Any
    ) -> product_service_pb2.ListRelatedProductsResponse:
        async with transaction(self._ctx.sessions) as session:
            found = await relations.related_products(
                session,
                request.security_code,
                sector_code=request.sector_code,
                relations=list(request.relations),
                product_types=list(request.product_types),
                top_quantile_only=request.top_quantile_only,
                on_sale_only=request.on_sale_only,
                limit=request.limit,
            )
        response = product_service_pb2.ListRelatedProductsResponse()
        for item in found:
            entry = response.products.add(product=catalog.to_proto(item.row), relation=item.relation)
            entry.weight.value = str(item.weight)
            if item.evaluation is not None:
                entry.evaluation.CopyFrom(analytics.evaluation_to_proto(item.evaluation))
        return response

    async def ListIndexConstituents(
        self, request: product_service_pb2.ListIndexConstituentsRequest, context: Any
    ) -> product_service_pb2.ListIndexConstituentsResponse:
        as_of = to_date(request.as_of, "as_of") or suitability.business_date()
        async with transaction(self._ctx.sessions) as session:
            day, members = await constituents.list_constituents(session, request.index_code, as_of)
        return product_service_pb2.ListIndexConstituentsResponse(
            constituents=members, effective_date=from_date(day)
        )


def _content_to_proto(row: Any) -> product_pb2.ContentItem:
    return product_pb2.ContentItem(
        content_id=row.content_id,
        kind=row.kind,
        title=row.title,
        summary=row.summary,
        url=row.url,
        published_at=timestamp(row.published_at),
        security_codes=row.security_codes,
        sector_codes=row.sector_codes,
        source=row.source,
        compliance_approved=row.compliance_approved,
        starts_at=timestamp(row.starts_at),
    )


class SuitabilityApi(suitability_service_pb2_grpc.SuitabilityServiceServicer):
    def __init__(self, runtime: ProductRuntime) -> None:
        self._ctx = runtime.ctx
        self._source = runtime.customers
        self._batches = runtime.batches

    async def Check(
        self, request: suitability_service_pb2.CheckRequest, context: Any
    ) -> suitability_service_pb2.CheckResponse:
        async with transaction(self._ctx.sessions) as session:
            decision = await suitability.check(session, self._source, current_caller(), request)
        return suitability_service_pb2.CheckResponse(decision=decision)

    async def CheckBatch(
        self, request: suitability_service_pb2.CheckBatchRequest, context: Any
    ) -> suitability_service_pb2.CheckBatchResponse:
        async with transaction(self._ctx.sessions) as session:
            return await self._batches.check_batch(session, current_caller(), request)

    async def ListBatchCheckResults(
        self, request: suitability_service_pb2.ListBatchCheckResultsRequest, context: Any
    ) -> suitability_service_pb2.ListBatchCheckResultsResponse:
        caller = current_caller()
        if not caller.sees_all_customers:
            raise PermissionDenied(f"role {caller.role.value} may not page through batch results")
        filters = [request.batch_id, request.denied]
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, filters)
        async with transaction(self._ctx.sessions) as session:
            rows = await self._batches.list_results(
                session, request.batch_id, request.denied, after, size + 1
            )
        return suitability_service_pb2.ListBatchCheckResultsResponse(
            results=rows[:size], page=_page(rows, size, lambda r: r.customer_id, filters)
        )

    async def GetDecision(
        self, request: suitability_service_pb2.GetDecisionRequest, context: Any
    ) -> suitability_service_pb2.GetDecisionResponse:
        async with transaction(self._ctx.sessions) as session:
            row = await suitability.get_decision(session, current_caller(), request.decision_id)
        return suitability_service_pb2.GetDecisionResponse(decision=suitability.decision_to_proto(row))

    async def ListDecisions(
        self, request: suitability_service_pb2.ListDecisionsRequest, context: Any
    ) -> suitability_service_pb2.ListDecisionsResponse:
        filters = [request.customer_id, request.product_id, str(request.since), str(request.until)]
        size = paging.page_size(request.page.page_size)
        after = paging.decode(request.page.page_token, filters)
        async with transaction(self._ctx.sessions) as session:
            rows = await suitability.list_decisions(
                session,
                current_caller(),
                request.customer_id,
                request.product_id,
                request.since.ToDatetime(tzinfo=UTC) if request.HasField("since") else None,
                request.until.ToDatetime(tzinfo=UTC) if request.HasField("until") else None,
                tuple(after) if after else None,
                size + 1,
            )
        return suitability_service_pb2.ListDecisionsResponse(
            decisions=[suitability.decision_to_proto(r) for r in rows[:size]],
            page=_page(rows, size, lambda r: [r.decided_at.isoformat(), str(r.decision_id)], filters),
        )

    async def ReplayDecision(
        self, request: suitability_service_pb2.ReplayDecisionRequest, context: Any
    ) -> suitability_service_pb2.ReplayDecisionResponse:
        async with transaction(self._ctx.sessions) as session:
            row = await suitability.get_decision(session, current_caller(), request.decision_id)
        outcome = suitability.replay(row)
        return suitability_service_pb2.ReplayDecisionResponse(
            original=suitability.decision_to_proto(row),
            allowed=outcome.allowed,
            reasons=list(outcome.reasons),
            reproduced=outcome.allowed == row.allowed and list(outcome.reasons) == list(row.reasons),
        )

    async def ReplayBatch(
        self, request: suitability_service_pb2.ReplayBatchRequest, context: Any
    ) -> suitability_service_pb2.ReplayBatchResponse:
        async with transaction(self._ctx.sessions) as session:
            return await self._batches.replay(
                session, current_caller(), request.batch_id, request.customer_id
            )


class RecommendationApi(recommendation_service_pb2_grpc.RecommendationServiceServicer):
    def __init__(self, runtime: ProductRuntime) -> None:
        self._ctx = runtime.ctx
        self._source = runtime.customers

    async def _recommend(
        self,
        session: Any,
        caller: Caller,
        customer_id: str,
        context: recommendation_service_pb2.RecommendationContext,
        limit: int,
        today: date,
        shelf: list[recommendations.Candidate],
        answers: dict[str, Any] | None = None,
    ) -> tuple[list[recommendation_service_pb2.Recommendation], int]:
        found = await self._source.lookup_with_context(session, customer_id, full=True, answers=answers)
        if found is None:
            raise NotFound("customer", customer_id)
        (customer, branch_id, advisor_id, origin), profile = found
        if not caller.can_see_customer(customer_id=customer_id, branch_id=branch_id, advisor_id=advisor_id):
            raise PermissionDenied(f"customer {customer_id!r} is outside your data scope")
        candidates = await recommendation_inputs.for_customer(session, shelf, profile, today)
        picks, unsuitable = recommendations.rank(
            customer, candidates, context, on=today, limit=limit, profile=profile
        )
        ids = [p.candidate.facts.product_id for p in picks]
        rows = {
            r.product_id: r
            for r in (await session.execute(sa.select(products).where(products.c.product_id.in_(ids)))).all()
        }
        evaluations = {
            e.product_id: e
            for e in (
                await session.execute(
                    sa.select(fund_evaluations).where(fund_evaluations.c.product_id.in_(ids))
                )
            ).all()
        }
        out = []
        for pick in picks:
            outcome = decide(
                customer,
                pick.candidate.facts,
                on=today,
                purpose=suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND,
            )
            decision = await suitability.record(
                session,
                caller,
                customer,
                pick.candidate.facts,
                outcome,
                purpose=suitability_service_pb2.SUITABILITY_PURPOSE_RECOMMEND,
                on=today,
                intended_amount=None,
                source=origin,
            )
            recommendation = recommendation_service_pb2.Recommendation(
                product=catalog.to_proto(rows[pick.candidate.facts.product_id]),
                reason=pick.reason,
                reason_codes=list(pick.reason_codes),
                suitability_decision_id=str(decision.decision_id),
            )
            recommendation.score.value = recommendations.fit_decimal(pick.fit)
            evaluation = evaluations.get(pick.candidate.facts.product_id)
            if evaluation is not None:
                recommendation.evaluation.CopyFrom(analytics.evaluation_to_proto(evaluation))
            out.append(recommendation)
        return out, unsuitable

    async def Recommend(
        self, request: recommendation_service_pb2.RecommendRequest, context: Any
    ) -> recommendation_service_pb2.RecommendResponse:
        if not request.customer_id:
            raise InvalidArgument("customer_id", "required")
        if not 0 <= request.limit <= 50:
            raise InvalidArgument("limit", "between 1 and 50 (0 = 10)")
        today = suitability.business_date()
        async with transaction(self._ctx.sessions) as session:
            shelf = await recommendation_inputs.load_shelf(session, request.context, today)
            recs, unsuitable = await self._recommend(
                session,
                current_caller(),
                request.customer_id,
                request.context,
                request.limit or 10,
                today,
                shelf,
            )
        return recommendation_service_pb2.RecommendResponse(
            recommendations=recs,
            model_version=f"{recommendations.MODEL_VERSION}/{RULE_VERSION}",
            filtered_unsuitable=unsuitable,
        )

    async def BatchRecommend(
        self, request: recommendation_service_pb2.BatchRecommendRequest, context: Any
    ) -> recommendation_service_pb2.BatchRecommendResponse:
        if not request.customer_ids or len(request.customer_ids) > 500:
            raise InvalidArgument("customer_ids", "1 to 500 customer ids")
        if not 0 <= request.limit_per_customer <= 50:
            raise InvalidArgument("limit_per_customer", "between 1 and 50 (0 = 10)")
        response = recommendation_service_pb2.BatchRecommendResponse(
            model_version=f"{recommendations.MODEL_VERSION}/{RULE_VERSION}"
        )
        today = suitability.business_date()
        ids = list(dict.fromkeys(request.customer_ids))
        # One tag-service call per customer, several in flight, before the sequential ranking.
        answers = await self._source.prefetch(ids, full=True)
        async with transaction(self._ctx.sessions) as session:
            shelf = await recommendation_inputs.load_shelf(session, request.context, today)
            for customer_id in ids:
                try:
                    recs, _ = await self._recommend(
                        session,
                        current_caller(),
                        customer_id,
                        request.context,
                        request.limit_per_customer or 10,
                        today,
                        shelf,
                        answers,
                    )
                except NotFound:
                    recs = []  # unknown customers get nothing rather than failing the batch
                response.results.add(customer_id=customer_id, recommendations=recs)
        return response


def register(server: grpc.aio.Server, ctx: ServiceContext) -> list[str]:
    runtime = runtime_for(ctx)
    return add_services(
        server,
        CONTRACTS,
        {
            "ProductService": ProductApi(runtime),
            "SuitabilityService": SuitabilityApi(runtime),
            "RecommendationService": RecommendationApi(runtime),
        },
    )
