"""The gRPC services: required RPCs, buf-style request/response messages, documentation."""

from __future__ import annotations

from collections import Counter

from google.protobuf.descriptor import FieldDescriptor

from tests.contract._protos import SERVICE_DIRS, all_services, leading_comments, source_descriptor_set

# RPCs other code relies on (by name); the services may have more.
REQUIRED_RPCS: dict[str, set[str]] = {
    "lingxi.tag.v1.TagService": {
        "UpsertCustomer",
        "GetCustomer",
        "UpsertAccount",
        "UpsertHoldings",
        "RecordOfflineTouch",
        "LinkIdentity",
        "ListTimeline",
    },
    "lingxi.tag.v1.TagDefinitionService": {
        "CreateTagDefinition",
        "UpdateTagDefinition",
        "GetTagDefinition",
        "ListTagDefinitions",
        "PreviewTagDefinition",
        "ActivateTagDefinition",
        "RetireTagDefinition",
    },
    "lingxi.tag.v1.AudienceService": {"EstimateAudience", "ExportAudience", "CreateAudienceSnapshot"},
    "lingxi.product.v1.ProductService": {
        "CreateProduct",
        "GetProduct",
        "ListProducts",
        "StartSeriesImport",
        "GetProductMetrics",
        "GetFundEvaluation",
        "ListProductTags",
        "ListRelatedProducts",
    },
    "lingxi.product.v1.SuitabilityService": {"Check", "CheckBatch", "GetDecision", "ReplayDecision"},
    "lingxi.product.v1.RecommendationService": {"Recommend"},
    "lingxi.strategy.v1.StrategyService": {
        "CreateStrategy",
        "UpdateStrategy",
        "GetStrategy",
        "ListStrategies",
        "ActivateStrategy",
        "ListMatches",
    },
    "lingxi.strategy.v1.TaskService": {
        "ListMyTasks",
        "ClaimTask",
        "CompleteTask",
        "GetAdvisorCapacity",
        "SetAdvisorCapacity",
    },
    "lingxi.campaign.v1.CampaignService": {
        "CreateCampaign",
        "UpdateJourney",
        "SubmitForApproval",
        "ApproveCampaign",
        "FreezeAudience",
        "LaunchCampaign",
        "PauseCampaign",
        "GetCampaignReport",
    },
    "lingxi.channel.v1.ChannelService": {"Send", "SendBatch", "ListMessages", "RecordReceipts"},
    "lingxi.channel.v1.TemplateService": {
        "CreateTemplate",
        "CreateTemplateVersion",
        "ApproveTemplateVersion",
    },
    "lingxi.channel.v1.ContactPolicyService": {"SetConsent", "GetContactPolicy", "UpdateContactPolicy"},
    "lingxi.channel.v1.WebhookService": {"CreateWebhookSubscription", "ReplayWebhookDeliveries"},
    "lingxi.channel.v1.InboxService": {"ListInboxMessages", "MarkInboxRead", "DeleteInboxMessages"},
    "lingxi.points.v1.PointsService": {
        "GetMember",
        "GetBalance",
        "ListHistory",
        "PostPoints",
        "EarnByRule",
        "CheckIn",
        "RequestAdjustment",
        "GetLiabilityReport",
    },
    "lingxi.points.v1.RewardService": {
        "ListRewards",
        "ReserveRedemption",
        "FulfilRedemption",
        "ConfirmRedemption",
        "CancelRedemption",
    },
}


def _field(message: object, name: str) -> FieldDescriptor:
    descriptor = message.DESCRIPTOR  # type: ignore[attr-defined]
    assert name in descriptor.fields_by_name, f"{descriptor.full_name} has no field {name}"
    field: FieldDescriptor = descriptor.fields_by_name[name]
    return field


def _type_of(field: FieldDescriptor) -> str:
    """Full name of a message- or enum-typed field's type ("" for scalars)."""
    if field.message_type is not None:
        return field.message_type.full_name
    if field.enum_type is not None:
        return field.enum_type.full_name
    return ""


def test_required_services_and_rpcs_exist() -> None:
    services = all_services()
    for service_name, rpcs in REQUIRED_RPCS.items():
        assert service_name in services, f"missing service {service_name}"
        missing = rpcs - set(services[service_name].methods_by_name)
        assert not missing, f"{service_name} lacks {sorted(missing)}"


def test_every_service_package_serves_something() -> None:
    packages = {name.rsplit(".", 1)[0] for name in all_services()}
    assert packages == {f"lingxi.{service}.v1" for service in SERVICE_DIRS}


def test_each_rpc_has_its_own_request_and_response() -> None:
    usage: Counter[str] = Counter()
    for service in all_services().values():
        package = service.full_name.rsplit(".", 1)[0]
        for method in service.methods:
            assert not method.client_streaming and not method.server_streaming, method.full_name
            assert method.input_type.full_name == f"{package}.{method.name}Request", method.full_name
            assert method.output_type.full_name == f"{package}.{method.name}Response", method.full_name
            usage[method.input_type.full_name] += 1
            usage[method.output_type.full_name] += 1
    reused = [name for name, count in usage.items() if count > 1]
    assert not reused, f"request/response messages shared between RPCs: {reused}"


def test_paging_fields_use_the_common_types() -> None:
    for service in all_services().values():
        for method in service.methods:
            request_page = method.input_type.fields_by_name.get("page")
            response_page = method.output_type.fields_by_name.get("page")
            if request_page is not None:
                assert _type_of(request_page) == "lingxi.common.v1.PageRequest", method.full_name
                assert response_page is not None, f"{method.full_name} pages but returns no PageResponse"
            if response_page is not None:
                assert _type_of(response_page) == "lingxi.common.v1.PageResponse", method.full_name


def test_exact_tag_service_shapes() -> None:
    from lingxi.common.v1 import customer_pb2 as common_customer
    from lingxi.tag.v1 import customer_pb2, tag_service_pb2

    request = tag_service_pb2.UpsertCustomerRequest
    assert _field(request, "customer").number == 1
    assert _field(request, "customer").message_type is customer_pb2.Customer.DESCRIPTOR
    response = tag_service_pb2.UpsertCustomerResponse
    assert _field(response, "customer").number == 1
    assert (
        _field(response, "created").number == 2
        and _field(response, "created").type == FieldDescriptor.TYPE_BOOL
    )
    assert _field(tag_service_pb2.GetCustomerRequest, "customer_id").number == 1
    assert _field(tag_service_pb2.GetCustomerResponse, "customer").number == 1

    customer = customer_pb2.Customer
    numbered = {
        "customer_id": 1,
        "branch_id": 2,
        "advisor_id": 3,
        "risk_level": 4,
        "risk_assessment_expires_on": 5,
        "professional_investor": 6,
        "opened_on": 7,
    }
    for name, number in numbered.items():
        assert _field(customer, name).number == number, name
    assert _type_of(_field(customer, "risk_level")) == "lingxi.common.v1.RiskLevel"
    assert _type_of(_field(customer, "risk_assessment_expires_on")) == "lingxi.common.v1.Date"
    assert _type_of(_field(customer, "opened_on")) == "lingxi.common.v1.Date"
    for name in ("age_band", "city", "phone", "id_number", "wechat_openid"):
        assert _field(customer, name).type == FieldDescriptor.TYPE_STRING, name
    consents = _field(customer, "consents")
    assert consents.is_repeated
    assert consents.message_type is common_customer.ChannelConsent.DESCRIPTOR
    assert _type_of(_field(customer, "updated_at")) == "google.protobuf.Timestamp"


def test_exact_points_member_shape() -> None:
    from lingxi.points.v1 import points_pb2, points_service_pb2

    assert _field(points_service_pb2.GetMemberRequest, "customer_id").number == 1
    member_field = _field(points_service_pb2.GetMemberResponse, "member")
    assert member_field.number == 1 and member_field.message_type is points_pb2.Member.DESCRIPTOR
    member = points_pb2.Member
    assert _field(member, "customer_id").type == FieldDescriptor.TYPE_STRING
    assert _field(member, "tier_code").type == FieldDescriptor.TYPE_STRING
    assert _field(member, "available_points").type == FieldDescriptor.TYPE_INT64
    assert _field(member, "pending_points").type == FieldDescriptor.TYPE_INT64
    assert _type_of(_field(member, "created_at")) == "google.protobuf.Timestamp"


def test_send_requests_carry_an_idempotency_key() -> None:
    from lingxi.channel.v1 import channel_pb2

    assert _field(channel_pb2.OutboundMessage, "idempotency_key").number == 1


def test_generated_grpc_modules_import() -> None:
    from lingxi.channel.v1 import channel_service_pb2_grpc
    from lingxi.points.v1 import points_service_pb2_grpc
    from lingxi.tag.v1 import tag_service_pb2_grpc

    assert hasattr(tag_service_pb2_grpc, "TagServiceStub")
    assert hasattr(tag_service_pb2_grpc, "add_TagServiceServicer_to_server")
    assert hasattr(points_service_pb2_grpc, "PointsServiceServicer")
    assert hasattr(channel_service_pb2_grpc, "ChannelServiceStub")


def test_every_service_and_rpc_is_documented() -> None:
    undocumented: list[str] = []
    for file_proto in source_descriptor_set().file:
        comments = leading_comments(file_proto)
        for s_index, service in enumerate(file_proto.service):
            if not comments.get((6, s_index)):
                undocumented.append(f"{file_proto.package}.{service.name}")
            for m_index, method in enumerate(service.method):
                if not comments.get((6, s_index, 2, m_index)):
                    undocumented.append(f"{file_proto.package}.{service.name}.{method.name}")
    assert not undocumented, f"add a comment saying what it is for: {undocumented}"
