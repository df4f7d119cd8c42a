"""Set-based merge of one staged chunk into its table, in one transaction per chunk.

Per chunk: COPY into a session-local staging table, refuse rows whose references do not exist
(reported like validation rejections), then one statement that

- inserts the keys the table does not have yet (a plain INSERT: cheaper than ON CONFLICT's
  speculative insertion, and a key created concurrently since makes the chunk retry with
  ``ON CONFLICT DO NOTHING``),
- updates only the rows where an imported column really differs (``IS DISTINCT FROM``; PII is
  compared by blind index, and its old ciphertext is kept when the value did not change),
- for customers: bumps the version and records branch/advisor moves for the audience index;
  for customers and accounts: streams what changed back (``COPY (…) TO STDOUT``, parsed by Arrow)
  so that ``CustomerChanged`` / ``AccountChanged`` events go into the outbox in the same commit;
- for full holdings extracts: records the chunk's keys, so that positions missing from the file
  can be closed once the whole file is in (``close_missing``).

Unchanged rows are never written, so re-running a file — or yesterday's overlapping extract —
costs a join and nothing else. A chunk of customers that are all new (the first load) skips the
staging table: it is COPYed straight into ``customers`` with its events built from the file, and
if one of its ids exists after all, the unique violation rolls the attempt back and the chunk is
merged instead. Identifiers in the SQL come from the fixed specs, never from a file.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from dataclasses import dataclass, field

import asyncpg
import pyarrow as pa
import pyarrow.csv as pacsv

from lingxi_common.outbox import NOTIFY_CHANNEL
from lingxi_tag.import_events import OUTBOX_COLUMNS, account_changed_copy, customer_changed_copy
from lingxi_tag.import_specs import Column, ExtractSpec, MergeMode
from lingxi_tag.import_stage import stage_columns
from lingxi_tag.import_validate import ROW_NUMBER

STAGE = "import_stage"

# What the merge streams back per changed row, with the Arrow type it is read as.
_ANNOUNCED: dict[str, list[tuple[str, str, pa.DataType]]] = {
    "customers": [
        ("customer_id", "t.customer_id", pa.string()),
        ("branch_id", "t.branch_id", pa.string()),
        ("advisor_id", "t.advisor_id", pa.string()),
        ("version", "t.version", pa.int64()),
        ("risk_level", "t.risk_level", pa.int16()),
        ("risk_assessment_expires_on", "t.risk_assessment_expires_on", pa.date32()),
        ("professional_investor", "t.professional_investor", pa.bool_()),
        ("status", "t.status", pa.int16()),
    ],
    "accounts": [
        ("account_id", "t.account_id", pa.string()),
        ("customer_id", "t.customer_id", pa.string()),
        ("account_type", "t.account_type", pa.int16()),
        ("total_assets", "t.total_assets::text", pa.string()),
        ("cash_balance", "t.cash_balance::text", pa.string()),
        ("maintenance_ratio", "t.maintenance_ratio::text", pa.string()),
        ("contract_expires_on", "t.contract_expires_on", pa.date32()),
        ("as_of", "(extract(epoch FROM t.as_of) * 1000000)::bigint", pa.int64()),
    ],
}
_FLAGS = [("created", pa.bool_()), ("changed", pa.string())]


# Per chunk transaction (SET LOCAL: a pooled connection goes back to other work unchanged):
# - extract timestamps without a zone are Beijing time, whatever the server's zone;
# - the merge reads the staged chunk several times: keep it in memory rather than spill it;
# - a chunk is small next to its table (thousands of rows against millions): probe the key index
#   per staged row instead of hashing the whole table for every chunk. Without statistics on the
#   fresh staging table the planner cannot know that, and analysing each chunk would cost as much
#   as merging it;
# - no JIT: the statement's estimated cost crosses jit_above_cost on every chunk, and compiling
#   its expressions takes ~25 ms, longer than evaluating them for 25,000 rows.
_SESSION = (
    "SET LOCAL TIME ZONE 'Asia/Shanghai'; SET LOCAL work_mem = '64MB'; "
    "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off; SET LOCAL jit = off"
)


@dataclass
class ChunkOutcome:
    changed: int = 0
    created: int = 0
    events: int = 0
    # (row number, column, reason) of rows refused for a missing reference.
    orphans: list[tuple[int, str, str]] = field(default_factory=list)


class ChunkMerger:
    """The SQL of one extract kind over the columns one file carries."""

    def __init__(self, spec: ExtractSpec, columns: tuple[Column, ...], job_id: str) -> None:
        self.spec = spec
        self.columns = columns
        self.job_id = job_id
        self.stage_columns = stage_columns(columns)
        self.targets = [target for target in self.stage_columns if target != ROW_NUMBER]
        self._customers = spec.table == "customers"
        self.announced = spec.table in _ANNOUNCED and spec.mode is MergeMode.UPSERT
        self.fields = [column.name for column in columns if column.name not in spec.key]

    # --- SQL ----------------------------------------------------------------------------------

    def _is_pii_index(self, target: str) -> bool:
        return target.endswith("_index") and f"{target.removesuffix('_index')}_enc" in self.targets

    def create_stage_sql(self) -> str:
        # Same types as the target table; ON COMMIT DELETE ROWS empties it after every chunk.
        return (
            f"CREATE TEMP TABLE {STAGE} ON COMMIT DELETE ROWS AS "  # noqa: S608 — fixed identifiers
            f"SELECT NULL::bigint AS {ROW_NUMBER}, {', '.join(self.targets)} "
            f"FROM tag.{self.spec.table} WITH NO DATA"
        )

    def _references(self) -> str:
        return " AND ".join(f"({reference.condition})" for reference in self.spec.references) or "true"

    def orphans_sql(self) -> str | None:
        if not self.spec.references:
            return None
        cases = " ".join(
            f"WHEN NOT ({reference.condition}) THEN {number}"
            for number, reference in enumerate(self.spec.references)
        )
        return (
            f"SELECT {ROW_NUMBER}, CASE {cases} END AS broken FROM {STAGE} s "  # noqa: S608
            f"WHERE NOT ({self._references()}) ORDER BY {ROW_NUMBER}"
        )

    def seen_sql(self) -> str | None:
        """For a full extract: remember the chunk's keys (all staged rows, orphans included)."""
        if not self.spec.closes:
            return None
        as_of = "as_of" if "as_of" in self.targets else "NULL::timestamptz"
        return (
            "INSERT INTO tag.import_seen_keys (job_id, account_id, security_code, as_of) "  # noqa: S608
            f"SELECT $1, account_id, security_code, {as_of} FROM {STAGE}"
        )

    def _changed(self, left: str, right: str) -> list[tuple[str, str]]:
        """(field name, "differs" condition) per imported non-key field; PII by blind index."""
        pairs = []
        for column in self.columns:
            if column.name in self.spec.key:
                continue
            target = f"{column.name}_index" if column.pii else column.name
            pairs.append((column.name, f"{left}.{target} IS DISTINCT FROM {right}.{target}"))
        return pairs

    def merge_sql(self, *, tolerate_conflicts: bool = False) -> str:
        spec = self.spec
        key_match = " AND ".join(f"t.{key} = s.{key}" for key in spec.key)
        defaults = {k: v for k, v in spec.insert_defaults.items() if k not in self.targets}
        insert_columns = ", ".join([*self.targets, *defaults])
        # A blind index is never stored without its ciphertext (see seal: a re-import may stage
        # an unchanged value's index alone, meant for an existing row).
        values = [
            f"CASE WHEN {t.removesuffix('_index')}_enc IS NULL THEN NULL ELSE {t} END"
            if self._is_pii_index(t)
            else t
            for t in self.targets
        ]
        insert_values = ", ".join([*values, *(f"'{value}'" for value in defaults.values())])
        if spec.mode is MergeMode.APPEND:
            return (
                f"WITH ins AS (INSERT INTO tag.{spec.table} ({insert_columns}) "  # noqa: S608
                f"SELECT {insert_values} FROM {STAGE} s WHERE {self._references()} "
                f"ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*)::int AS changed, "
                "count(*)::int AS created FROM ins"
            )
        changed = self._changed("t", "s")
        names = ", ".join(f"CASE WHEN {condition} THEN '{name}' END" for name, condition in changed)
        changed_list = f"array_remove(ARRAY[{names}]::text[], NULL)" if changed else "'{}'::text[]"
        extra = f", {changed_list} AS changed"
        if self._customers:
            extra += ", t.branch_id AS old_branch_id, t.advisor_id AS old_advisor_id"
        elif spec.table == "accounts":
            extra += ", t.maintenance_ratio::text AS old_maintenance_ratio"
        sets = []
        for target in self.targets:
            if target in spec.key:
                continue
            if target.endswith("_enc"):
                # Keep the stored value when the import did not encrypt it (unchanged at staging;
                # if another writer changed it since, theirs stays whole) or when it is the same.
                index = target.removesuffix("_enc") + "_index"
                skipped = f"(s.{target} IS NULL AND s.{index} IS NOT NULL)"
                sets.append(
                    f"{target} = CASE WHEN {skipped} OR t.{index} IS NOT DISTINCT FROM s.{index} "
                    f"THEN t.{target} ELSE s.{target} END"
                )
                sets.append(f"{index} = CASE WHEN {skipped} THEN t.{index} ELSE s.{index} END")
            elif self._is_pii_index(target):
                continue  # set together with its ciphertext
            else:
                sets.append(f"{target} = s.{target}")
        if self._customers:
            sets += ["version = t.version + 1", "updated_at = now()"]
        elif spec.table == "accounts":
            sets.append("updated_at = now()")
        conflict = " ON CONFLICT DO NOTHING" if tolerate_conflicts else ""
        src = (
            f"src AS (SELECT s.*, t.{spec.key[0]} IS NULL AS is_new{extra} "  # noqa: S608
            f"FROM {STAGE} s LEFT JOIN tag.{spec.table} t ON {key_match} WHERE {self._references()})"
        )
        if not self.announced:
            return (
                f"WITH {src}, "  # noqa: S608
                f"ins AS (INSERT INTO tag.{spec.table} ({insert_columns}) "
                f"SELECT {insert_values} FROM src WHERE is_new{conflict} RETURNING 1), "
                f"upd AS (UPDATE tag.{spec.table} t SET {', '.join(sets)} FROM src s "
                f"WHERE {key_match} AND NOT s.is_new AND cardinality(s.changed) > 0 RETURNING 1) "
                "SELECT (SELECT count(*) FROM ins)::int + (SELECT count(*) FROM upd)::int AS changed, "
                "(SELECT count(*) FROM ins)::int AS created"
            )
        returning = ", ".join(f"{expression} AS {name}" for name, expression, _ in _ANNOUNCED[spec.table])
        moved = ""
        if self._customers and ("advisor_id" in self.targets or "branch_id" in self.targets):
            advisor_moved = (
                " OR advisor_id IS DISTINCT FROM old_advisor_id" if "advisor_id" in self.targets else ""
            )
            moved = (
                ", moved AS (INSERT INTO tag.customer_scope_changes "  # noqa: S608 — fixed identifiers
                "(customer_id, old_branch_id, old_advisor_id) "
                "SELECT customer_id, old_branch_id, old_advisor_id FROM src WHERE NOT is_new AND "
                f"(branch_id IS DISTINCT FROM old_branch_id{advisor_moved}))"
            )
        previous = "NULL::text" if self._customers else "s.old_maintenance_ratio"
        statement = (
            f"WITH {src}, "  # noqa: S608
            f"ins AS (INSERT INTO tag.{spec.table} AS t ({insert_columns}) "
            f"SELECT {insert_values} FROM src WHERE is_new{conflict} "
            f"RETURNING {returning}, true AS created, NULL::text AS changed, NULL::text AS previous), "
            f"upd AS (UPDATE tag.{spec.table} t SET {', '.join(sets)} FROM src s "
            f"WHERE {key_match} AND NOT s.is_new AND cardinality(s.changed) > 0 "
            f"RETURNING {returning}, false AS created, array_to_string(s.changed, ','), "
            f"{previous}){moved}, "
            "done AS (SELECT * FROM ins UNION ALL SELECT * FROM upd) "
        )
        # Accounts add their owner's branch and advisor (the event's CustomerRef).
        final = (
            "SELECT * FROM done"
            if self._customers
            else "SELECT d.*, c.branch_id, c.advisor_id FROM done d "
            "JOIN tag.customers c ON c.customer_id = d.customer_id"
        )
        return statement + final

    def _announced_schema(self) -> list[tuple[str, pa.DataType]]:
        columns = [(name, kind) for name, _, kind in _ANNOUNCED[self.spec.table]] + _FLAGS
        columns.append(("previous_maintenance_ratio", pa.string()))
        if not self._customers:
            columns += [("branch_id", pa.string()), ("advisor_id", pa.string())]
        return columns

    def read_changes(self, data: bytes) -> pa.Table:
        """The merge's CSV output (``COPY … TO STDOUT``) as typed Arrow columns."""
        schema = self._announced_schema()
        names = [name for name, _ in schema]
        if not data:
            return pa.table({name: pa.array([], kind) for name, kind in schema})
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names),
            convert_options=pacsv.ConvertOptions(
                column_types=dict(schema),
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
                true_values=["t"],
                false_values=["f"],
            ),
        )
        if "as_of" in names:
            index = names.index("as_of")
            micros = table.column(index)
            table = table.set_column(index, "as_of", micros.cast(pa.timestamp("us", tz="UTC")))
        return table

    def events_copy(self, changes: pa.Table) -> bytes:
        builder = customer_changed_copy if self._customers else account_changed_copy
        return builder(changes, created_fields=self.fields, job_id=self.job_id)

    # --- execution ----------------------------------------------------------------------------

    async def prepare(self, connection: asyncpg.Connection) -> None:
        await connection.execute(f"DROP TABLE IF EXISTS {STAGE}")
        await connection.execute(self.create_stage_sql())

    async def merge(self, connection: asyncpg.Connection, chunk: bytes, *, dry_run: bool) -> ChunkOutcome:
        """Stage and merge one chunk (or, for a dry run, stage and check references only)."""
        try:
            return await self._merge_once(connection, chunk, dry_run=dry_run, tolerate_conflicts=False)
        except asyncpg.UniqueViolationError:
            # A key was created by another writer after our join: retry, letting that row win.
            return await self._merge_once(connection, chunk, dry_run=dry_run, tolerate_conflicts=True)

    async def insert_fresh(
        self, connection: asyncpg.Connection, rows: bytes, events: bytes, count: int
    ) -> bool:
        """COPY a chunk of new customers straight into the table with their events.

        ``rows`` is CSV in ``targets`` order, ``events`` the outbox COPY input built from the same
        rows. False (and nothing written) when some id exists after all: merge the chunk instead.
        """
        transaction = connection.transaction()
        await transaction.start()
        try:
            await connection.execute(_SESSION)
            await connection.copy_to_table(
                self.spec.table,
                schema_name="tag",
                source=io.BytesIO(rows),
                columns=self.targets,
                format="csv",
            )
            await self._write_events(connection, events)
        except asyncpg.UniqueViolationError:
            await transaction.rollback()
            return False
        except BaseException:
            await transaction.rollback()
            raise
        await transaction.commit()
        return True

    async def _merge_once(
        self, connection: asyncpg.Connection, chunk: bytes, *, dry_run: bool, tolerate_conflicts: bool
    ) -> ChunkOutcome:
        outcome = ChunkOutcome()
        transaction = connection.transaction()
        await transaction.start()
        try:
            await connection.execute(_SESSION)
            await connection.copy_to_table(
                STAGE, source=io.BytesIO(chunk), columns=self.stage_columns, format="csv"
            )
            orphans_sql = self.orphans_sql()
            if orphans_sql is not None:
                for row in await connection.fetch(orphans_sql):
                    reference = self.spec.references[row["broken"]]
                    outcome.orphans.append((row[ROW_NUMBER], reference.column, reference.reason))
            if dry_run:
                await transaction.rollback()
                return outcome
            seen_sql = self.seen_sql()
            if seen_sql is not None:
                await connection.execute(seen_sql, self.job_id)
            statement = self.merge_sql(tolerate_conflicts=tolerate_conflicts)
            if self.announced:
                sink = io.BytesIO()
                await connection.copy_from_query(statement, output=sink, format="csv")
                # Parsed and encoded off the event loop: the other connection's chunk keeps moving.
                changes = await asyncio.to_thread(self.read_changes, sink.getvalue())
                outcome.changed = outcome.events = changes.num_rows
                outcome.created = sum(1 for flag in changes.column("created").to_pylist() if flag)
                if changes.num_rows:
                    events = await asyncio.to_thread(self.events_copy, changes)
                    await self._write_events(connection, events)
            else:
                row = await connection.fetchrow(statement)
                assert row is not None
                outcome.changed, outcome.created = row["changed"], row["created"]
        except BaseException:
            await transaction.rollback()
            raise
        await transaction.commit()
        return outcome

    async def _write_events(self, connection: asyncpg.Connection, events: bytes) -> None:
        await connection.copy_to_table(
            "outbox", schema_name="tag", source=io.BytesIO(events), columns=OUTBOX_COLUMNS, format="binary"
        )
        await connection.execute("SELECT pg_notify($1, 'tag')", NOTIFY_CHANNEL)

    async def drop(self, connection: asyncpg.Connection) -> None:
        await connection.execute(f"DROP TABLE IF EXISTS {STAGE}")


async def close_missing(
    connection: asyncpg.Connection, spec: ExtractSpec, job_id: str, default_as_of: dt.datetime
) -> int:
    """Close the positions a full extract no longer lists; returns how many were closed.

    The extract is the complete picture of the positions in its scope (``spec.closes``) as of its
    own as-of — the newest ``as_of`` in the file, else ``default_as_of``. A position in scope that
    the file does not list (not even in a rejected row) and that was last written before that
    moment is gone: quantity, market value and unrealized P&L become 0. Positions written after it
    (an ``UpsertHoldings`` during the day) are newer than the extract and stay.
    """
    async with connection.transaction():
        extract_as_of = await connection.fetchval(
            "SELECT coalesce(max(as_of), $2) FROM tag.import_seen_keys WHERE job_id = $1",
            job_id,
            default_as_of,
        )
        status = await connection.execute(
            "UPDATE tag.holdings h SET quantity = 0, market_value = 0, unrealized_pnl = 0, as_of = $2 "  # noqa: S608
            f"WHERE ({spec.closes}) AND (h.quantity <> 0 OR h.market_value <> 0) "
            "AND (h.as_of IS NULL OR h.as_of < $2) AND NOT EXISTS (SELECT 1 FROM tag.import_seen_keys k "
            "WHERE k.job_id = $1 AND k.account_id = h.account_id AND k.security_code = h.security_code)",
            job_id,
            extract_as_of,
        )
        await connection.execute("DELETE FROM tag.import_seen_keys WHERE job_id = $1", job_id)
    return int(status.split()[-1])


async def forget_seen(connection: asyncpg.Connection, job_id: str) -> None:
    await connection.execute("DELETE FROM tag.import_seen_keys WHERE job_id = $1", job_id)


async def remember_seen(connection: asyncpg.Connection, job_id: str, keys: pa.Table) -> None:
    """Keys of rejected rows of a full extract: listed in the file, so their positions stay."""
    if keys.num_rows:
        await connection.copy_records_to_table(
            "import_seen_keys",
            schema_name="tag",
            records=[(job_id, a, s) for a, s in zip(*(c.to_pylist() for c in keys.columns), strict=True)],
            columns=["job_id", "account_id", "security_code"],
        )
