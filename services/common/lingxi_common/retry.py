"""Which faults are worth retrying.

Retrying is right for a server that is not there yet or went away for a moment; it is wrong
for a broken migration, a malformed stream declaration or a bug, which must stop the process
loudly so the supervisor (or Kubernetes) shows it instead of a silent retry loop.
"""

from __future__ import annotations

import asyncpg
import nats.errors
import sqlalchemy.exc
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential

_TRANSIENT_TYPES: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    OSError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ConnectionDoesNotExistError,
    nats.errors.ConnectionClosedError,
    nats.errors.NoServersError,
    nats.errors.TimeoutError,
    nats.errors.NoRespondersError,
    nats.errors.StaleConnectionError,
)


def is_transient(error: BaseException) -> bool:
    """True for faults of reachability (connection refused/lost, timeouts, server starting)."""
    if isinstance(error, sqlalchemy.exc.DBAPIError):
        if error.connection_invalidated:
            return True
        return is_transient(error.orig) if error.orig is not None else False
    if isinstance(error, sqlalchemy.exc.InterfaceError | sqlalchemy.exc.TimeoutError):
        return True
    cause = error.__cause__
    return isinstance(error, _TRANSIENT_TYPES) or (cause is not None and is_transient(cause))


def transient_retrying(describe: str, logger_warning: object) -> AsyncRetrying:
    """Retry transient faults forever with capped exponential back-off; re-raise anything else."""

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        warn = logger_warning
        assert callable(warn)
        warn("%s not ready, retrying: %r", describe, error)

    return AsyncRetrying(
        wait=wait_exponential(multiplier=0.2, max=5),
        retry=retry_if_exception(is_transient),
        before_sleep=before_sleep,
        reraise=True,
    )
