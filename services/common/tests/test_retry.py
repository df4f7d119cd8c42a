"""Only reachability faults are retried; everything else stops start-up loudly."""

import asyncpg
import nats.errors
import pytest
import sqlalchemy.exc

from lingxi_common.retry import is_transient, transient_retrying


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError(111, "refused"),
        TimeoutError(),
        asyncpg.CannotConnectNowError("the database system is starting up"),
        nats.errors.NoServersError(),
        sqlalchemy.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError(111, "refused")),
    ],
)
def test_reachability_faults_are_transient(error: BaseException) -> None:
    assert is_transient(error)


@pytest.mark.parametrize(
    "error",
    [
        ValueError("bad declaration"),
        sqlalchemy.exc.ProgrammingError("CREATE TABLE", {}, Exception("syntax error")),
        KeyError("consumer"),
    ],
)
def test_other_faults_are_not(error: BaseException) -> None:
    assert not is_transient(error)


async def test_retrying_reraises_a_permanent_fault_at_once() -> None:
    calls = 0
    with pytest.raises(ValueError):
        async for attempt in transient_retrying("thing", lambda *args: None):
            with attempt:
                calls += 1
                raise ValueError("broken migration")
    assert calls == 1
