"""A stand-in for the tag service's GetCustomer: customers the channel service can look up.

Tests and the channel benchmark use it to run the channel service without the whole tag service;
it speaks the real gRPC contract (lingxi.tag.v1.TagService) behind the real caller interceptor.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from lingxi.tag.v1 import customer_pb2, tag_service_pb2, tag_service_pb2_grpc
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied
from lingxi_common.grpc_server import add_services, build_server, current_caller
from lingxi_common.identity import Caller
from lingxi_common.settings import DEV_SERVICE_TOKEN


class CustomerBook(tag_service_pb2_grpc.TagServiceServicer):
    """The tag service's GetCustomer / BatchGetCustomers contract over real gRPC, customers in memory.

    The channel service only reads customer addresses from the tag service; serving that one RPC
    keeps the channel tests and benchmark about the channel service. Like the real one it answers
    only authenticated Lingxi callers, and PII only to roles that may read it.
    """

    def __init__(self) -> None:
        self.customers: dict[str, customer_pb2.Customer] = {}
        self.callers: list[Caller] = []
        self.batch_calls = 0

    async def GetCustomer(
        self, request: tag_service_pb2.GetCustomerRequest, context: object
    ) -> tag_service_pb2.GetCustomerResponse:
        caller = current_caller()
        self.callers.append(caller)
        found = self.customers.get(request.customer_id)
        if found is None:
            raise NotFound("customer", request.customer_id)
        if not caller.may_read_pii:
            raise PermissionDenied("test double only serves PII readers")
        return tag_service_pb2.GetCustomerResponse(customer=found)

    async def BatchGetCustomers(
        self, request: tag_service_pb2.BatchGetCustomersRequest, context: object
    ) -> tag_service_pb2.BatchGetCustomersResponse:
        """Like the tag service: request order, duplicates once, unknown ids listed as missing."""
        caller = current_caller()
        self.callers.append(caller)
        if not caller.may_read_pii:
            raise PermissionDenied("test double only serves PII readers")
        if len(request.customer_ids) > 1000:
            raise InvalidArgument("customer_ids", "at most 1000 ids per call")
        ids = list(dict.fromkeys(request.customer_ids))
        response = tag_service_pb2.BatchGetCustomersResponse()
        for customer_id in ids:
            found = self.customers.get(customer_id)
            if found is None:
                response.missing_customer_ids.append(customer_id)
                continue
            customer = customer_pb2.Customer()
            mask = getattr(request, "read_mask", None)  # newer contracts only
            if mask is not None and mask.paths:
                mask.MergeMessage(found, customer)
            else:
                customer.CopyFrom(found)
            response.customers.append(customer)
        self.batch_calls += 1
        return response


@dataclass
class TagDouble:
    book: CustomerBook
    port: int


@asynccontextmanager
async def customer_book(book: CustomerBook | None = None) -> AsyncIterator[TagDouble]:
    """A TagService (GetCustomer, BatchGetCustomers) on a free loopback port, for the channel service
    to call; pass a subclass to change its behaviour (e.g. an older tag service)."""
    book = book or CustomerBook()
    server, _health = build_server(
        service_token=DEV_SERVICE_TOKEN,
        register=lambda srv: add_services(
            srv, [(tag_service_pb2, tag_service_pb2_grpc)], {"TagService": book}
        ),
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield TagDouble(book, port)
    finally:
        await server.stop(0)
