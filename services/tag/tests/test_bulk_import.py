"""Bulk import with COPY: rejected-row report, idempotent re-runs, generated demo extracts."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from lingxi.tag.v1 import tag_service_pb2
from lingxi_common.db import create_engine
from lingxi_common.migrations import migrate_service
from lingxi_common.pii import PiiCipher
from lingxi_common.settings import ServiceSettings
from lingxi_tag.bulk_import import run_import
from lingxi_tag.demo import generate_dataset, load_dataset

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
