"""The app reads a database that the ETL may swap at any moment: it must follow it and never write to it."""

import duckdb
import pytest
from helpers import HUASCO, LOS_LAGOS, ROOT
from streamlit.testing.v1 import AppTest

from app import db
from etl.build import build


def fichas_metric(at: AppTest) -> str:
    return next(metric.value for metric in at.metric if metric.label == "Fichas")


def test_app_follows_a_rebuilt_database_without_restart(tmp_path, monkeypatch):
    source = tmp_path / "fichas"
    source.mkdir()
    (source / "huasco.txt").write_bytes(HUASCO.read_bytes())
    database = tmp_path / "fichas.duckdb"
    build([source], database)
    monkeypatch.setenv("FICHAS_DB", str(database))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert fichas_metric(at) == "1"
    (source / "lagos.txt").write_bytes(LOS_LAGOS.read_bytes())
    build([source], database)
    at.run()
    assert not at.exception
    assert fichas_metric(at) == "2"


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
