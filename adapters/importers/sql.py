"""The SQL of an import, written once for both dialects from a TableSpec.

PostgreSQL and SQLite (≥ 3.35) share INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING; they
differ only in the null-safe comparison, in how the new row is told from the updated one (xmax on
PostgreSQL; a look-up before the merge on SQLite) and in the staging DDL.
"""

from __future__ import annotations

from adapters.importers.tables import TableSpec

STAGED = "import_staged"
STAGED_TAGS = "import_staged_tags"


def create_staging(spec: TableSpec, dialect: str) -> list[str]:
    if dialect == "postgresql":
        cols = ", ".join(f"{c} {spec.staged_types.get(c, 'text')}" for c in spec.staged_columns)
        # ON COMMIT DROP: gone after the import whether it commits or rolls back.
        return [
            f"CREATE TEMP TABLE {STAGED} ({cols}) ON COMMIT DROP",
            f"CREATE TEMP TABLE {STAGED_TAGS} (key text, name text) ON COMMIT DROP",
        ]
    cols = ", ".join(spec.staged_columns)
    return [
        *drop_staging(dialect),
        f"CREATE TEMP TABLE {STAGED} ({cols})",
        f"CREATE TEMP TABLE {STAGED_TAGS} (key, name)",
    ]


def drop_staging(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return []
    return [f"DROP TABLE IF EXISTS temp.{STAGED}", f"DROP TABLE IF EXISTS temp.{STAGED_TAGS}"]


def clear_staging(dialect: str) -> list[str]:
    verb = "TRUNCATE" if dialect == "postgresql" else "DELETE FROM"
    return [f"{verb} {STAGED}", f"{verb} {STAGED_TAGS}"]


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


def create_tags(now_sql: str) -> str:
    return (
        f"INSERT INTO tags (name, active, created_at, updated_at) "
        f"SELECT DISTINCT name, true, {now_sql}, {now_sql} FROM {STAGED_TAGS} WHERE true "
        f"ON CONFLICT (name) DO NOTHING"
    )


def _wanted(spec: TableSpec) -> str:
    return (
        f"SELECT o.id AS owner_id, g.id AS tag_id FROM {STAGED_TAGS} s "
        f"JOIN {spec.table} o ON o.{spec.key} = s.key JOIN tags g ON g.name = s.name"
    )


def drop_unwanted_tags(spec: TableSpec) -> str:
    """Remove tags no longer listed, for the rows that have a tag cell; returns their owners."""
    fk = spec.tag_fk
    return (
        f"DELETE FROM {spec.tag_table} WHERE {fk} IN "
        f"(SELECT o.id FROM {STAGED_TAGS} s JOIN {spec.table} o ON o.{spec.key} = s.key) "
        f"AND NOT EXISTS (SELECT 1 FROM ({_wanted(spec)}) w "
        f"WHERE w.owner_id = {spec.tag_table}.{fk} AND w.tag_id = {spec.tag_table}.tag_id) "
        f"RETURNING {fk}"
    )


def add_wanted_tags(spec: TableSpec) -> str:
    return (
        f"INSERT INTO {spec.tag_table} ({spec.tag_fk}, tag_id) SELECT DISTINCT owner_id, tag_id "
        f"FROM ({_wanted(spec)}) w WHERE true ON CONFLICT DO NOTHING RETURNING {spec.tag_fk}"
    )


def touch(spec: TableSpec, now_sql: str, ids: list[int]) -> str:
    return (
        f"UPDATE {spec.table} SET updated_at = {now_sql} WHERE id IN ({', '.join(str(int(i)) for i in ids)})"
    )
