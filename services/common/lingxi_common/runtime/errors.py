"""Errors of the local runtime, worded for the person at the terminal.

They are raised where the cause is known and printed verbatim by `lingxi up` and the test
fixtures, so each message says what went wrong and what to do about it.
"""

from __future__ import annotations


class EmbeddedServerError(RuntimeError):
    """An embedded server (PostgreSQL, NATS) could not be prepared, started or stopped."""


class PortInUseError(EmbeddedServerError):
    """A port the runtime needs is held by a process that is not ours."""

    def __init__(self, host: str, port: int, what: str, owner: str | None, hint: str) -> None:
        self.host = host
        self.port = port
        self.owner = owner
        held_by = f"by {owner}" if owner else "by another process"
        super().__init__(f"{host}:{port} is already in use {held_by}; {what} needs it. {hint}")
