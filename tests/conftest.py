"""Shared fixtures: the two real fichas, and helpers that write files and build real databases."""

import dataclasses
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.build import build  # noqa: E402

FICHAS_DIR = ROOT / "data" / "fichas"
HUASCO = FICHAS_DIR / "000_049fc97d0de0459f.txt"
LOS_LAGOS = FICHAS_DIR / "002_b87f4e61cff57db4.txt"


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def content(ficha) -> dict:
    """A parsed ficha without line numbers or problems, for comparing two renderings of one ficha."""

    def strip(value):
        if isinstance(value, list):
            return [strip(item) for item in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("linea", "problemas")}
        return value

    return strip(dataclasses.asdict(ficha))


def query(db: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


@pytest.fixture
def huasco_text() -> str:
    return read_text(HUASCO)


@pytest.fixture
def lagos_text() -> str:
    return read_text(LOS_LAGOS)


@pytest.fixture
def real_db(tmp_path_factory) -> Path:
    """A database built by the real ETL from the shipped fichas."""
    db = tmp_path_factory.mktemp("real") / "fichas.duckdb"
    report = build([FICHAS_DIR], db)
    assert report.rejected == 0
    return db


@pytest.fixture
def folder(tmp_path):
    """Write files into a fresh input folder: folder.write("a.txt", text, encoding="utf-8")."""

    class Folder:
        path = tmp_path / "fichas"

        def write(self, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_bytes(text.encode(encoding))
            return target

    Folder.path.mkdir()
    return Folder()
