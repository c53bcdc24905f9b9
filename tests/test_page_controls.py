"""What each page's own controls promise, checked on the real fichas: grouping and the list behind a bar."""

import pytest
from helpers import ROOT, page_tables
from streamlit.testing.v1 import AppTest

from app import registry

EDUCACION = "MINISTERIO DE EDUCACION"
INTERIOR = "MINISTERIO DEL INTERIOR Y SEGURIDAD PÚBLICA"


@pytest.fixture
def page(real_db, monkeypatch):
    monkeypatch.setenv("FICHAS_DB", str(real_db))

    def start(slug: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / registry.ENTRYPOINT), default_timeout=60).run()
        at.switch_page(registry.by_slug(slug).file).run()
        assert not at.exception and not at.error
        return at

    return start


def test_the_list_behind_a_bar_keeps_only_that_group(page):
    at = page("genero_territorial")
    assert len(page_tables(at)["Lista de productos"]) == 7
    at.selectbox(key="flags_grupo").select(EDUCACION).run()
    shown = page_tables(at)["Lista de productos"]
    assert shown["Ministerio"].tolist() == [EDUCACION, EDUCACION]
    at.button_group(key="flags_nivel").set_value("partida").run()
    at.selectbox(key="flags_grupo").select("05").run()
    shown = page_tables(at)["Lista de productos"]
    assert set(shown["Partida"]) == {"05"} and len(shown) == 5


def test_coverage_groups_by_the_chosen_level(page):
    at = page("cobertura")
    assert page_tables(at)["Cobertura por ministerio"]["Ministerio"].tolist() == [EDUCACION, INTERIOR]
    at.button_group(key="cobertura_nivel").set_value("partida").run()
    assert not at.exception
    assert page_tables(at)["Cobertura por partida"]["Partida"].tolist() == ["05", "09"]
