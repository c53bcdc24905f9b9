"""A damaged, foreign or older database file: one Spanish message on every page, naming the file and the fix.

Each case starts from a copy of the real-fichas database and breaks it as a disk, a user or an older ETL would.
"""

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from app import integrity, registry
from etl import loader

DAMAGED, FOREIGN, OLDER = "está dañada", "no es una base de fichas", "no sigue el formato que este panel lee"
UNREADABLE = "No se puede leer la base"
# Tables the Inicio page and the sidebar never read: damage there is invisible to them.
UNREAD_BY_INICIO = "objetivos_institucionales"


def _execute(path: Path, *statements: str) -> None:
    with duckdb.connect(str(path)) as con:
        for statement in statements:
            con.execute(statement)


def _rewritten(path: Path, table: str, select: str) -> None:
    """Rewrite the database with one table's columns as `select` says (an older ETL's shape), the rest as they are."""
    original = path.with_name("original.duckdb")
    path.rename(original)
    with duckdb.connect(str(path)) as con:
        con.execute("attach $p as original (read_only)", {"p": str(original)})
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'original'"
        ).fetchall():
            columns = select if name == table else "*"
            con.execute(f"create table {name} as select {columns} from original.{name}")


def table_blocks(path: Path, table: str) -> tuple[int, list[tuple[int, int]]]:
    """(block size, [(block id, offset of the table's first segment in it)]) of one table's data."""
    with duckdb.connect(str(path), read_only=True) as con:
        block_size = con.execute("select block_size from pragma_database_size()").fetchone()[0]
        blocks = con.execute(
            "select block_id, min(block_offset) from pragma_storage_info($t) where block_id >= 0 group by all",
            {"t": table},
        ).fetchall()
        others = {
            block
            for (other,) in con.execute(
                "select table_name from duckdb_tables() where table_name <> $t", {"t": table}
            ).fetchall()
            for (block,) in con.execute(
                "select distinct block_id from pragma_storage_info($t) where block_id >= 0", {"t": other}
            ).fetchall()
        }
    assert blocks and not {block for block, _ in blocks} & others, "the table shares its blocks: pick another one"
    return block_size, blocks


def corrupt_table(path: Path, table: str) -> None:
    """Overwrite bytes inside every data block of one table only, as a failing disk would; size and mtime kept."""
    block_size, blocks = table_blocks(path, table)
    stat = path.stat()
    header = 3 * 4096  # the file header and the two database headers come before block 0
    with path.open("r+b") as handle:
        for block, offset in blocks:
            handle.seek(header + block * block_size + 8 + offset)  # past the block's checksum
            handle.write(b"\xa5" * 64)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _text_file(path: Path) -> None:
    path.unlink()
    path.write_text("Notas de la reunión: no es una base de datos.\n" * 1000, encoding="utf-8")


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _other_duckdb(path: Path) -> None:
    path.unlink()
    _execute(path, "create table notas (texto varchar)", "insert into notas values ('hola')")


BREAKAGES = {
    "truncada_a_1MB": (lambda p: os.truncate(p, 1 << 20), DAMAGED),
    "truncada_a_la_mitad": (lambda p: os.truncate(p, p.stat().st_size // 2), DAMAGED),
    "bloque_alterado": (lambda p: corrupt_table(p, UNREAD_BY_INICIO), DAMAGED),
    "archivo_de_texto": (_text_file, FOREIGN),
    "una_carpeta": (_folder, UNREADABLE),
    "otra_base_duckdb": (_other_duckdb, FOREIGN),
    "version_1": (lambda p: _execute(p, "update metadatos set valor = '1' where clave = 'version_esquema'"), OLDER),
    "sin_version": (lambda p: _execute(p, "delete from metadatos where clave = 'version_esquema'"), OLDER),
    "sin_tabla_metadatos": (lambda p: _execute(p, "drop table metadatos"), OLDER),
    "falta_una_columna": (lambda p: _rewritten(p, "productos", "* exclude (presupuesto_miles)"), OLDER),
    "falta_una_tabla": (lambda p: _execute(p, "drop table problemas"), OLDER),
    "columna_de_otro_tipo": (
        lambda p: _rewritten(p, "clientes", "* replace (cast(cuantificacion as varchar) as cuantificacion)"),
        OLDER,
    ),
}


@pytest.fixture
def broken(real_db, tmp_path):
    def make(breakage: str) -> Path:
        path = tmp_path / "fichas.duckdb"
        shutil.copy(real_db, path)
        BREAKAGES[breakage][0](path)
        return path

    return make


def assert_only_the_message(at: AppTest, *words: str, sidebar: bool = False) -> str:
    """No exception, exactly one message (an error) and nothing drawn from the database: no chart, table, metric.

    `sidebar`: the filters may stay (drawn before a page found the damage; the next run is refused before them).
    """
    assert not at.exception, at.exception
    messages = [e.value for e in at.error] + [i.value for i in at.info] + [w.value for w in at.warning]
    assert len(messages) == 1 and len(at.error) == 1, messages
    for word in words:
        assert word in messages[0], messages[0]
    assert not at.get("plotly_chart") and not at.dataframe and not at.metric
    assert sidebar or not at.sidebar.multiselect, "the sidebar drew filters from the file"
    return messages[0]


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_one_message_on_every_page(breakage, broken, open_app):
    path = broken(breakage)
    kind = BREAKAGES[breakage][1]
    at = open_app(path)
    message = assert_only_the_message(at, kind, f"`{path.resolve()}`", "make build", "python -m etl build --force")
    assert [title.value for title in at.title] == [registry.HOME.page_title]
    for page in registry.FILE_PAGES:
        at.switch_page(page.file).run()
        assert assert_only_the_message(at) == message, page.slug
        assert [title.value for title in at.title] == [page.page_title]


def test_the_checks_follow_the_schema_constant():
    """The expected tables and columns are the ones `loader.SCHEMA_SQL` creates, every loaded column among them."""
    expected = integrity.expected_columns()
    for table, columns in loader.COLUMNS.items():
        assert set(columns) <= set(expected[table]), table
    assert {"metadatos", "fichas", "productos", "problemas"} <= set(expected)
    assert expected["productos"]["presupuesto_miles"] == "BIGINT"


def test_a_sound_database_passes(real_db):
    assert integrity.inspect(real_db) is None


def test_a_newer_version_is_refused_too(broken):
    path = broken("version_1")
    _execute(path, "update metadatos set valor = '3' where clave = 'version_esquema'")
    assert "es de la versión `3` del formato" in integrity.inspect(path)


def test_a_hostile_version_is_quoted_inert(broken):
    path = broken("version_1")
    _execute(path, "update metadatos set valor = '**9**\u202e<b>`x' where clave = 'version_esquema'")
    message = integrity.inspect(path)
    assert "versión `**9**<b>�x` del formato" in message and "\u202e" not in message


def test_damage_found_midpage_replaces_the_whole_page(real_db, tmp_path, open_app):
    """Clientes, opened on «Por producto», draws its warning and sections, then reads `producto_cliente`: damaged
    after the first check, it raises midway.

    The page must end as the one message (no chart left above it), not as "pruebe con otro filtro".
    """
    path = tmp_path / "fichas.duckdb"
    shutil.copy(real_db, path)
    at = open_app(path)
    assert not at.exception and at.get("plotly_chart")
    corrupt_table(path, "producto_cliente")  # in place, same inode and mtime: the same snapshot, checked as sound
    at.query_params["clientes_seccion"] = "Por producto"  # a link to that section
    at.switch_page(registry.by_slug("clientes").file).run()
    message = assert_only_the_message(at, DAMAGED, "make build", sidebar=True)
    assert "otro filtro" not in message
    at.run()
    assert assert_only_the_message(at) == message
