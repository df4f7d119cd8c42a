"""The synthetic dataset written block by block is whole and consistent across block borders."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from lingxi_tag import demo


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_blocks_join_into_one_consistent_extract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_format: str
) -> None:
    monkeypatch.setattr(demo, "GENERATION_BLOCK", 700)
    paths = demo.generate_dataset(tmp_path, 2_000, seed=5, file_format=file_format)

    def read(kind: str) -> pa.Table:
        if file_format == "parquet":
            return pq.read_table(paths[kind])
        as_text = pacsv.ConvertOptions(column_types={"customer_id": pa.string(), "account_id": pa.string()})
        return pacsv.read_csv(paths[kind], convert_options=as_text)

    customers, accounts, holdings, metrics = (
        read(k) for k in ("customers", "accounts", "holdings", "metrics")
    )
    ids = customers.column("customer_id").to_pylist()
    assert ids == [f"C{number:08d}" for number in range(1, 2_001)]  # one header, no gaps or repeats
    assert accounts.column("customer_id").to_pylist() == ids
    assert metrics.column("customer_id").to_pylist() == ids
    # Every position sits in its owner's account, in the later blocks as in the first.
    owner_accounts = pc.binary_join_element_wise("F", holdings.column("customer_id"), "")
    assert pc.all(pc.equal(holdings.column("account_id"), owner_accounts)).as_py()
    assert {"C00000001", "C00001999"} & set(holdings.column("customer_id").to_pylist())
    # The ~300-customers-per-advisor structure continues over block borders.
    advisors = {advisor for advisor in customers.column("advisor_id").to_pylist() if advisor}
    assert {"A00001", "A00004", "A00007"} <= advisors
