"""Read an extract block by block, and spot keys repeated across blocks.

A 10-million-row extract must not need the whole file in memory: Parquet is read in batches of
row groups and CSV in blocks of bytes (both by Arrow's readers, every column as text so a bad
value is a row rejection, not a crash). Only a few blocks are alive at once — the one being
validated and the ones whose chunks wait for a merging connection.

Duplicates inside a block are found by the validator; across blocks, ``KeyLedger`` keeps one
64-bit hash per key seen so far (8 bytes a row instead of the keys themselves) in a sorted array.
Two different keys share a hash with odds of about n²/2⁶⁵ per file (≈3·10⁻⁶ for 10 million
rows); such a row would be reported as a duplicate, visibly, in the rejection report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from lingxi.tag.v1 import tag_service_pb2

BLOCK_ROWS = 250_000
CSV_BLOCK_BYTES = 32 << 20


class UnreadableFile(ValueError):
    """Not a readable CSV / Parquet file."""


@dataclass
class Extract:
    columns: list[str]
    rows_total: int | None  # known up front for Parquet, counted while reading for CSV
    blocks: Iterator[pa.Table]


def _as_text(batch: pa.RecordBatch) -> pa.Table:
    table = pa.Table.from_batches([batch])
    if all(pa.types.is_string(field.type) for field in table.schema):
        return table
    return table.cast(pa.schema([pa.field(name, pa.string()) for name in table.column_names]))


def open_extract(
    path: Path, file_format: int, *, block_rows: int = BLOCK_ROWS, csv_block_bytes: int = CSV_BLOCK_BYTES
) -> Extract:
    try:
        if file_format == tag_service_pb2.IMPORT_FORMAT_PARQUET:
            parquet = pq.ParquetFile(path)
            names = parquet.schema_arrow.names
            batches = parquet.iter_batches(batch_size=block_rows)
            return Extract(names, parquet.metadata.num_rows, _guarded(_as_text(b) for b in batches))
        names = pacsv.open_csv(path).schema.names
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=csv_block_bytes),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
        return Extract(names, None, _guarded(pa.Table.from_batches([batch]) for batch in reader))
    except (pa.ArrowInvalid, OSError) as error:
        raise UnreadableFile(str(error)) from error


def _guarded(blocks: Iterator[pa.Table]) -> Iterator[pa.Table]:
    """A file that turns out broken half-way (a bad CSV line) fails like an unreadable one."""
    try:
        yield from blocks
    except (pa.ArrowInvalid, OSError) as error:
        raise UnreadableFile(str(error)) from error


class KeyLedger:
    """The keys of earlier blocks, as sorted 64-bit hashes."""

    def __init__(self, key: tuple[str, ...]) -> None:
        self.key = key
        self._seen = np.empty(0, np.int64)

    def _hashes(self, rows: pa.Table) -> np.ndarray:
        columns = [rows.column(name).to_pylist() for name in self.key]
        values = columns[0] if len(columns) == 1 else list(zip(*columns, strict=True))
        return np.fromiter(map(hash, values), np.int64, len(values))

    def repeated(self, rows: pa.Table) -> np.ndarray:
        """Mask of ``rows`` (keys unique among themselves) whose key an earlier block had; then
        remembers this block's keys."""
        hashes = self._hashes(rows)
        if len(self._seen):
            at = np.minimum(np.searchsorted(self._seen, hashes), len(self._seen) - 1)
            repeated = self._seen[at] == hashes
        else:
            repeated = np.zeros(len(hashes), bool)
        fresh = np.sort(hashes[~repeated])
        # Two sorted runs: the stable sort (timsort) merges them in linear time.
        self._seen = np.sort(np.concatenate([self._seen, fresh]), kind="stable")
        return repeated
