"""Batch writers: stage a batch, merge it, replace its tags, count what changed.

Both run inside the caller's transaction on one SQLAlchemy Connection; PostgreSQL stages with
COPY, SQLite with executemany. Each batch is answered with (created, updated, unchanged).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, date, datetime

from sqlalchemy.engine import Connection

from adapters.importers import sql
from adapters.importers.tables import SPECS, TableSpec
from adapters.importers.tags import TagSync


class _Writer:
    dialect = ""

    def __init__(self, conn: Connection, spec: TableSpec, now_sql: str) -> None:
        self.conn = conn
        self.spec = spec
        self.now_sql = now_sql
        self.tags = TagSync(conn, spec, now_sql)
        self._totals = [0, 0, 0]
        self._merge = sql.merge(spec, self.dialect, now_sql)
        for statement in sql.create_staging(spec, self.dialect):
            conn.exec_driver_sql(statement)

    def write(self, rows: list) -> None:
        self.conn.exec_driver_sql(sql.clear_staging(self.dialect))
        self._stage(rows)
        created, updated = self._merge_staged()
        retagged = self.tags.sync(rows) - created
        touched = sorted(retagged - updated)
        if touched:  # only the tags changed: the row is still "updated"
            self.conn.exec_driver_sql(sql.touch(self.spec, self.now_sql, touched))
        updated |= retagged
        for i, n in enumerate((len(created), len(updated), len(rows) - len(created) - len(updated))):
            self._totals[i] += n

    def totals(self) -> tuple[int, int, int]:
        return tuple(self._totals)

    def close(self) -> None:
        for statement in sql.drop_staging(self.dialect):
            self.conn.exec_driver_sql(statement)

    def _ids(self, statement: str) -> set[int]:
        return {r[0] for r in self.conn.exec_driver_sql(statement)}

    def _stage(self, rows: list) -> None:
        raise NotImplementedError

    def _merge_staged(self) -> tuple[set[int], set[int]]:
        raise NotImplementedError


class PostgresWriter(_Writer):
    dialect = "postgresql"

    def _stage(self, rows) -> None:
        staged = self.spec.staged
        copy_sql = f"COPY {sql.STAGED} ({', '.join(self.spec.staged_columns)}) FROM STDIN"
        with self.conn.connection.driver_connection.cursor() as cursor, cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(staged(row))

    def _merge_staged(self):
        created, updated = set(), set()
        for row_id, inserted in self.conn.exec_driver_sql(self._merge):
            (created if inserted else updated).add(row_id)
        return created, updated


class SqliteWriter(_Writer):
    dialect = "sqlite"

    def _stage(self, rows) -> None:
        staged = self.spec.staged
        self.conn.exec_driver_sql(
            sql.insert_staged(self.spec, "?"), [tuple(map(_sqlite_value, staged(r))) for r in rows]
        )

    def _merge_staged(self):
        before = self._ids(sql.existing_ids(self.spec))
        written = self._ids(self._merge)
        return written - before, written & before


def _sqlite_value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class Pipelined:
    """Writes each batch on a worker thread while the caller checks the next one, so that
    Python's validation and the database's work overlap (psycopg waits without the GIL).
    One batch is in flight at a time; the connection is used by the worker only."""

    def __init__(self, writer: _Writer) -> None:
        self._writer = writer
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self._pending: Future | None = None

    def write(self, rows: list) -> None:
        self._wait()
        self._pending = self._pool.submit(self._writer.write, rows)

    def totals(self) -> tuple[int, int, int]:
        self._wait()
        return self._writer.totals()

    def close(self) -> None:
        self._pool.shutdown(wait=True)  # before the connection is used or closed again
        self._writer.close()

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # re-raises the worker's error here


def make_writer(conn: Connection, kind: str, by_user_id: int | None) -> _Writer | Pipelined:
    """The writer for this connection's dialect; staging tables are created now."""
    if conn.dialect.name == "postgresql":
        return Pipelined(PostgresWriter(conn, SPECS[kind](by_user_id, "now()"), "now()"))
    # SQLAlchemy stores SQLite datetimes as naive UTC text in this format.
    now = "'" + datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f") + "'"
    return SqliteWriter(conn, SPECS[kind](by_user_id, now), now)
