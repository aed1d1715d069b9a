"""Tags of imported rows: created on the fly, replaced for the rows that have a tag cell.

Owners and existing pairs are fetched through the key and primary-key indexes with IN lists,
and the difference is computed here: a batch has at most a few thousand pairs, and a join
written in SQL tempts the planner into scanning the whole register for each batch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy.engine import Connection

from adapters.importers.tables import TableSpec

SQLITE_CHUNK = 900  # below SQLite's historic limit of 999 bound parameters


class TagSync:
    def __init__(self, conn: Connection, spec: TableSpec, now_sql: str) -> None:
        self.conn = conn
        self.spec = spec
        self.now_sql = now_sql
        self.pg = conn.dialect.name == "postgresql"
        self.mark = "%s" if self.pg else "?"
        self._tag_ids: dict[str, int] = {}

    def sync(self, rows: Sequence) -> set[int]:
        """Make each row's stored tags equal its `tags` (rows whose tags are None are left
        alone); returns the ids of the rows whose tags changed."""
        rows = [r for r in rows if r.tags]
        if not rows:
            return set()
        tag_ids = self._ensure_tags({t for r in rows for t in r.tags})
        owners = dict(
            self._select(
                f"SELECT {self.spec.key}, id FROM {self.spec.table}", self.spec.key, [r[0] for r in rows]
            )
        )
        wanted = {owners[r[0]]: {tag_ids[t] for t in r.tags} for r in rows}
        stored: dict[int, set[int]] = {owner: set() for owner in wanted}
        table, fk = self.spec.tag_table, self.spec.tag_fk
        for owner, tag in self._select(f"SELECT {fk}, tag_id FROM {table}", fk, list(wanted)):
            stored[owner].add(tag)
        add = [(o, t) for o, tags in wanted.items() for t in tags - stored[o]]
        drop = [(o, t) for o, tags in stored.items() for t in tags - wanted[o]]
        if add and self.pg:  # one statement instead of a round trip per pair
            owner_ids, tag_ids_ = zip(*add, strict=True)
            self.conn.exec_driver_sql(
                f"INSERT INTO {table} ({fk}, tag_id) SELECT * FROM unnest(%s::int[], %s::int[])",
                (list(owner_ids), list(tag_ids_)),
            )
        elif add:
            self.conn.exec_driver_sql(f"INSERT INTO {table} ({fk}, tag_id) VALUES (?, ?)", add)
        if drop:
            self.conn.exec_driver_sql(
                f"DELETE FROM {table} WHERE {fk} = {self.mark} AND tag_id = {self.mark}", drop
            )
        return {o for o, _ in add} | {o for o, _ in drop}

    def _ensure_tags(self, names: set[str]) -> dict[str, int]:
        missing = sorted(names - self._tag_ids.keys())
        if missing:
            self.conn.exec_driver_sql(
                f"INSERT INTO tags (name, active, created_at, updated_at) "
                f"VALUES ({self.mark}, true, {self.now_sql}, {self.now_sql}) ON CONFLICT (name) DO NOTHING",
                [(name,) for name in missing],
            )
            self._tag_ids.update(self._select("SELECT name, id FROM tags", "name", missing))
        return self._tag_ids

    def _select(self, select: str, column: str, values: list) -> Iterator[tuple]:
        if self.pg:
            yield from self.conn.exec_driver_sql(f"{select} WHERE {column} = ANY(%s)", (values,))
            return
        for start in range(0, len(values), SQLITE_CHUNK):
            chunk = values[start : start + SQLITE_CHUNK]
            marks = ", ".join("?" * len(chunk))
            yield from self.conn.exec_driver_sql(f"{select} WHERE {column} IN ({marks})", tuple(chunk))
