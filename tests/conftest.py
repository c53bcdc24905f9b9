"""Shared fixtures: the two real fichas, a database built from them once per session, and an input folder.

Helpers that test modules import live in tests/helpers.py; the browser's fixtures in tests/browser/.
"""

from pathlib import Path

import pytest
from helpers import FICHAS_DIR, HUASCO, LOS_LAGOS, read_text

from etl.build import build


@pytest.fixture
def huasco_text() -> str:
    return read_text(HUASCO)


@pytest.fixture
def lagos_text() -> str:
    return read_text(LOS_LAGOS)


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    """A database built by the real ETL from the shipped fichas, once per session: copy it before changing it."""
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
