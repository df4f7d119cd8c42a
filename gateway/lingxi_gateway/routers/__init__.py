"""HTTP routers, one module per area, each exposing a module-level ``router``.

``all_routers()`` finds them by listing this package, so adding an area means adding one module
here and nothing else: no shared registration list for parallel work to collide on.
"""

from __future__ import annotations

import importlib
import pkgutil

from fastapi import APIRouter


def all_routers() -> list[APIRouter]:
    """Every module's ``router``, the system routes first, the rest by module name."""
    names = sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))
    names.sort(key=lambda name: name != "system")
    routers = []
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            routers.append(router)
    return routers
