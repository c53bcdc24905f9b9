"""Incremental builds: only new or changed files are parsed, and the database is the same, table by table, as a
full rebuild of the same files (duplicates and problems included)."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import HUASCO, ROOT, every_table

import etl.build
from bench.generator import write_corpus
from etl import loader
from etl.build import build

SEED = 7
N = 500  # over 400 services: two years


def tables(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, sorted; metadatos without the build time."""
    rows = every_table(db)
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
@pytest.mark.parametrize("few_changes", [500, 0], ids=["copia-podada", "filas-copiadas"])
def test_incremental_build_equals_a_full_rebuild(tmp_path, monkeypatch, few_changes):
    """Both ways of reusing rows: pruning a copy of the previous file (few changes), or copying rows into a new one."""
    monkeypatch.setattr(etl.build, "FEW_CHANGES", few_changes)
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


def settle(folder: Path) -> None:
    """Date every file an hour back, as files are once they have been sitting for a while."""
    an_hour_ago = time.time() - 3600
    for path in folder.rglob("*.*"):
        os.utime(path, (an_hour_ago, an_hour_ago))


NOOP = """
import json, sys
from pathlib import Path
from etl.build import build
report = build([Path(sys.argv[1])], Path(sys.argv[2]))
heavy = sorted(name for name in ("duckdb", "pyarrow", "etl.parser", "etl.loader", "etl.rows") if name in sys.modules)
print(json.dumps({"unchanged": report.unchanged, "hashed": report.hashed, "loaded": report.loaded, "heavy": heavy}))
"""


def noop(folder: Path, db: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", NOOP, str(folder), str(db)], env=env, capture_output=True,
                            text=True, timeout=120, cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_nothing_changed_is_decided_without_duckdb_nor_rehashing(tmp_path):
    folder = tmp_path / "fichas"
    write_corpus(folder, 40, SEED)
    settle(folder)
    db = tmp_path / "fichas.duckdb"
    assert build([folder], db).hashed == 40
    assert noop(folder, db) == {"unchanged": True, "hashed": 0, "loaded": 40, "heavy": []}

    # A file with new times is hashed again; same content: still nothing to do.
    touched = sorted(folder.rglob("*.txt"))[5]
    touched.touch()
    assert noop(folder, db) == {"unchanged": True, "hashed": 1, "loaded": 40, "heavy": []}

    # The manifest is believed only for the database it was written beside: another file there means asking DuckDB.
    shutil.copyfile(db, tmp_path / "copia.duckdb")
    os.replace(tmp_path / "copia.duckdb", db)
    checked = noop(folder, db)
    assert checked["unchanged"] and checked["hashed"] == 40 and "duckdb" in checked["heavy"]
    # ... which writes the manifest again: the next no-op is cheap again.
    assert noop(folder, db)["heavy"] == []

    # Same size, same modification time, new content: the change time still tells.
    os.utime(touched, (time.time() - 3600, time.time() - 3600))
    assert noop(folder, db)["hashed"] == 1
    size, stamp = touched.stat().st_size, touched.stat().st_mtime_ns
    data = touched.read_bytes()
    touched.write_bytes(data.replace(b"2", b"3", 1) if b"2" in data else data[:-1] + b"x")
    os.utime(touched, ns=(stamp, stamp))
    assert touched.stat().st_size == size
    changed = noop(folder, db)
    assert not changed["unchanged"] and changed["hashed"] == 1
