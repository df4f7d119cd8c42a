"""Members of the tag service's audience snapshots, read over gRPC for batch suitability.

Snapshots are immutable and owned by the tag service. The product service reads a whole
snapshot with `AudienceService.ExportSnapshotMembers` — pages of up to 250,000 ids packed as one
newline-separated byte string, so a million members arrive in a few calls instead of a hundred
pages of repeated strings. Reads carry the caller, so the tag service applies the
caller's data scope (another scope's snapshot is NOT_FOUND there and here); `authorize` asks the
same question without the members, for a caller who wants members this service already holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import grpc

from lingxi.common.v1 import paging_pb2
from lingxi.tag.v1 import audience_service_pb2, audience_service_pb2_grpc
from lingxi_common.errors import InvalidArgument, NotFound, PermissionDenied, ServiceError

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

    def __init__(self, channel: grpc.aio.Channel | None, *, timeout: float = 60.0) -> None:
        self._stub = audience_service_pb2_grpc.AudienceServiceStub(channel) if channel is not None else None
        self._timeout = timeout

    def _require(self) -> audience_service_pb2_grpc.AudienceServiceStub:
        if self._stub is None:
            raise TagServiceUnavailable("no tag service configured (LINGXI_TAG_ADDR) to read snapshots from")
        return self._stub

    async def members(self, snapshot_id: str, progress: FetchProgress | None = None) -> list[str]:
        """Every member's id, in the tag service's order (ascending customer number)."""
        stub = self._require()
        progress = progress or FetchProgress()
        parts: list[bytes] = []
        token = ""
        while True:
            try:
                page = await stub.ExportSnapshotMembers(
                    audience_service_pb2.ExportSnapshotMembersRequest(
                        snapshot_id=snapshot_id, page=paging_pb2.PageRequest(page_token=token)
                    ),
                    timeout=self._timeout,
                )
            except grpc.aio.AioRpcError as error:
                raise _translate(error, snapshot_id) from error
            progress.total = page.page.total_size
            if progress.total > MAX_MEMBERS:
                raise InvalidArgument("snapshot_id", f"snapshot has more than {MAX_MEMBERS:,} members")
            if page.count:
                parts.append(page.customer_ids)
                progress.read += page.count
            token = page.page.next_page_token
            if not token:
                break
        ids = b"\n".join(parts).decode().split("\n") if parts else []
        if len(ids) != progress.read:
            raise TagServiceUnavailable(
                f"snapshot {snapshot_id!r}: the tag service sent {len(ids):,} ids "
                f"but announced {progress.read:,}"
            )
        return ids

    async def authorize(self, snapshot_id: str) -> None:
        """Raises unless the caller may read the snapshot (the tag service's scope rule)."""
        try:
            await self._require().GetAudienceSnapshot(
                audience_service_pb2.GetAudienceSnapshotRequest(snapshot_id=snapshot_id),
                timeout=min(self._timeout, 10.0),
            )
        except grpc.aio.AioRpcError as error:
            raise _translate(error, snapshot_id) from error


def _translate(error: grpc.aio.AioRpcError, snapshot_id: str) -> ServiceError:
    code = error.code()
    if code == grpc.StatusCode.NOT_FOUND:
        return NotFound("audience snapshot", snapshot_id)
    if code == grpc.StatusCode.PERMISSION_DENIED:
        return PermissionDenied(f"audience snapshot {snapshot_id!r}: {error.details()}")
    if code == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgument("snapshot_id", error.details() or "refused by the tag service")
    return TagServiceUnavailable(
        f"tag service could not export snapshot members ({code.name}): {error.details()}"
    )
