"""The app reads a database that the ETL may swap at any moment: it must follow it and never write to it."""

import os
import subprocess
import sys
import time

import duckdb
import pytest
from conftest import HUASCO, LOS_LAGOS, ROOT, assert_no_error, wait_for_app
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


@pytest.mark.slow
@pytest.mark.browser
def test_pages_keep_serving_while_the_database_is_rebuilt(served, browser):
    """Several browser sessions at once, while the ETL rebuilds and swaps the file the server reads."""
    database = str(served.db)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rebuild = [sys.executable, "-m", "etl", "build", str(ROOT / "data" / "fichas"), "--db", database, "--force"]
    rebuilds = subprocess.Popen(
        ["bash", "-c", f"for i in $(seq 1 15); do {' '.join(rebuild)} >/dev/null || exit 1; done"], cwd=ROOT, env=env
    )
    expected = {
        "": ("Productos estratégicos", "7"),
        "?ministerio=MINISTERIO+DE+EDUCACION": ("Productos estratégicos", "2"),
        "?servicio=GOBIERNO+REGIONAL+REGI%C3%93N+LOS+LAGOS": ("Productos estratégicos", "5"),
        "?partida=09": ("Suma de cuantificaciones", "26.662"),
    }
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in expected]
    try:
        for round_ in range(3):
            pages = []
            for context, query in zip(contexts, expected, strict=True):
                page = context.new_page()
                page.goto(f"{served.url}/{query}", wait_until="commit")
                pages.append(page)
            for page, (label, value) in zip(pages, expected.values(), strict=True):
                wait_for_app(page, "Fichas de Definiciones Estratégicas (Formulario A1)")
                assert_no_error(page)
                metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
                assert metric.locator("[data-testid='stMetricValue']").inner_text() == value, (round_, page.url)
                page.close()
        deadline = time.monotonic() + 120
        while rebuilds.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert rebuilds.returncode == 0
    finally:
        rebuilds.kill()
        for context in contexts:
            context.close()
