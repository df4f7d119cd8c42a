"""Bulk import: files read block by block, the first-load fast path, full holdings extracts and the
events an accounts import announces."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import tag_service_pb2
from lingxi_common.db import create_engine
from lingxi_common.migrations import migrate_service
from lingxi_common.pii import PiiCipher
from lingxi_common.settings import ServiceSettings
from lingxi_tag.bulk_import import run_import

pytestmark = pytest.mark.integration

CSV = tag_service_pb2.IMPORT_FORMAT_CSV
PARQUET = tag_service_pb2.IMPORT_FORMAT_PARQUET
CUSTOMERS = tag_service_pb2.IMPORT_KIND_CUSTOMERS
ACCOUNTS = tag_service_pb2.IMPORT_KIND_ACCOUNTS
HOLDINGS = tag_service_pb2.IMPORT_KIND_HOLDINGS
FUNDS = tag_service_pb2.IMPORT_KIND_FUND_POSITIONS


@pytest.fixture
async def env(database_url: str) -> Any:
    await migrate_service("tag", database_url)
    engine = create_engine(database_url, application_name="test-import-extracts")
    cipher = PiiCipher.from_base64(ServiceSettings(service_name="tag").pii_key)
    yield engine, cipher
    await engine.dispose()


async def _import(env: Any, path: Path, kind: int, text: str | None = None, **options: Any) -> Any:
    engine, cipher = env
    if text is not None:
        path.write_text(text, encoding="utf-8")  # noqa: ASYNC240 — a few bytes of test input
    file_format = PARQUET if path.suffix == ".parquet" else CSV
    return await run_import(engine, cipher, path, kind=kind, file_format=file_format, **options)


async def _rows(env: Any, sql: str) -> list[Any]:
    async with env[0].connect() as conn:
        return list((await conn.execute(sa.text(sql))).all())


async def _events(env: Any, message: Any) -> list[Any]:
    rows = await _rows(
        env,
        f"SELECT payload FROM tag.outbox WHERE message_type = '{message.DESCRIPTOR.full_name}' ORDER BY seq",
    )
    return [message.FromString(bytes(row.payload)) for row in rows]


async def test_parquet_read_in_blocks_rejects_duplicates_across_blocks(env: Any, tmp_path: Path) -> None:
    path = tmp_path / "customers.parquet"
    ids = ["C1", "C2", "C3", "C4", "C2", "C5", "bad id", "C6", "C1"]
    pq.write_table(
        pa.table({"customer_id": ids, "branch_id": ["B01"] * len(ids), "risk_level": ["C3"] * len(ids)}),
        path,
        row_group_size=2,
    )
    result = await _import(env, path, CUSTOMERS, block_rows=3, chunk_rows=2)
    assert [(number, column, reason) for number, column, reason, _ in result.rejections] == [
        (5, "customer_id", "duplicate key in the file"),
        (7, "customer_id", "1-64 letters, digits, '_', '.', '-'"),
        (9, "customer_id", "duplicate key in the file"),
    ]
    assert (result.rows_total, result.rows_done, result.rows_rejected) == (9, 6, 3)
    stored = await _rows(env, "SELECT customer_id FROM tag.customers ORDER BY customer_id")
    assert [row.customer_id for row in stored] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    events = await _events(env, tag_events_pb2.CustomerChanged)
    assert sorted(e.customer_id for e in events) == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert {e.risk_level for e in events} == {3} and {e.version for e in events} == {1}


async def test_csv_read_in_blocks_reports_orphans_of_later_blocks(env: Any, tmp_path: Path) -> None:
    await _import(env, tmp_path / "c.csv", CUSTOMERS, "customer_id,branch_id\nC1,B01\nC2,B01\n")
    lines = [f"F{n},{'C9' if n in (3, 40) else 'C1'},cash,{n}00" for n in range(1, 61)]
    result = await _import(
        env,
        tmp_path / "a.csv",
        ACCOUNTS,
        "account_id,customer_id,account_type,total_assets\n" + "\n".join(lines) + "\n",
        csv_block_bytes=200,
        chunk_rows=7,
    )
    assert [(r[0], r[1], r[2]) for r in result.rejections] == [
        (3, "customer_id", "unknown customer"),
        (40, "customer_id", "unknown customer"),
    ]
    assert result.rejections[1][3] == "F40,C9,cash,4000"
    assert (result.rows_total, result.rows_done) == (60, 58)


async def test_first_load_copies_new_customers_and_merges_a_chunk_with_known_ones(
    env: Any, tmp_path: Path
) -> None:
    await _import(env, tmp_path / "before.csv", CUSTOMERS, "customer_id,branch_id,city\nC4,B01,上海\n")
    # Chunks of two: [C1, C2] are all new (COPYed straight in), so [C3, C4] is predicted new
    # too; C4 exists, the COPY fails and that chunk is merged — C4 updated, not duplicated.
    result = await _import(
        env,
        tmp_path / "load.csv",
        CUSTOMERS,
        "customer_id,branch_id,city,phone\nC1,B01,北京,13800000001\nC2,B02,北京,\n"
        "C3,B01,北京,13800000003\nC4,B01,北京,13800000004\nC5,B03,深圳,\n",
        chunk_rows=2,
    )
    assert (result.rows_done, result.rows_changed, result.rows_created, result.events) == (5, 5, 4, 5)
    stored = {
        row.customer_id: row
        for row in await _rows(env, "SELECT customer_id, city, version, phone_enc FROM tag.customers")
    }
    assert sorted(stored) == ["C1", "C2", "C3", "C4", "C5"]
    assert {row.city for row in stored.values()} == {"北京", "深圳"} and stored["C4"].version == 2
    cipher = env[1]
    assert cipher.decrypt(bytes(stored["C3"].phone_enc), context="customer.phone") == "13800000003"
    assert stored["C2"].phone_enc is None
    events = {e.customer_id: e for e in (await _events(env, tag_events_pb2.CustomerChanged))[1:]}
    assert events["C4"].kind == tag_events_pb2.CHANGE_KIND_UPDATED
    assert list(events["C4"].changed_fields) == ["city", "phone"] and events["C4"].version == 2
    assert events["C2"].kind == tag_events_pb2.CHANGE_KIND_CREATED and events["C2"].branch_id == "B02"
    assert list(events["C1"].changed_fields) == ["branch_id", "city", "phone"]


async def test_accounts_import_announces_created_and_changed_accounts(env: Any, tmp_path: Path) -> None:
    await _import(
        env, tmp_path / "c.csv", CUSTOMERS, "customer_id,branch_id,advisor_id\nC1,B01,A7\nC2,B02,\n"
    )
    header = "account_id,customer_id,account_type,total_assets,cash_balance,maintenance_ratio,as_of\n"
    await _import(
        env,
        tmp_path / "day1.csv",
        ACCOUNTS,
        header + "F1,C1,cash,1000.5,10,,2026-11-20 15:00:00\nM1,C2,margin,5000,0,1.8,2026-11-20 15:00:00\n",
    )
    day2 = await _import(
        env,
        tmp_path / "day2.csv",
        ACCOUNTS,
        header + "F1,C1,cash,1000.5,10,,2026-11-20 15:00:00\nM1,C2,margin,7000,0,1.35,2026-11-21 15:00:00\n",
    )
    assert (day2.rows_changed, day2.events) == (1, 1)  # F1 is unchanged: no write, no event
    events = await _events(env, tag_events_pb2.AccountChanged)
    assert [(e.account_id, e.kind) for e in events] == [
        ("F1", tag_events_pb2.CHANGE_KIND_CREATED),
        ("M1", tag_events_pb2.CHANGE_KIND_CREATED),
        ("M1", tag_events_pb2.CHANGE_KIND_UPDATED),
    ]
    created, _, updated = events
    assert (created.customer.customer_id, created.customer.branch_id, created.customer.advisor_id) == (
        "C1",
        "B01",
        "A7",
    )
    assert created.total_assets.amount == "1000.50" and created.cash_balance.amount == "10.00"
    assert created.account_type == "cash" and not created.HasField("maintenance_ratio")
    assert created.as_of.ToDatetime(dt.UTC) == dt.datetime(2026, 11, 20, 7, tzinfo=dt.UTC)  # Beijing 15:00
    assert (updated.total_assets.amount, updated.account_type) == ("7000.00", "margin")
    assert (updated.maintenance_ratio.value, updated.previous_maintenance_ratio.value) == ("1.3500", "1.8000")
    assert sorted(updated.changed_fields) == ["as_of", "maintenance_ratio", "total_assets"]
    assert updated.meta.correlation_id.startswith("import:") and updated.meta.producer == "tag"


async def test_full_holdings_extract_closes_positions_it_no_longer_lists(env: Any, tmp_path: Path) -> None:
    await _import(env, tmp_path / "c.csv", CUSTOMERS, "customer_id,branch_id\nC1,B01\nC2,B01\n")
    await _import(
        env,
        tmp_path / "a.csv",
        ACCOUNTS,
        "account_id,customer_id,account_type\nF1,C1,cash\nF2,C2,cash\nP1,C1,fund\n",
    )
    header = "account_id,security_code,customer_id,quantity,market_value,as_of\n"
    await _import(
        env,
        tmp_path / "h1.csv",
        HOLDINGS,
        header + "F1,600519,C1,100,150000,2026-11-20 15:00\nF1,000001,C1,500,5000,2026-11-20 15:00\n"
        "F2,600036,C2,300,9000,2026-11-20 15:00\nF2,601318,C2,200,8000,2026-11-20 15:00\n",
    )
    await _import(
        env, tmp_path / "f1.csv", FUNDS, "account_id,security_code,customer_id,quantity\nP1,110011,C1,1000\n"
    )
    async with env[0].begin() as conn:  # a position written during the next day, after the extract
        await conn.execute(
            sa.text(
                "INSERT INTO tag.holdings (account_id, security_code, customer_id, quantity, as_of) "
                "VALUES ('F1', '300750', 'C1', 10, '2026-11-21 18:00+08')"
            )
        )
    # Next night (as of 15:00): F1 sold 000001 and bought 600000; C2 sold everything (F2 is not in
    # the file at all); the row of 600519 is rejected (bad quantity) but listed, so that position
    # is kept as it was; 300750 was written after the extract was taken and stays.
    day2 = await _import(
        env,
        tmp_path / "h2.csv",
        HOLDINGS,
        header + "F1,600519,C1,lots,150000,2026-11-21 15:00\nF1,600000,C1,50,500,2026-11-21 15:00\n",
    )
    assert [(r[0], r[1]) for r in day2.rejections] == [(1, "quantity")]
    assert day2.closed == 3
    positions = {
        (row.account_id, row.security_code): row
        for row in await _rows(
            env, "SELECT account_id, security_code, quantity, market_value FROM tag.holdings"
        )
    }
    open_positions = sorted(key for key, row in positions.items() if row.quantity)
    assert open_positions == [("F1", "300750"), ("F1", "600000"), ("F1", "600519"), ("P1", "110011")]
    assert positions[("F2", "601318")].market_value == 0
    # The fund extract is full for fund positions only: an empty one closes P1's fund, nothing else.
    funds = await _import(env, tmp_path / "f2.csv", FUNDS, "account_id,security_code,customer_id,quantity\n")
    assert funds.closed == 1
    assert await _rows(env, "SELECT 1 FROM tag.import_seen_keys") == []
    # Dry runs close nothing.
    await _import(env, tmp_path / "h3.csv", HOLDINGS, header, dry_run=True)
    still = await _rows(env, "SELECT count(*) AS n FROM tag.holdings WHERE quantity <> 0")
    assert still[0].n == 3
