"""Incremental builds: only new or changed files are parsed, and the database is the same, table by table, as a
full rebuild of the same files (duplicates and problems included)."""

import shutil
from pathlib import Path

import duckdb
import pytest
from helpers import HUASCO

from bench.generator import write_corpus
from etl import loader
from etl.build import build

SEED = 7
N = 500  # over 400 services: two years


def tables(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted; metadatos without the build time."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [name for (name,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        rows = {name: sorted(con.execute(f"select * from {name}").fetchall(), key=repr) for name in names}
    rows["metadatos"] = [row for row in rows["metadatos"] if row[0] != loader.BUILT]
    return rows


def assert_same_as_full(folder: Path, db: Path, tmp_path: Path) -> None:
    full = tmp_path / "completa.duckdb"
    full.unlink(missing_ok=True)
    build([folder], full, force=True)
    incremental, complete = tables(db), tables(full)
    assert incremental.keys() == complete.keys()
    for table in complete:
        assert incremental[table] == complete[table], table


@pytest.mark.slow
def test_incremental_build_equals_a_full_rebuild(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = Path("fichas")
    write_corpus(folder, N, SEED)
    db = tmp_path / "fichas.duckdb"
    first = build([folder], db)
    assert (first.loaded, first.rejected, first.parsed) == (N, 0, N)

    files = sorted(folder.rglob("*.txt"))
    changed, removed, copied, other = files[3], files[10], files[20], files[30]
    changed.write_bytes(changed.read_bytes().replace(b"\tNo\t", b"\tSi\t", 1).replace(b"Fortalecer", b"Robustecer"))
    removed.unlink()
    # Two copies of one ficha that sort before it: the one first by absolute path is loaded from now on.
    (folder / "0000_copia_identica.txt").write_bytes(copied.read_bytes())
    (folder / "0001_copia_distinta.txt").write_bytes(copied.read_bytes() + b"\nUna nota al final.\n")
    (folder / "nueva.txt").write_bytes(HUASCO.read_bytes().replace(b"CAPITULO\t21", b"CAPITULO\t99"))
    (folder / "rota.txt").write_text("no es una ficha")
    shutil.copyfile(other, folder / "zz_duplicada_de_otra.txt")  # sorts after: a duplicate, not loaded

    second = build([folder], db)
    assert not second.unchanged
    assert second.parsed == 6  # changed, the four new files, and nothing else
    assert second.loaded == N - 1 + 1 and second.rejected == 1 + 3
    assert_same_as_full(folder, db, tmp_path)
    estados = dict((archivo, estado) for archivo, _sha, estado, _fid in second.archivos)
    assert estados[copied.as_posix()] == "duplicada" and estados["fichas/0000_copia_identica.txt"] == "cargada"

    # The copies go: the file they displaced is loaded again, and must now be parsed (its rows were not kept).
    (folder / "0000_copia_identica.txt").unlink()
    (folder / "0001_copia_distinta.txt").unlink()
    third = build([folder], db)
    assert third.parsed == 1  # the displaced file; the rejected one is known by its content
    assert_same_as_full(folder, db, tmp_path)

    assert build([folder], db).unchanged
    forced = build([folder], db, force=True)
    assert not forced.unchanged and forced.parsed == len(forced.archivos)
    assert_same_as_full(folder, db, tmp_path)
