"""Put the current request id on every log record the process writes.

The shared JSON formatter prints the record's extra attributes, so a ``request_id`` attribute set by
a record factory lands in every line — the gateway's own, uvicorn's and any library's — without each
call site passing it. Installed once by ``main``; tests and embedders may skip it.
"""

from __future__ import annotations

import logging
from typing import Any

from lingxi_gateway.request_id import current_request_id

_installed = False


def install_request_id_log_records() -> None:
    """Wrap the log-record factory so records made while serving a request carry ``request_id``."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        request_id = current_request_id.get()
        if request_id is not None:
            record.request_id = request_id
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
