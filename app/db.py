"""The dashboard's read-only view of the database file.

One cached connection per version of the database file, and a fresh `cursor()` per query, because Streamlit
runs each session in its own thread and a DuckDB connection must not be shared across threads. A rebuild
swaps the file (new inode), which changes the `Snapshot` and so every cache key. Each version is checked
(app/integrity.py) before a page reads it, and again when a query fails, so that a damaged file is told as such.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from app import integrity
from settings import database_path

BUILD_HELP = (
    "Para crearla, ejecute `make run` (construye la base desde `data/fichas/` y abre el panel) o "
    "`python -m etl build RUTA_A_LAS_FICHAS`. La variable de entorno `FICHAS_DB` indica otro archivo."
)


@dataclass(frozen=True)
class Snapshot:
    """One version of the database file; part of every cache key."""

    path: str
    inode: int
    mtime_ns: int


class DatabaseUnavailable(Exception):
    """No database to show yet: the message says why, in Spanish, and how to build one."""


class DatabaseUnusable(DatabaseUnavailable):
    """A database file is there but cannot be trusted (damaged, foreign, another format): never drawn from."""


def snapshot() -> Snapshot:
    """The database file as it is now, checked; raises DatabaseUnavailable with a Spanish explanation."""
    path = database_path()
    try:
        stat = path.stat()
    except OSError:
        raise DatabaseUnavailable(f"Todavía no hay base de datos en `{path}`. {BUILD_HELP}") from None
    current = Snapshot(str(path.resolve()), stat.st_ino, stat.st_mtime_ns)
    if fault := _fault(current):
        raise DatabaseUnusable(fault)
    count = query(current, "select count(*) as n from fichas")["n"].iloc[0]
    if count == 0:
        raise DatabaseUnavailable(f"La base `{path}` no tiene fichas cargadas. {BUILD_HELP}")
    return current


@st.cache_resource(max_entries=4, show_spinner=False)
def _fault(snap: Snapshot) -> str | None:
    """What is wrong with this version of the file, once per process (every session shares the verdict)."""
    return integrity.inspect(Path(snap.path))


ALIAS = "fichas_db"


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(snap: Snapshot) -> duckdb.DuckDBPyConnection:
    """The file attached read-only to a private in-memory instance.

    `duckdb.connect(path)` would reuse the process's open instance of that path, which still reads the file
    a rebuild replaced; an instance of our own sees the new file. External access is then switched off and
    the configuration locked, so no query can touch other files or undo either setting.
    """
    con = duckdb.connect(":memory:")
    quoted = snap.path.replace("'", "''")  # our own setting, not user input; ATTACH takes no parameters
    con.execute(f"attach '{quoted}' as {ALIAS} (read_only)")
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


def query(snap: Snapshot, sql: str, params: dict[str, object] | None = None) -> pd.DataFrame:
    """Run one read query on its own cursor; `params` fill the SQL's named parameters (`$name`).

    When DuckDB fails, the file is checked afresh: a fault found there (say, a block damaged after the first
    check) raises DatabaseUnusable, so the page says the file is damaged instead of blaming the filter.
    """
    try:
        with _connection(snap).cursor() as cursor:
            cursor.execute(f"use {ALIAS}")
            return cursor.execute(sql, params or {}).df()
    except duckdb.Error as error:
        if fault := integrity.inspect(Path(snap.path)):
            _fault.clear()  # the next run is refused before it draws anything, the sidebar included
            raise DatabaseUnusable(fault) from error
        raise
