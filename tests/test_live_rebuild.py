"""The app reads a database that the ETL may swap at any moment: it must follow it and never write to it."""

import duckdb
import pytest
from helpers import HUASCO, LOS_LAGOS, read_text
from streamlit.testing.v1 import AppTest

from app import db, registry
from etl.build import build


def headline(at: AppTest) -> tuple[str, str, str]:
    """Fichas, products and the sum of quantifications on Inicio."""
    assert not at.exception and not at.error
    shown = {metric.label: metric.value for metric in at.metric}
    return shown["Fichas"], shown["Productos estratégicos"], shown["Suma de cuantificaciones"]


def test_app_follows_a_rebuilt_database_without_restart(tmp_path, open_app):
    """Each rebuild loads different fichas; the same session sees each new database on its next run.

    The second rebuild keeps every count and changes only text, so only a fresh read can pass.
    """
    source = tmp_path / "fichas"
    source.mkdir()
    (source / "huasco.txt").write_bytes(HUASCO.read_bytes())
    database = tmp_path / "fichas.duckdb"
    build([source], database)
    at = open_app(database)
    assert headline(at) == ("1", "2", "26.662")

    (source / "huasco.txt").unlink()  # another ficha, alone: as many fichas as before
    (source / "lagos.txt").write_bytes(LOS_LAGOS.read_bytes())
    build([source], database)
    at.run()
    assert headline(at) == ("1", "5", "1.080.437")
    assert at.multiselect(key="servicio").options == ["GOBIERNO REGIONAL REGIÓN LOS LAGOS (1)"]

    at.switch_page(registry.by_slug("ficha").file).run()
    assert "Misión nueva, escrita después." not in [text.value for text in at.text]
    lagos = read_text(LOS_LAGOS)
    mission = lagos.split("**Misión institucional**", 1)[1].strip().split("\n", 1)[0]
    (source / "lagos.txt").write_text(lagos.replace(mission, "Misión nueva, escrita después."), encoding="utf-8")
    build([source], database)
    at.run()
    assert not at.exception and not at.error
    assert "Misión nueva, escrita después." in [text.value for text in at.text]


def test_sessions_cannot_write(real_db, monkeypatch):
    monkeypatch.setenv("FICHAS_DB", str(real_db))
    snap = db.snapshot()
    for statement in [
        "delete from fichas",
        "insert into problemas values ('x', null, 'error', null, null, 'intrusa')",
        "create table intrusa (a int)",
        "drop table clientes",
        "detach fichas_db",
        "copy fichas to '/tmp/fichas_exfiltradas.csv'",
        "set enable_external_access = true",
    ]:
        with pytest.raises(duckdb.Error):
            db.query(snap, statement)
    assert db.query(snap, "select count(*) as n from fichas")["n"].tolist() == [2]
