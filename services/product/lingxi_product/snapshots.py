"""Members of the tag service's audience snapshots, read over gRPC for batch suitability.

Snapshots are immutable and owned by the tag service: the product service pages through
`AudienceService.ListSnapshotMembers` (10,000 ids a page, in the tag service's stable order) on
behalf of the caller, so the tag service applies the caller's data scope (another scope's snapshot
is NOT_FOUND there and here). Nothing is copied into this service's tables; the batch record
stores the ids it decided on.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from lingxi.common.v1 import paging_pb2
from lingxi.tag.v1 import audience_service_pb2, audience_service_pb2_grpc
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied, ServiceError

PAGE_SIZE = 10_000
MAX_MEMBERS = 5_000_000


class TagServiceUnavailable(ServiceError):
    """The tag service could not answer; a batch by snapshot cannot proceed without it."""

    code = grpc.StatusCode.UNAVAILABLE


@dataclass
class FetchProgress:
    """How far a member read has got (shown to callers who have to come back later)."""

    read: int = 0
    total: int = 0


class SnapshotSource:
    """Reads a snapshot's member ids from the tag service (None channel = not configured)."""

    def __init__(self, channel: grpc.aio.Channel | None, *, timeout: float = 10.0) -> None:
        self._stub = audience_service_pb2_grpc.AudienceServiceStub(channel) if channel is not None else None
        self._timeout = timeout

    async def members(self, snapshot_id: str, progress: FetchProgress | None = None) -> list[str]:
        if self._stub is None:
            raise TagServiceUnavailable("no tag service configured (LINGXI_TAG_ADDR) to read snapshots from")
        ids: list[str] = []
        token = ""
        progress = progress or FetchProgress()
        while True:
            try:
                page = await self._stub.ListSnapshotMembers(
                    audience_service_pb2.ListSnapshotMembersRequest(
                        snapshot_id=snapshot_id,
                        page=paging_pb2.PageRequest(page_size=PAGE_SIZE, page_token=token),
                    ),
                    timeout=self._timeout,
                )
            except grpc.aio.AioRpcError as error:
                raise _translate(error, snapshot_id) from error
            ids.extend(page.customer_ids)
            progress.read, progress.total = len(ids), max(page.page.total_size, len(ids))
            if len(ids) > MAX_MEMBERS:
                raise InvalidArgument("snapshot_id", f"snapshot has more than {MAX_MEMBERS:,} members")
            token = page.page.next_page_token
            if not token:
                return ids


def _translate(error: grpc.aio.AioRpcError, snapshot_id: str) -> ServiceError:
    code = error.code()
    if code == grpc.StatusCode.NOT_FOUND:
        return NotFound("audience snapshot", snapshot_id)
    if code == grpc.StatusCode.PERMISSION_DENIED:
        return PermissionDenied(f"audience snapshot {snapshot_id!r}: {error.details()}")
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgument("snapshot_id", error.details() or "refused by the tag service")
    return TagServiceUnavailable(
        f"tag service could not list snapshot members ({code.name}): {error.details()}"
    )
