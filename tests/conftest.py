"""Shared fixtures: the two real fichas, a database built from them once per session, and an input folder.

Helpers that test modules import live in tests/helpers.py; the browser's fixtures in tests/browser/.
"""

from pathlib import Path

import pytest
from helpers import FICHAS_DIR, HUASCO, LOS_LAGOS, ROOT, read_text
from streamlit.testing.v1 import AppTest

from app import registry
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


@pytest.fixture(scope="session")
def corpus300(tmp_path_factory) -> Path:
    """300 synthetic fichas (bench/generator.py: 105 services over three years, names shared across partidas) built by
    the real ETL, once per session: the scale the charts, the screenshots and axe are judged at. Copy it before
    changing it."""
    from bench.generator import write_corpus

    folder = tmp_path_factory.mktemp("corpus300")
    write_corpus(folder / "fichas", 300, seed=3)
    db = folder / "fichas.duckdb"
    assert build([folder / "fichas"], db).loaded == 300
    return db


@pytest.fixture
def open_app(monkeypatch):
    """Run the real app on a database: `open_app(db, "calidad", ministerio=[...])` -> AppTest after its runs.

    The query values go in the URL of the first run (Inicio); then the page with that slug, if one is given.
    """

    def start(db: Path, page: str | None = None, **query) -> AppTest:
        monkeypatch.setenv("FICHAS_DB", str(db))
        at = AppTest.from_file(str(ROOT / registry.ENTRYPOINT), default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(registry.by_slug(page).file).run()
        return at

    return start


@pytest.fixture
def app(real_db, open_app):
    """The real app on the real fichas: `app(ministerio=EDUCACION)`, `app("cobertura")`."""
    return lambda page=None, **query: open_app(real_db, page, **query)


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
