"""Customer master data over real gRPC, PostgreSQL and NATS: validation, PII, scope, events."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
import sqlalchemy as sa

from lingxi.common.v1 import customer_pb2 as common_customer_pb2
from lingxi.common.v1 import date_pb2, enums_pb2
from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.identity import Caller, Role
from lingxi_common.service import ServiceRunner
from lingxi_common.testing.services import channel_to, running_service
from lingxi_tag.main import DEFINITION
from lingxi_tag.models import outbox, pii_access_log

pytestmark = pytest.mark.integration

HQ = Caller(subject="u-hq", role=Role.HQ_OPERATOR)
COMPLIANCE = Caller(subject="u-comp", role=Role.COMPLIANCE)


@pytest.fixture
async def tag(database_url: str, restartable_nats) -> AsyncIterator[ServiceRunner]:
    async with running_service(
        DEFINITION, database_url=database_url, nats_url=restartable_nats.url
    ) as runner:
        yield runner


def stub(runner: ServiceRunner, caller: Caller) -> tag_service_pb2_grpc.TagServiceStub:
    return tag_service_pb2_grpc.TagServiceStub(channel_to(runner, caller))


def a_customer(**overrides: object) -> customer_pb2.Customer:
    customer = customer_pb2.Customer(
        customer_id="C0001",
        branch_id="B01",
        advisor_id="A01",
        risk_level=enums_pb2.RISK_LEVEL_C3,
        risk_assessment_expires_on=date_pb2.Date(year=2027, month=6, day=30),
        opened_on=date_pb2.Date(year=2019, month=3, day=1),
        city="上海",
        phone="13812345678",
        id_number="11010119900307123X",
        display_name="张三",
        consents=[
            common_customer_pb2.ChannelConsent(
                channel=enums_pb2.CHANNEL_SMS,
                status=common_customer_pb2.CONSENT_STATUS_GRANTED,
                source="account_opening",
            )
        ],
    )
    for key, value in overrides.items():
        setattr(customer, key, value)
    return customer


async def events(runner: ServiceRunner) -> list[tag_events_pb2.CustomerChanged]:
    async with runner.context.engine.connect() as connection:
        rows = (await connection.execute(sa.select(outbox.c.payload).order_by(outbox.c.seq))).all()
    return [tag_events_pb2.CustomerChanged.FromString(row.payload) for row in rows]


async def test_upsert_creates_then_is_idempotent_then_updates(tag: ServiceRunner) -> None:
    api = stub(tag, HQ)
    created = await api.UpsertCustomer(tag_service_pb2.UpsertCustomerRequest(customer=a_customer()))
    assert created.created and created.customer.version == 1
    again = await api.UpsertCustomer(tag_service_pb2.UpsertCustomerRequest(customer=a_customer()))
    assert not again.created and again.customer.version == 1
    moved = await api.UpsertCustomer(
        tag_service_pb2.UpsertCustomerRequest(
            customer=a_customer(advisor_id="A02", phone="13900000000"),
            update_mask={"paths": ["advisor_id", "phone"]},
        )
    )
    assert moved.customer.version == 2 and moved.customer.advisor_id == "A02"
    assert moved.customer.city == "上海"  # untouched by the partial update
    published = await events(tag)
    assert [e.kind for e in published] == [
        tag_events_pb2.CHANGE_KIND_CREATED,
        tag_events_pb2.CHANGE_KIND_UPDATED,
    ]
    assert list(published[1].changed_fields) == ["advisor_id", "phone"]
    assert published[1].advisor_id == "A02"
    assert [e.version for e in published] == [1, 2]
    assert published[0].risk_level == enums_pb2.RISK_LEVEL_C3  # suitability inputs travel, PII does not
    assert published[0].risk_assessment_expires_on.year == 2027
    assert "13812345678" not in str(published[1])


async def test_pii_is_encrypted_masked_and_audited(tag: ServiceRunner) -> None:
    await stub(tag, HQ).UpsertCustomer(tag_service_pb2.UpsertCustomerRequest(customer=a_customer()))
    async with tag.context.engine.connect() as connection:
        raw = (await connection.execute(sa.text("SELECT * FROM tag.customers"))).one()
    assert b"13812345678" not in bytes(raw.phone_enc)
    assert "13812345678" not in str(raw._mapping)

    masked = (
        await stub(tag, HQ).GetCustomer(tag_service_pb2.GetCustomerRequest(customer_id="C0001"))
    ).customer
    assert masked.pii_masked and masked.phone == "138****5678" and masked.display_name == "张*"
    assert masked.id_number == "1101**********123X"

    revealed = (
        await stub(tag, COMPLIANCE).GetCustomer(tag_service_pb2.GetCustomerRequest(customer_id="C0001"))
    ).customer
    assert not revealed.pii_masked and revealed.phone == "13812345678" and revealed.display_name == "张三"
    async with tag.context.engine.connect() as connection:
        audit = (await connection.execute(sa.select(pii_access_log))).all()
    assert [(a.subject, a.role) for a in audit] == [("u-comp", "compliance")]
    assert set(audit[0].fields) == {"phone", "id_number", "display_name"}


async def test_data_scope_is_enforced_by_the_service(tag: ServiceRunner) -> None:
    await stub(tag, HQ).UpsertCustomer(tag_service_pb2.UpsertCustomerRequest(customer=a_customer()))
    allowed = [
        Caller(subject="m1", role=Role.BRANCH_MANAGER, branch_id="B01"),
        Caller(subject="a1", role=Role.ADVISOR, advisor_id="A01"),
        Caller(subject="c1", role=Role.CUSTOMER, customer_id="C0001"),
    ]
    denied = [
        Caller(subject="m2", role=Role.BRANCH_MANAGER, branch_id="B02"),
        Caller(subject="a2", role=Role.ADVISOR, advisor_id="A02"),
        Caller(subject="c2", role=Role.CUSTOMER, customer_id="C0002"),
        Caller(subject="p1", role=Role.PARTNER),
    ]
    for caller in allowed:
        response = await stub(tag, caller).GetCustomer(
            tag_service_pb2.GetCustomerRequest(customer_id="C0001")
        )
        assert response.customer.customer_id == "C0001"
    for caller in denied:
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await stub(tag, caller).GetCustomer(tag_service_pb2.GetCustomerRequest(customer_id="C0001"))
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED, caller
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub(tag, allowed[1]).UpsertCustomer(
            tag_service_pb2.UpsertCustomerRequest(customer=a_customer())
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"customer_id": ""}, "customer.customer_id"),
        ({"branch_id": ""}, "customer.branch_id"),
        ({"phone": "12345"}, "customer.phone"),
        ({"id_number": "110101"}, "customer.id_number"),
        ({"risk_level": 9}, "customer.risk_level"),
        ({"opened_on": date_pb2.Date(year=2024, month=2, day=30)}, "customer.opened_on"),
    ],
)
async def test_bad_input_names_the_field_and_writes_nothing(
    tag: ServiceRunner, overrides: dict[str, object], field: str
) -> None:
    customer = a_customer()
    for key, value in overrides.items():
        if isinstance(value, date_pb2.Date):
            getattr(customer, key).CopyFrom(value)
        else:
            setattr(customer, key, value)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await stub(tag, HQ).UpsertCustomer(tag_service_pb2.UpsertCustomerRequest(customer=customer))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert refused.value.details().startswith(f"{field}:")
    assert await events(tag) == []


async def test_stale_expected_version_is_refused(tag: ServiceRunner) -> None:
    api = stub(tag, HQ)
    await api.UpsertCustomer(tag_service_pb2.UpsertCustomerRequest(customer=a_customer()))
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await api.UpsertCustomer(
            tag_service_pb2.UpsertCustomerRequest(customer=a_customer(city="北京"), expected_version=7)
        )
    assert refused.value.code() == grpc.StatusCode.ABORTED
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await api.GetCustomer(tag_service_pb2.GetCustomerRequest(customer_id="NOPE"))
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    assert "NOPE" in unknown.value.details()
