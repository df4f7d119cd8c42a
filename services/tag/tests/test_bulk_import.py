"""Bulk import with COPY: rejected-row report, idempotent re-runs, generated demo extracts."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import sqlalchemy as sa

from lingxi.events.v1 import tag_events_pb2
from lingxi.tag.v1 import customer_pb2, tag_service_pb2
from lingxi_common.db import create_engine
from lingxi_common.migrations import migrate_service
from lingxi_common.pii import PiiCipher
from lingxi_common.settings import ServiceSettings
from lingxi_tag.bulk_import import run_import
from lingxi_tag.demo import generate_dataset, load_dataset
from lingxi_tag.import_specs import SPECS
from lingxi_tag.import_validate import validate

pytestmark = pytest.mark.integration

CSV = tag_service_pb2.IMPORT_FORMAT_CSV
CUSTOMERS = tag_service_pb2.IMPORT_KIND_CUSTOMERS


@pytest.fixture
async def migrated(database_url: str) -> str:
    await migrate_service("tag", database_url)
    return database_url


def _key() -> str:
    return ServiceSettings(service_name="tag").pii_key


async def test_csv_import_rejects_bad_rows_and_reruns_idempotently(migrated: str, tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "customer_id,branch_id,advisor_id,risk_level,opened_on,phone,professional_investor\n"
        "C1,B01,A01,C3,2020-01-02,13812345678,false\n"
        "C2,B01,,C9,2020-01-02,,false\n"
        "C3,B02,A02,C2,not-a-date,,false\n"
        "C4,B02,A02,C1,2021-05-06,12345,false\n"
        "C1,B01,A01,C3,2020-01-02,13812345678,false\n"
        "C5,B03,,,,13900000000,yes\n",
        encoding="utf-8",
    )
    engine = create_engine(migrated, application_name="test")
    cipher = PiiCipher.from_base64(_key())
    try:
        result = await run_import(engine, cipher, path, kind=CUSTOMERS, file_format=CSV)
        assert (result.rows_total, result.rows_done, result.rows_rejected) == (6, 2, 4)
        reasons = {row: (column, reason) for row, column, reason, _ in result.rejections}
        assert reasons[2][0] == "risk_level" and reasons[3][0] == "opened_on" and reasons[4][0] == "phone"
        assert reasons[5] == ("customer_id", "duplicate key in the file")
        async with engine.connect() as conn:
            stored = (
                await conn.execute(sa.text("SELECT raw FROM tag.import_rejections WHERE row_number = 4"))
            ).scalar_one()
            assert "12345" not in stored or "*" in stored  # PII masked in the report
            rows = (
                await conn.execute(
                    sa.text(
                        "SELECT customer_id, version, phone_enc IS NOT NULL AS p FROM tag.customers ORDER BY 1"  # noqa: E501
                    )
                )
            ).all()
        assert [(r.customer_id, r.version, r.p) for r in rows] == [("C1", 1, True), ("C5", 1, True)]
        again = await run_import(engine, cipher, path, kind=CUSTOMERS, file_format=CSV)
        assert again.already_imported and again.job_id == result.job_id
        # The same rows in another file: merged without rewriting unchanged rows.
        copy = tmp_path / "copy.csv"
        copy.write_text(path.read_text(encoding="utf-8") + "C6,B03,,C2,,,false\n", encoding="utf-8")
        third = await run_import(engine, cipher, copy, kind=CUSTOMERS, file_format=CSV)
        assert third.rows_done == 3 and not third.already_imported
        async with engine.connect() as conn:
            versions = dict(
                (await conn.execute(sa.text("SELECT customer_id, version FROM tag.customers"))).all()
            )
        assert versions == {"C1": 1, "C5": 1, "C6": 1}
    finally:
        await engine.dispose()


async def test_generated_dataset_loads_through_the_bulk_path(migrated: str, tmp_path: Path) -> None:
    paths = generate_dataset(tmp_path, 3_000, seed=11)
    again = generate_dataset(tmp_path / "again", 3_000, seed=11)
    assert paths["customers"].read_bytes() == again["customers"].read_bytes()  # same seed, same data
    report = await load_dataset(migrated, _key(), paths, echo=False)
    assert report["customers"]["rows"] == 3_000 and report["customers"]["rejected"] == 0
    assert report["accounts"]["rejected"] == 0 and report["holdings"]["rejected"] == 0
    engine = create_engine(migrated, application_name="test")
    try:
        async with engine.connect() as conn:
            advisors = (
                await conn.execute(
                    sa.text(
                        "SELECT count(DISTINCT advisor_id), count(*) FILTER (WHERE advisor_id IS NULL) FROM tag.customers"  # noqa: E501
                    )
                )
            ).one()
            median = (
                await conn.execute(
                    sa.text(
                        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY total_assets) FROM tag.accounts"
                    )
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    assert 9 <= advisors[0] <= 11 and 0.2 < advisors[1] / 3_000 < 0.4
    assert 30_000 < float(median) < 120_000


def _engine_and_cipher(url: str) -> tuple[Any, PiiCipher]:
    return create_engine(url, application_name="test"), PiiCipher.from_base64(_key())


def test_every_check_rejects_with_a_reason_and_keeps_good_rows() -> None:
    table = pa.table(
        {
            "trade_id": ["T1", "T2", "T3", "T4", "T5", "T6", "T1"],
            "account_id": ["F1"] * 7,
            "customer_id": ["C1"] * 7,
            "security_code": ["600519.SH"] * 7,
            "side": ["buy", "SELL", "hold", "2", "1", "1", "1"],
            "quantity": ["100", "1e3", "10", "abc", "1e30", "5", "1"],
            "price": ["10.5", "9", "1", "1", "1", "1", "1"],
            "traded_at": [
                "2026-11-20 09:30:00",
                "2026-11-20T10:00:00+08:00",
                "2026-11-20",
                "2026-11-20",
                "2026-11-20",
                "2026-11-31 10:00",
                "2026-11-20",
            ],
        }
    )
    checked = validate(table, SPECS[tag_service_pb2.IMPORT_KIND_TRADES])
    assert checked.rows.column("trade_id").to_pylist() == ["T1", "T2"]
    assert checked.rows.column("side").to_pylist() == ["1", "2"]
    reasons = [(r.row_number, r.column, r.reason) for r in checked.rejections]
    assert reasons == [
        (3, "side", "one of buy, sell, subscribe, redeem: 'hold'"),
        (4, "quantity", "not a number: 'abc'"),
        (5, "quantity", "out of range for numeric(20,4)"),
        (6, "traded_at", "not an ISO 8601 date-time: '2026-11-31 10:00'"),
        (7, "trade_id", "duplicate key in the file"),
    ]


async def test_partial_extract_changes_only_its_columns_and_announces_them(
    migrated: str, tmp_path: Path
) -> None:
    engine, cipher = _engine_and_cipher(migrated)
    full = tmp_path / "full.csv"
    full.write_text(
        "customer_id,branch_id,advisor_id,risk_level,risk_assessment_expires_on,city,phone,id_number\n"
        "C1,B01,A01,C4,2027-06-30,上海,13812345678,11010119900307123x\n"
        "C2,B01,,C2,,北京,,\n",
        encoding="utf-8",
    )
    cities = tmp_path / "cities.csv"
    cities.write_text("customer_id,branch_id,city\nC1,B01,杭州\nC2,B01,北京\n", encoding="utf-8")
    try:
        first = await run_import(engine, cipher, full, kind=CUSTOMERS, file_format=CSV)
        assert (first.rows_changed, first.rows_created, first.events) == (2, 2, 2)
        second = await run_import(engine, cipher, cities, kind=CUSTOMERS, file_format=CSV)
        assert (second.rows_done, second.rows_changed, second.events) == (2, 1, 1)
        async with engine.connect() as conn:
            row = (await conn.execute(sa.text("SELECT * FROM tag.customers WHERE customer_id = 'C1'"))).one()
            payloads = (
                await conn.execute(sa.text("SELECT id, payload, headers FROM tag.outbox ORDER BY seq"))
            ).all()
        assert row.city == "杭州" and row.version == 2 and row.risk_level == 4  # the rest untouched
        assert cipher.decrypt(bytes(row.phone_enc), context="customer.phone") == "13812345678"
        assert row.phone_index == cipher.blind_index("13812345678", context="phone")  # UpsertCustomer's index
        assert cipher.decrypt(bytes(row.id_number_enc), context="customer.id_number") == "11010119900307123X"
        events = [tag_events_pb2.CustomerChanged.FromString(bytes(p.payload)) for p in payloads]
        first_c1 = next(e for e in events if e.customer_id == "C1")
        assert first_c1.kind == tag_events_pb2.CHANGE_KIND_CREATED and first_c1.risk_level == 4
        assert (first_c1.risk_assessment_expires_on.year, first_c1.risk_assessment_expires_on.day) == (
            2027,
            30,
        )
        assert "phone" in first_c1.changed_fields and first_c1.meta.producer == "tag"
        last = events[-1]
        assert (last.customer_id, last.kind, list(last.changed_fields), last.version) == (
            "C1",
            tag_events_pb2.CHANGE_KIND_UPDATED,
            ["city"],
            2,
        )
        for payload, event in zip(payloads, events, strict=True):  # ids agree: relay, consumers, audit
            assert str(payload.id) == event.meta.event_id == payload.headers["Lingxi-Event-Id"]
            assert uuid.UUID(event.meta.event_id).version == 7
        # Time-ordered ids: the outbox key grows at its right edge, in the order rows were written.
        ids = [uuid.UUID(event.meta.event_id) for event in events]
        assert ids == sorted(ids)
    finally:
        await engine.dispose()


async def test_trades_watchlists_fund_positions_and_metrics_import(migrated: str, tmp_path: Path) -> None:
    engine, cipher = _engine_and_cipher(migrated)
    files = {
        "customers": (CUSTOMERS, "customer_id,branch_id\nC1,B01\nC2,B01\n"),
        "accounts": (
            tag_service_pb2.IMPORT_KIND_ACCOUNTS,
            "account_id,customer_id,account_type\nF1,C1,cash\nP1,C1,fund\n",
        ),
        "trades": (
            tag_service_pb2.IMPORT_KIND_TRADES,
            "trade_id,account_id,customer_id,security_code,side,quantity,price,amount,traded_at\n"
            "T1,F1,C1,600519.SH,buy,100,1500,150000,2026-11-20 09:31:00\n"
            "T2,F1,C2,600519.SH,sell,100,1500,150000,2026-11-20 09:32:00\n",
        ),
        "watchlists": (
            tag_service_pb2.IMPORT_KIND_WATCHLISTS,
            "customer_id,security_code\nC1,600519.SH\nC1,000001.SZ\nC9,000001.SZ\n",
        ),
        "funds": (
            tag_service_pb2.IMPORT_KIND_FUND_POSITIONS,
            "account_id,security_code,customer_id,quantity,market_value\nP1,110011,C1,1000,1500.25\n",
        ),
        "metrics": (
            tag_service_pb2.IMPORT_KIND_EXTERNAL_ASSETS,
            "customer_id,external_market_value,trades_90d\nC1,2000000,12\nC2,0,1.5\n",
        ),
    }
    try:
        async with engine.connect() as conn:
            work_mem = (await conn.execute(sa.text("SHOW work_mem"))).scalar_one()
        results = {}
        for name, (kind, text) in files.items():
            path = tmp_path / f"{name}.csv"
            path.write_text(text, encoding="utf-8")
            results[name] = await run_import(engine, cipher, path, kind=kind, file_format=CSV)
        assert [(r[0], r[1], r[2]) for r in results["trades"].rejections] == [
            (2, "account_id", "unknown account, or an account of another customer")
        ]
        assert [(r[0], r[1]) for r in results["watchlists"].rejections] == [(3, "customer_id")]
        assert [(r[0], r[1]) for r in results["metrics"].rejections] == [(2, "trades_90d")]
        async with engine.connect() as conn:
            trade = (await conn.execute(sa.text("SELECT * FROM tag.trades"))).one()
            watched = (await conn.execute(sa.text("SELECT count(*) FROM tag.watchlists"))).scalar_one()
            fund = (await conn.execute(sa.text("SELECT security_type, market_value FROM tag.holdings"))).one()
            metrics = (
                await conn.execute(sa.text("SELECT trades_90d FROM tag.customer_metrics"))
            ).scalar_one()
        assert trade.trade_id == "T1" and trade.traded_at.utcoffset() is not None
        assert trade.traded_at.hour == 1 and trade.traded_at.minute == 31  # Beijing 09:31 = 01:31 UTC
        assert watched == 2 and fund.security_type == customer_pb2.SECURITY_TYPE_FUND
        assert str(fund.market_value) == "1500.25" and metrics == 12
        # Re-running an overlapping trade file inserts only what is new.
        more = tmp_path / "trades2.csv"
        more.write_text(files["trades"][1].replace("T2,F1,C2", "T3,F1,C1"), encoding="utf-8")
        again = await run_import(
            engine, cipher, more, kind=tag_service_pb2.IMPORT_KIND_TRADES, file_format=CSV
        )
        assert (again.rows_done, again.rows_changed) == (2, 1)
        # The import's planner and time-zone settings stayed inside its transactions: the pooled
        # connections it used serve other work unchanged.
        async with engine.connect() as a, engine.connect() as b, engine.connect() as c:
            for conn in (a, b, c):
                assert (await conn.execute(sa.text("SHOW enable_hashjoin"))).scalar_one() == "on"
                assert (await conn.execute(sa.text("SHOW work_mem"))).scalar_one() == work_mem
    finally:
        await engine.dispose()


async def test_reimport_keeps_unchanged_pii_ciphertext_and_replaces_changed(
    migrated: str, tmp_path: Path
) -> None:
    engine, cipher = _engine_and_cipher(migrated)
    day1, day2 = tmp_path / "day1.csv", tmp_path / "day2.csv"
    header = "customer_id,branch_id,city,phone\n"
    day1.write_text(
        header + "C1,B01,上海,13812345678\nC2,B01,上海,13900000000\nC3,B01,上海,\n", encoding="utf-8"
    )
    day2.write_text(
        header + "C1,B01,北京,13812345678\nC2,B01,上海,13700000000\nC3,B01,上海,13600000000\n",
        encoding="utf-8",
    )

    async def stored() -> dict[str, Any]:
        async with engine.connect() as conn:
            rows = (
                await conn.execute(sa.text("SELECT customer_id, phone_enc, phone_index FROM tag.customers"))
            ).all()
        return {row.customer_id: row for row in rows}

    try:
        await run_import(engine, cipher, day1, kind=CUSTOMERS, file_format=CSV)
        before = await stored()
        second = await run_import(engine, cipher, day2, kind=CUSTOMERS, file_format=CSV)
        after = await stored()
        assert second.rows_changed == 3
        assert bytes(after["C1"].phone_enc) == bytes(before["C1"].phone_enc)  # not re-encrypted
        for customer_id, phone in (("C1", "13812345678"), ("C2", "13700000000"), ("C3", "13600000000")):
            assert cipher.decrypt(bytes(after[customer_id].phone_enc), context="customer.phone") == phone
            assert after[customer_id].phone_index == cipher.blind_index(phone, context="phone")
        async with engine.connect() as conn:
            payloads = (
                (await conn.execute(sa.text("SELECT payload FROM tag.outbox ORDER BY seq"))).scalars().all()
            )
        changes = {
            e.customer_id: list(e.changed_fields)
            for e in (tag_events_pb2.CustomerChanged.FromString(bytes(p)) for p in payloads[3:])
        }
        assert changes == {"C1": ["city"], "C2": ["phone"], "C3": ["phone"]}
    finally:
        await engine.dispose()
