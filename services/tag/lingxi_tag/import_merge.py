"""Set-based merge of one staged chunk into its table, in one transaction per chunk.

Per chunk: COPY into a session-local staging table, refuse rows whose references do not exist
(reported like validation rejections), then one statement that

- inserts the keys the table does not have yet (a plain INSERT: cheaper than ON CONFLICT's
  speculative insertion, and a key created concurrently since makes the chunk retry with
  ``ON CONFLICT DO NOTHING``),
- updates only the rows where an imported column really differs (``IS DISTINCT FROM``; PII is
  compared by blind index, and its old ciphertext is kept when the value did not change),
- for customers: bumps the version, records branch/advisor moves for the audience index, and
  returns what changed so that ``CustomerChanged`` events go into the outbox in the same commit.

Unchanged rows are never written, so re-running a file — or yesterday's overlapping extract —
costs a join and nothing else. Identifiers in the SQL come from the fixed specs, never from a file.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from lingxi_common.outbox import NOTIFY_CHANNEL
from lingxi_tag.import_events import OUTBOX_COLUMNS, customer_changed_csv
from lingxi_tag.import_specs import Column, ExtractSpec, MergeMode
from lingxi_tag.import_stage import stage_columns
from lingxi_tag.import_validate import ROW_NUMBER

STAGE = "import_stage"
_CUSTOMER_RETURNING = (
    "customer_id",
    "branch_id",
    "advisor_id",
    "version",
    "risk_level",
    "risk_assessment_expires_on",
    "professional_investor",
)


# Per chunk transaction (SET LOCAL: a pooled connection goes back to other work unchanged):
# - extract timestamps without a zone are Beijing time, whatever the server's zone;
# - the merge reads the staged chunk several times: keep it in memory rather than spill it;
# - a chunk is small next to its table (thousands of rows against millions): probe the key index
#   per staged row instead of hashing the whole table for every chunk. Without statistics on the
#   fresh staging table the planner cannot know that, and analysing each chunk would cost as much
#   as merging it.
_SESSION = (
    "SET LOCAL TIME ZONE 'Asia/Shanghai'; SET LOCAL work_mem = '64MB'; "
    "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off"
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
        self._targets = [target for target in self.stage_columns if target != ROW_NUMBER]
        self._customers = spec.table == "customers"
        self._fields = [column.name for column in columns if column.name not in spec.key]

    # --- SQL ----------------------------------------------------------------------------------

    def _is_pii_index(self, target: str) -> bool:
        return target.endswith("_index") and f"{target.removesuffix('_index')}_enc" in self._targets

    def create_stage_sql(self) -> str:
        # Same types as the target table; ON COMMIT DELETE ROWS empties it after every chunk.
        return (
            f"CREATE TEMP TABLE {STAGE} ON COMMIT DELETE ROWS AS "  # noqa: S608 — fixed identifiers
            f"SELECT NULL::bigint AS {ROW_NUMBER}, {', '.join(self._targets)} "
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
        defaults = {k: v for k, v in spec.insert_defaults.items() if k not in self._targets}
        insert_columns = ", ".join([*self._targets, *defaults])
        # A blind index is never stored without its ciphertext (see seal: a re-import may stage
        # an unchanged value's index alone, meant for an existing row).
        values = [
            f"CASE WHEN {t.removesuffix('_index')}_enc IS NULL THEN NULL ELSE {t} END"
            if self._is_pii_index(t)
            else t
            for t in self._targets
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
        extra = ""
        if self._customers:
            names = ", ".join(f"CASE WHEN {condition} THEN '{name}' END" for name, condition in changed)
            extra = (
                ", t.branch_id AS old_branch_id, t.advisor_id AS old_advisor_id, "
                f"array_remove(ARRAY[{names}]::text[], NULL) AS changed"
                if changed
                else ", t.branch_id AS old_branch_id, t.advisor_id AS old_advisor_id, '{}'::text[] AS changed"
            )
        sets = []
        for target in self._targets:
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
        differs = " OR ".join(condition for _, condition in changed) or "false"
        conflict = " ON CONFLICT DO NOTHING" if tolerate_conflicts else ""
        src = (
            f"src AS (SELECT s.*, t.{spec.key[0]} IS NULL AS is_new{extra} "  # noqa: S608
            f"FROM {STAGE} s LEFT JOIN tag.{spec.table} t ON {key_match} WHERE {self._references()})"
        )
        if not self._customers:
            return (
                f"WITH {src}, "  # noqa: S608
                f"ins AS (INSERT INTO tag.{spec.table} ({insert_columns}) "
                f"SELECT {insert_values} FROM src WHERE is_new{conflict} RETURNING 1), "
                f"upd AS (UPDATE tag.{spec.table} t SET {', '.join(sets)} FROM src s "
                f"WHERE {key_match} AND NOT s.is_new AND ({differs}) RETURNING 1) "
                "SELECT (SELECT count(*) FROM ins)::int + (SELECT count(*) FROM upd)::int AS changed, "
                "(SELECT count(*) FROM ins)::int AS created"
            )
        returning = ", ".join(f"t.{column}" for column in _CUSTOMER_RETURNING)
        moved = ""
        if "advisor_id" in self._targets or "branch_id" in self._targets:
            advisor_moved = (
                " OR advisor_id IS DISTINCT FROM old_advisor_id" if "advisor_id" in self._targets else ""
            )
            moved = (
                ", moved AS (INSERT INTO tag.customer_scope_changes "  # noqa: S608 — fixed identifiers
                "(customer_id, old_branch_id, old_advisor_id) "
                "SELECT customer_id, old_branch_id, old_advisor_id FROM src WHERE NOT is_new AND "
                f"(branch_id IS DISTINCT FROM old_branch_id{advisor_moved}))"
            )
        return (
            f"WITH {src}, "  # noqa: S608
            f"ins AS (INSERT INTO tag.customers AS t ({insert_columns}) "
            f"SELECT {insert_values} FROM src WHERE is_new{conflict} "
            f"RETURNING {returning}, true AS created, NULL::text[] AS changed), "
            f"upd AS (UPDATE tag.customers t SET {', '.join(sets)} FROM src s "
            f"WHERE {key_match} AND NOT s.is_new AND cardinality(s.changed) > 0 "
            f"RETURNING {returning}, false AS created, s.changed){moved} "
            "SELECT * FROM ins UNION ALL SELECT * FROM upd"
        )

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
            rows = await connection.fetch(self.merge_sql(tolerate_conflicts=tolerate_conflicts))
            if self._customers:
                outcome.changed = len(rows)
                outcome.created = sum(1 for row in rows if row["created"])
                await self._announce(connection, rows)
            else:
                outcome.changed, outcome.created = rows[0]["changed"], rows[0]["created"]
        except BaseException:
            await transaction.rollback()
            raise
        await transaction.commit()
        return outcome

    async def _announce(self, connection: asyncpg.Connection, rows: list[Any]) -> None:
        if not rows:
            return
        # Built off the event loop: the other connection's chunk keeps moving meanwhile.
        data = await asyncio.to_thread(
            customer_changed_csv, rows, created_fields=self._fields, job_id=self.job_id
        )
        await connection.copy_to_table(
            "outbox", schema_name="tag", source=io.BytesIO(data), columns=OUTBOX_COLUMNS, format="csv"
        )
        await connection.execute("SELECT pg_notify($1, 'tag')", NOTIFY_CHANNEL)

    async def drop(self, connection: asyncpg.Connection) -> None:
        await connection.execute(f"DROP TABLE IF EXISTS {STAGE}")
