"""A real service process's life: health follows its dependencies, every RPC is authenticated."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

from lingxi.product.v1 import product_service_pb2, product_service_pb2_grpc
from lingxi_common.identity import MD_ROLE, MD_SERVICE_TOKEN, MD_SUBJECT, Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.settings import DEV_SERVICE_TOKEN
from lingxi_common.testing.services import channel_to, running_service
from lingxi_product.main import DEFINITION

pytestmark = pytest.mark.integration

SERVING = health_pb2.HealthCheckResponse.SERVING
NOT_SERVING = health_pb2.HealthCheckResponse.NOT_SERVING


async def health_of(runner: ServiceRunner, service: str = "") -> int:
    async with grpc.aio.insecure_channel(f"127.0.0.1:{runner.port}") as channel:
        response = await health_pb2_grpc.HealthStub(channel).Check(
            health_pb2.HealthCheckRequest(service=service), timeout=2
        )
    return int(response.status)


async def wait_health(runner: ServiceRunner, expected: int, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    status = -1
    while asyncio.get_running_loop().time() < deadline:
        status = await health_of(runner)
        if status == expected:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"health stayed {status}, expected {expected}")


async def test_health_follows_nats_down_at_start_then_outage_then_recovery(
    database_url: str, restartable_nats
) -> None:
    restartable_nats.stop()
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url, wait_ready=False
    ) as runner:
        await asyncio.sleep(1.0)
        assert await health_of(runner) == NOT_SERVING  # NATS down at start: up, but not serving
        assert await health_of(runner, "liveness") == SERVING  # the process itself is alive
        restartable_nats.start()
        await wait_health(runner, SERVING)  # came up without a restart
        restartable_nats.stop()
        await wait_health(runner, NOT_SERVING)
        assert await health_of(runner, "liveness") == SERVING
        restartable_nats.start()
        await wait_health(runner, SERVING)  # recovered from the outage without a restart
        assert await health_of(runner, "lingxi.product.v1.ProductService") == SERVING


async def test_rpcs_need_the_service_token_and_a_valid_caller(database_url: str, restartable_nats) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        request = product_service_pb2.GetProductRequest(product_id="F001")
        async with grpc.aio.insecure_channel(f"127.0.0.1:{runner.port}") as channel:
            stub = product_service_pb2_grpc.ProductServiceStub(channel)
            for metadata, reason in (
                ((), "no token"),
                (((MD_SERVICE_TOKEN, "forged"), (MD_SUBJECT, "x"), (MD_ROLE, "hq_operator")), "wrong token"),
                (
                    ((MD_SERVICE_TOKEN, DEV_SERVICE_TOKEN), (MD_SUBJECT, "x"), (MD_ROLE, "admin")),
                    "unknown role",
                ),
                (
                    ((MD_SERVICE_TOKEN, DEV_SERVICE_TOKEN), (MD_SUBJECT, "x"), (MD_ROLE, "advisor")),
                    "no advisor id",
                ),
            ):
                with pytest.raises(grpc.aio.AioRpcError) as refused:
                    await stub.GetProduct(request, metadata=metadata, timeout=2)
                assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED, reason
        # Authenticated: the call reaches the service, which answers on the merits.
        authenticated = product_service_pb2_grpc.ProductServiceStub(
            channel_to(runner, Caller(subject="u1", role=Role.HQ_OPERATOR))
        )
        with pytest.raises(grpc.aio.AioRpcError) as missing:
            await authenticated.GetProduct(request)
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND and "F001" in missing.value.details()


async def test_reflection_lists_the_contract(database_url: str, restartable_nats) -> None:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{runner.port}") as channel:
            stub = reflection_pb2_grpc.ServerReflectionStub(channel)

            async def requests():
                yield reflection_pb2.ServerReflectionRequest(list_services="")

            names = []
            async for response in stub.ServerReflectionInfo(requests()):
                names = [service.name for service in response.list_services_response.service]
        async with grpc.aio.insecure_channel(f"127.0.0.1:{runner.port}") as channel:
            watch = health_pb2_grpc.HealthStub(channel).Watch(health_pb2.HealthCheckRequest(service=""))
            first = await asyncio.wait_for(watch.read(), timeout=5)
            assert first.status == SERVING  # Watch streams work too, not only Check
            watch.cancel()
        assert {
            "lingxi.product.v1.ProductService",
            "lingxi.product.v1.SuitabilityService",
            "lingxi.product.v1.RecommendationService",
            "grpc.health.v1.Health",
        } <= set(names)


async def test_health_follows_postgres_down_at_start_then_outage_then_recovery(
    tmp_path, restartable_nats
) -> None:
    """PostgreSQL absent at boot: the service waits (NOT_SERVING), migrates once it appears,
    reports NOT_SERVING during a later outage and SERVING again after it, without a restart."""
    from lingxi_common.runtime.embedded_postgres import EmbeddedPostgres
    from lingxi_common.runtime.ports import find_free_port

    postgres = EmbeddedPostgres(tmp_path / "pg", find_free_port(), settings={"fsync": "off"})
    try:
        async with running_service(
            DEFINITION, database_url=postgres.url, nats_url=restartable_nats.url, wait_ready=False
        ) as runner:
            await asyncio.sleep(1.0)
            assert await health_of(runner) == NOT_SERVING
            await asyncio.to_thread(postgres.start)
            await wait_health(runner, SERVING, timeout=40)  # migrated and serving, no restart
            await asyncio.to_thread(postgres.stop)
            await wait_health(runner, NOT_SERVING)
            assert await health_of(runner, "liveness") == SERVING
            await asyncio.to_thread(postgres.start)
            await wait_health(runner, SERVING, timeout=40)
    finally:
        await asyncio.to_thread(postgres.stop)
