"""`python -m etl build`: exit codes, the Spanish summary, no-op rebuilds and the atomic swap."""

import os
import subprocess
import sys

import pytest
from helpers import FICHAS_DIR, HUASCO, ROOT, query

from etl import loader
from etl.build import build
from etl.errors import WriteError


def run_etl(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FICHAS_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "etl", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_build_then_nothing_changed(tmp_path):
    db = tmp_path / "fichas.duckdb"
    first = run_etl("build", str(FICHAS_DIR), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "Base construida" in first.stdout and "Fichas cargadas: 2" in first.stdout
    stamp = db.stat().st_mtime_ns
    second = run_etl("build", str(FICHAS_DIR), "--db", str(db))
    assert second.returncode == 0
    assert "Sin cambios" in second.stdout and "Fichas cargadas: 2" in second.stdout
    assert db.stat().st_mtime_ns == stamp


def test_database_in_a_folder_that_does_not_exist_yet(tmp_path):
    db = tmp_path / "nueva" / "carpeta" / "fichas.duckdb"
    result = run_etl("build", str(FICHAS_DIR), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert query(db, "select count(*) from fichas") == [(2,)]


def test_default_paths(tmp_path):
    """With no arguments it reads data/fichas/ and writes data/fichas.duckdb under the working directory."""
    (tmp_path / "data" / "fichas").mkdir(parents=True)
    (tmp_path / "data" / "fichas" / "f.txt").write_bytes(HUASCO.read_bytes())
    result = run_etl("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert query(tmp_path / "data" / "fichas.duckdb", "select archivo from fichas") == [("data/fichas/f.txt",)]


def test_rejected_file_exits_1_and_the_rest_loads(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "buena.txt").write_bytes(HUASCO.read_bytes())
    (tmp_path / "in" / "mala.txt").write_text("no es una ficha")
    db = tmp_path / "f.duckdb"
    result = run_etl("build", str(tmp_path / "in"), "--db", str(db))
    assert result.returncode == 1
    assert "Archivos rechazados: 1" in result.stdout
    assert "RECHAZADO" in result.stdout and "mala.txt" in result.stdout and "No es una Ficha" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert query(db, "select count(*) from fichas") == [(1,)]
    again = run_etl("build", str(tmp_path / "in"), "--db", str(db))
    assert again.returncode == 1 and "Sin cambios" in again.stdout and "mala.txt" in again.stdout


@pytest.mark.parametrize("args", [["build", "/no/existe"], ["construir"], [], ["build", "--db"]])
def test_usage_errors_exit_2(args):
    result = run_etl(*args)
    assert result.returncode == 2
    assert "Error de uso" in result.stderr and "Traceback" not in result.stderr


def test_changed_input_rebuilds(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_bytes(HUASCO.read_bytes())
    db = tmp_path / "f.duckdb"
    assert not build([source], db).unchanged
    assert build([source], db).unchanged
    (source / "a.txt").write_bytes(HUASCO.read_bytes().replace(b"13.331", b"13.332"))
    report = build([source], db)
    assert not report.unchanged
    assert query(db, "select max(cuantificacion) from clientes") == [(13332,)]


def test_failed_build_leaves_previous_database(tmp_path, monkeypatch):
    db = tmp_path / "f.duckdb"
    build([FICHAS_DIR], db)
    before = db.read_bytes()
    real_insert = loader._read_row_text

    def insert_then_fail(con, table, path):
        real_insert(con, table, path)
        if table == "clientes":
            raise OSError(28, "No queda espacio en el dispositivo")

    monkeypatch.setattr(loader, "_read_row_text", insert_then_fail)
    with pytest.raises(WriteError, match=f"No se pudo escribir la base «{db}»: sin espacio en disco"):
        build([FICHAS_DIR], db, force=True)
    assert db.read_bytes() == before
    assert query(db, "select count(*) from fichas") == [(2,)]
    assert sorted(path.name for path in tmp_path.iterdir()) == [".f.duckdb.manifest.json", "f.duckdb"]
