"""The SQL of an import, written once for both dialects from a TableSpec.

PostgreSQL and SQLite (≥ 3.35) share INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING; they
differ only in the null-safe comparison, in how the new row is told from the updated one (xmax on
PostgreSQL; a look-up before the merge on SQLite) and in the staging DDL.
"""

from __future__ import annotations

from adapters.importers.tables import TableSpec

STAGED = "import_staged"


def create_staging(spec: TableSpec, dialect: str) -> list[str]:
    if dialect == "postgresql":
        cols = ", ".join(f"{c} {spec.staged_types.get(c, 'text')}" for c in spec.staged_columns)
        # ON COMMIT DROP: gone after the import whether it commits or rolls back.
        return [f"CREATE TEMP TABLE {STAGED} ({cols}) ON COMMIT DROP"]
    cols = ", ".join(spec.staged_columns)
    return [*drop_staging(dialect), f"CREATE TEMP TABLE {STAGED} ({cols})"]


def drop_staging(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return []
    return [f"DROP TABLE IF EXISTS temp.{STAGED}"]


def clear_staging(dialect: str) -> str:
    return f"TRUNCATE {STAGED}" if dialect == "postgresql" else f"DELETE FROM {STAGED}"


def insert_staged(spec: TableSpec, marker: str) -> str:
    cols = spec.staged_columns
    return f"INSERT INTO {STAGED} ({', '.join(cols)}) VALUES ({', '.join([marker] * len(cols))})"


def merge(spec: TableSpec, dialect: str, now_sql: str) -> str:
    """Upsert the staged rows; returns the ids written (and, on PostgreSQL, whether inserted)."""
    t = spec.table
    columns = [*spec.stored, *spec.insert_only, "created_at", "updated_at"]
    values = [f"t.{c}" for c in spec.fields]
    for col, default in spec.keep_if_empty.items():
        values.append(f"COALESCE(t.{col}, o.{col}{', ' + default if default else ''})")
    values += [*spec.insert_only.values(), now_sql, now_sql]
    changing = [c for c in spec.stored if c != spec.key]
    assignments = ", ".join(f"{c} = excluded.{c}" for c in changing)
    if dialect == "postgresql":
        differs = f"({', '.join(f'{t}.{c}' for c in changing)}) IS DISTINCT FROM ({', '.join(f'excluded.{c}' for c in changing)})"
        returning = f"{t}.id, ({t}.xmax = 0)"
    else:
        differs = " OR ".join(f"{t}.{c} IS NOT excluded.{c}" for c in changing)
        returning = "id"
    return (
        f"INSERT INTO {t} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {STAGED} t {_stored_row(spec, dialect)} "
        # "WHERE true" keeps SQLite from reading ON CONFLICT as the join's ON clause.
        f"WHERE true ON CONFLICT ({spec.key}) DO UPDATE SET {assignments}, updated_at = excluded.updated_at "
        f"WHERE {differs} RETURNING {returning}"
    )


def _stored_row(spec: TableSpec, dialect: str) -> str:
    """Join each staged row to its stored row, if any. On PostgreSQL the LIMIT keeps the
    subquery from being flattened, so the plan is always one index probe per staged row; a
    hash join would scan the whole register for every batch once it is large."""
    if dialect == "postgresql":
        return f"LEFT JOIN LATERAL (SELECT * FROM {spec.table} x WHERE x.{spec.key} = t.{spec.key} LIMIT 1) o ON true"
    return f"LEFT JOIN {spec.table} o ON o.{spec.key} = t.{spec.key}"


def existing_ids(spec: TableSpec) -> str:
    return f"SELECT o.id FROM {STAGED} t JOIN {spec.table} o ON o.{spec.key} = t.{spec.key}"


def touch(spec: TableSpec, now_sql: str, ids: list[int]) -> str:
    return (
        f"UPDATE {spec.table} SET updated_at = {now_sql} WHERE id IN ({', '.join(str(int(i)) for i in ids)})"
    )
