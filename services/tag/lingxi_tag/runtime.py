"""Objects one running tag service shares between its gRPC API and its workers.

The shared runtime builds the API (``register``) and the workers (``consumers``) from the same
``ServiceContext`` in two separate calls; this keyed registry hands both the same tag catalog,
audience index and PII cipher without module-level singletons (tests run several services in one
process).
"""

from __future__ import annotations

from dataclasses import dataclass

from lingxi_common.pii import PiiCipher
from lingxi_common.service import ServiceContext
from lingxi_tag.index import AudienceIndex
from lingxi_tag.tagging import TagCatalog

_RUNTIMES: dict[int, TagRuntime] = {}


@dataclass
class TagRuntime:
    ctx: ServiceContext
    cipher: PiiCipher
    catalog: TagCatalog
    index: AudienceIndex


def runtime_for(ctx: ServiceContext) -> TagRuntime:
    runtime = _RUNTIMES.get(id(ctx))
    if runtime is None or runtime.ctx is not ctx:
        runtime = TagRuntime(
            ctx=ctx,
            cipher=PiiCipher.from_base64(ctx.settings.pii_key),
            catalog=TagCatalog(),
            index=AudienceIndex(ctx.sessions),
        )
        _RUNTIMES[id(ctx)] = runtime
    return runtime
