"""Turn a slice of validated rows into COPY input: PII sealed, everything else as text.

PII columns are replaced by their ciphertext (``<name>_enc``, as bytea hex) and blind index
(``<name>_index``) here, so plaintext never reaches PostgreSQL, the staging table or the WAL.
The CSV itself is written by Arrow's C++ writer: building text row by row in Python would cost
more than the whole COPY.
"""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.csv as pacsv

from lingxi_common.pii import PiiCipher
from lingxi_tag.import_specs import Column
from lingxi_tag.import_validate import ROW_NUMBER

_CSV = pacsv.WriteOptions(include_header=False, quoting_style="needed")


def _context(column: Column) -> tuple[str, str]:
    """(encryption context, blind-index context): the same ones the single-row paths use."""
    return f"customer.{column.name}", column.name


def seal(
    rows: pa.Table,
    columns: tuple[Column, ...],
    cipher: PiiCipher,
    stored: dict[str, dict[str, str | None]] | None = None,
) -> pa.Table:
    """The slice with each PII column replaced by its ciphertext (hex) and blind index.

    ``stored`` (key → PII column → stored blind index) lets a re-import skip encrypting values
    the table already holds: such a row is staged with its blind index and no ciphertext, and the
    merge keeps the stored ciphertext. Encryption is most of an import's Python time, and a
    nightly extract mostly repeats yesterday's values.
    """
    arrays: dict[str, pa.Array] = {ROW_NUMBER: rows.column(ROW_NUMBER)}
    keys = rows.column("customer_id").to_pylist() if stored else []
    for column in columns:
        values = rows.column(column.name)
        if not column.pii:
            arrays[column.name] = values
            continue
        plain = values.to_pylist()
        context, index_context = _context(column)
        positions = [position for position, text in enumerate(plain) if text is not None]
        indexes = cipher.blind_index_many([plain[p] for p in positions], context=index_context)
        if stored:
            known = [stored.get(keys[p], {}).get(column.name) for p in positions]
            changed = [i for i, index in enumerate(indexes) if index != known[i]]
        else:
            changed = list(range(len(positions)))
        sealed = cipher.encrypt_many([plain[positions[i]] for i in changed], context=context)
        ciphertexts: list[str | None] = [None] * len(plain)
        for i, blob in zip(changed, sealed, strict=True):
            ciphertexts[positions[i]] = "\\x" + blob.hex()
        index_column: list[str | None] = [None] * len(plain)
        for position, index in zip(positions, indexes, strict=True):
            index_column[position] = index
        arrays[f"{column.name}_enc"] = pa.array(ciphertexts, pa.string())
        arrays[f"{column.name}_index"] = pa.array(index_column, pa.string())
    return pa.table(arrays)


def stage_columns(columns: tuple[Column, ...]) -> list[str]:
    """Column order of the staging table and of the CSV."""
    return [ROW_NUMBER, *(target for column in columns for target in column.targets)]


def to_csv(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pacsv.write_csv(table, buffer, _CSV)
    return buffer.getvalue()


def encode_chunk(
    rows: pa.Table,
    columns: tuple[Column, ...],
    cipher: PiiCipher,
    stored: dict[str, dict[str, str | None]] | None = None,
) -> bytes:
    """COPY-ready CSV of one chunk (columns in ``stage_columns`` order)."""
    sealed = seal(rows, columns, cipher, stored)
    return to_csv(sealed.select(stage_columns(columns)))
