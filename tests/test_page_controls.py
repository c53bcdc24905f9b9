"""What each page's own controls promise, checked on the real fichas: grouping and the list behind a bar."""

from helpers import page_tables

EDUCACION = "MINISTERIO DE EDUCACION"
INTERIOR = "MINISTERIO DEL INTERIOR Y SEGURIDAD PÚBLICA"


def test_the_list_behind_a_bar_keeps_only_that_group(app):
    at = app("genero_territorial")
    assert len(page_tables(at)["Lista de productos"]) == 7
    at.selectbox(key="flags_grupo").select(EDUCACION).run()
    shown = page_tables(at)["Lista de productos"]
    assert shown["Ministerio"].tolist() == [EDUCACION, EDUCACION]
    at.button_group(key="flags_nivel").set_value("partida").run()
    at.selectbox(key="flags_grupo").select("05").run()
    shown = page_tables(at)["Lista de productos"]
    assert set(shown["Partida"]) == {"05"} and len(shown) == 5


def test_coverage_groups_by_the_chosen_level(app):
    at = app("cobertura")
    assert page_tables(at)["Cobertura por ministerio"]["Ministerio"].tolist() == [EDUCACION, INTERIOR]
    at.button_group(key="cobertura_nivel").set_value("partida").run()
    assert not at.exception
    assert page_tables(at)["Cobertura por partida"]["Partida"].tolist() == ["05", "09"]
