"""The real Streamlit app, driven by AppTest on a database built from the real fichas."""

import re

import pytest
from helpers import ROOT, assert_clean, metrics, open_section, sections, shown_table
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from app import registry, ui

PAGES = [page.file for page in registry.FILE_PAGES]
# Filters select identities: the official name of partida 09, the services' partida-capítulo.
EDUCACION = "Ministerio de Educación"
EDUCACION_ESCRITO = "MINISTERIO DE EDUCACION"  # as the ficha writes it, which per-ficha tables show
LABEL = {"ministerio": "Ministerio", "partida": "Partida", "servicio": "Servicio", "anio": "Año"}
LOS_LAGOS = "05-70"  # GOBIERNO REGIONAL REGIÓN LOS LAGOS
HUASCO = "09-21"  # SERVICIO LOCAL DE EDUCACIÓN HUASCO


def url_values(at: AppTest, name: str) -> list[str]:
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def texts(at: AppTest) -> list[str]:
    """Every st.text of the main area (filter line, ficha text)."""
    return [text.value for text in at.main.text]


def test_every_page_runs(app):
    at = app()
    assert_clean(at)
    assert at.get("plotly_chart")
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert at.title, page
        if page != "pages/calidad.py":  # a table of problems, no chart
            assert at.get("plotly_chart"), f"{page} draws no chart"
        buttons = [button.label for button in at.get("download_button")]
        assert buttons.count("CSV") == buttons.count("Excel") >= 1, page  # a page in sections: the first one's
        assert "Descargar todas las tablas de la página (Excel)" in buttons, page


def test_a_page_url_opened_first_still_runs_the_entrypoint(real_db, monkeypatch):
    """A server's first request for a page URL: Streamlit's legacy `pages/` mode would run the page alone.

    If this fails, Streamlit changed how `pages/` and `st.navigation` combine: revisit
    `ui.leave_legacy_pages_mode` (perhaps it can go).
    """
    assert hasattr(PagesManager, "uses_pages_directory"), "Streamlit dropped the flag the workaround flips"
    PagesManager.uses_pages_directory = None
    PagesManager(str(ROOT / registry.ENTRYPOINT), setup_watcher=False)
    assert PagesManager.uses_pages_directory is True, "Streamlit no longer starts in legacy mode beside pages/"
    monkeypatch.setenv("FICHAS_DB", str(real_db))
    page = registry.by_slug("cobertura")
    at = AppTest.from_file(str(ROOT / registry.ENTRYPOINT), default_timeout=60).switch_page(page.file).run()
    assert_clean(at)
    assert [title.value for title in at.title] == [page.page_title]
    assert [select.key for select in at.sidebar.multiselect] == ["ministerio", "partida", "servicio", "anio"]
    assert PagesManager.uses_pages_directory is False


def test_headline_figures(app):
    at = app()
    assert metrics(at) == {
        "Fichas": "2",
        "Servicios": "2",
        "Ministerios": "2",
        "Productos estratégicos": "7",
        "Con enfoque de género": "100,0 %",
        "Con gestión territorial": "0,0 %",
        "Clientes cuantificados": "14 de 14",
        "Suma de cuantificaciones": "1.107.099",
    }


def test_choosing_a_ministerio_changes_the_figures(app):
    at = app()
    at.multiselect(key="ministerio").select(f"{EDUCACION}").run()
    assert_clean(at)
    assert metrics(at)["Fichas"] == "1"
    assert metrics(at)["Productos estratégicos"] == "2"
    assert metrics(at)["Suma de cuantificaciones"] == "26.662"
    assert url_values(at, "ministerio") == [EDUCACION]
    # Options of the other filters narrow to what the ministerio has, each with its count of fichas.
    servicio = at.multiselect(key="servicio")
    assert servicio.options == ["SERVICIO LOCAL DE EDUCACIÓN HUASCO (1)"]


def test_los_lagos_has_five_products_all_with_gender(app):
    at = app(servicio=LOS_LAGOS)
    assert_clean(at)
    assert metrics(at)["Productos estratégicos"] == "5"
    assert metrics(at)["Con enfoque de género"] == "100,0 %"
    at.switch_page("pages/genero_territorial.py").run()
    assert_clean(at)
    grouped = shown_table(at, "Productos por ministerio")
    assert grouped[["Productos", "Género: Sí", "Género: No", "Género: Desconocido"]].values.tolist() == [[5, 5, 0, 0]]


def test_huasco_serves_13331_students(app):
    at = app(servicio=HUASCO)
    at.switch_page("pages/clientes.py").run()
    assert_clean(open_section(at, "Todos los clientes"))
    clients = shown_table(at, "Todos los clientes")
    students = clients[clients["Cliente"].str.startswith("Estudiantes")]
    assert students[["Cuantificación", "Cuantificación (texto de la ficha)"]].values.tolist() == [[13331, "13.331"]]
    assert set(clients["Servicio"]) == {"SERVICIO LOCAL DE EDUCACIÓN HUASCO"}


def test_query_params_restore_the_filter_on_every_page(app):
    at = app(ministerio=EDUCACION, anio="2021")
    assert at.multiselect(key="ministerio").value == [EDUCACION]
    assert at.multiselect(key="anio").value == ["2021"]
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert at.multiselect(key="ministerio").value == [EDUCACION]
        assert url_values(at, "ministerio") == [EDUCACION]
        assert f"Filtro: Ministerio: {EDUCACION}; Año: 2021" in texts(at)
    open_section(at.switch_page("pages/cobertura.py").run(), "Por ficha")
    shown = shown_table(at, "Cobertura por ficha")
    assert set(shown["Ministerio"]) == {EDUCACION}  # the partida's official name
    assert set(shown["Ministerio (según la ficha)"]) == {EDUCACION_ESCRITO}


def test_a_link_opens_the_section_it_names_and_otherwise_the_first(real_db, monkeypatch):
    """The open section is in the URL (`?cobertura_seccion=`), like the filter: a shared link opens where it was."""
    monkeypatch.setenv("FICHAS_DB", str(real_db))
    for query, heading in [
        ({}, "Cobertura por ministerio"),
        ({"cobertura_seccion": "Por ficha"}, "Cobertura por ficha"),
    ]:
        at = AppTest.from_file(str(ROOT / registry.ENTRYPOINT), default_timeout=60)
        at.query_params.update(query)
        at.switch_page("pages/cobertura.py").run()
        assert_clean(at)
        assert sections(at) == (
            "cobertura_seccion",
            ["Por grupo", "Por ficha", "Lo que no cuelga de nada", "Vínculos de una ficha"],
        )
        assert [header.value for header in at.main.header] == [heading], query


def test_ver_sql_shows_the_filter_as_named_parameters(app):
    at = app(ministerio=EDUCACION, anio="2021")
    assert len(at.code) == 0  # "Ver SQL" draws its code only when opened
    open_section(at, "Tabla")
    at.session_state["resumen_ministerios_sql"] = True
    at.run()
    codes = [code.value for code in at.code]
    assert any(
        "list_contains($ministerio, cast(f.ministerio_nombre as varchar))" in code and "?" not in code for code in codes
    ), codes
    assert f"-- $ministerio = ['{EDUCACION}']\n-- $anio = ['2021']" in codes


def test_reset_clears_every_filter(app):
    at = app(ministerio=EDUCACION)
    at.button(key="reset_filters").click().run()
    assert_clean(at)
    assert at.multiselect(key="ministerio").value == []
    assert "ministerio" not in at.query_params
    assert metrics(at)["Fichas"] == "2"


HOSTILE = [
    "'; drop table fichas; --",
    "Ministerio de Educación' or '1'='1",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**negrita** [enlace](http://ejemplo.cl) ![img](http://ejemplo.cl/x.png)",
    "\x00\x01\x1b[31m",
    "Ñ" * 20_000,
    "",
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("param", ["ministerio", "partida", "servicio", "anio"])
def test_hostile_query_values_are_ignored_with_a_notice(app, param, value):
    at = app(**{param: [value, EDUCACION if param == "ministerio" else "zz"]})
    assert_clean(at)
    assert metrics(at)["Fichas"] == ("1" if param == "ministerio" else "2")
    warnings = [warning.value for warning in at.warning]
    notices = [warning for warning in warnings if "Se ignoraron valores desconocidos" in warning]
    ignored = (1 if value else 0) + (0 if param == "ministerio" else 1)  # `?x=` (empty) means "all"; "zz" is unknown
    assert len(notices) == (1 if ignored else 0)
    # The hostile value is quoted as inline code (inert in markdown), cut short, without control characters.
    for notice in notices:
        quoted = notice.split(": ", 1)[1]
        assert quoted.startswith(f"{LABEL[param]} = `") and quoted.count("`") == 2 * ignored
        assert len(notice) < 300 and not any(ord(ch) < 32 for ch in notice)


def test_query_string_over_streamlits_limit_is_dropped(app):
    at = app(ministerio="Ñ" * 600_000)
    assert_clean(at)
    assert metrics(at)["Fichas"] == "2"


def test_hostile_values_on_every_page(app):
    at = app(ministerio="<script>alert(1)</script>", ficha="'; drop table fichas; --")
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)


def test_problem_search_with_hostile_text(app):
    at = app()
    at.switch_page("pages/calidad.py").run()
    for text in ["'; drop table problemas; --", "%", "_", "<script>", "\\"]:
        at.text_input(key="calidad_texto").input(text).run()
        assert_clean(at)
    assert metrics(at)["Problemas"] == "0"


def test_filtered_tables_have_only_the_filtered_rows(app):
    at = app(ministerio=EDUCACION)
    open_section(at.switch_page("pages/cobertura.py").run(), "Por ficha")
    shown = shown_table(at, "Cobertura por ficha")
    assert shown["Servicio"].tolist() == ["SERVICIO LOCAL DE EDUCACIÓN HUASCO"]
    assert shown[["Objetivos ministeriales", "Ministeriales vinculados"]].values.tolist() == [[11, 11]]


def test_ficha_page_shows_the_ficha_in_full(app):
    at = app(ficha="2021-05-70")
    at.switch_page("pages/ficha.py").run()
    assert_clean(at)
    assert [at.selectbox(key=f"ficha_{name}").value for name in ("ministerio", "servicio", "anio")] == [
        "Ministerio del Interior y Seguridad Pública",
        "05-70",
        "2021",
    ]
    shown = texts(at)
    assert (
        "Servicio: GOBIERNO REGIONAL REGIÓN LOS LAGOS (05-70)\n"
        "Ministerio: Ministerio del Interior y Seguridad Pública\n"
        "Ministerio, como lo escribe esta ficha: MINISTERIO DEL INTERIOR Y SEGURIDAD PÚBLICA"
    ) in shown
    assert [tab.label for tab in at.tabs] == ["Misión y ley orgánica", "Objetivos", "Productos y clientes", "Vínculos"]
    assert shown.count("La ficha no trae esta sección.") == 0
    rows = [text for text in shown if re.match(r"\d+\. ", text)]  # one per objective, product and client
    assert len(rows) == 3 + 5 + 5 + 12
    assert "10. Habitantes de la Región de Los Lagos (828.708)" in shown  # one line, the quantity once
    assert "5. Implementar un Sistema de Mejora Continua" in next(t for t in shown if t.startswith("5. Implementar"))
    # Products name their clients, one a line; links read as sentences.
    product = next(t for t in shown if t.startswith("4. Seguimiento y control"))
    assert (
        "    Clientes:\n      · 3. Servicios Públicos de la Región (70)\n      · 4. Gobernaciones Provinciales (4)"
        in product
    )
    links = next(t for t in shown if t.startswith("Objetivos institucionales → productos"))
    assert "    Objetivo institucional 2 → Productos 1, 3\n" in links
    assert not any(re.search(r"\b(om-oi|oi-p|p-c)\b", text) for text in shown)


def test_a_filter_that_leaves_nothing_shows_a_message_not_a_chart(app):
    at = app(ministerio=EDUCACION, servicio=LOS_LAGOS)
    assert_clean(at)
    for page in [None, *PAGES]:
        if page:
            at.switch_page(page).run()
        assert_clean(at)
        assert not at.get("plotly_chart"), page
        if page != "pages/calidad.py":  # problems of rejected files belong to no ficha and stay listed
            assert any("No hay" in info.value for info in at.info), page


def test_no_database_explains_how_to_build_it(tmp_path, monkeypatch):
    monkeypatch.setenv("FICHAS_DB", str(tmp_path / "no_existe.duckdb"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30).run()
    assert_clean(at)
    assert any("Todavía no hay base de datos" in info.value and "make run" in info.value for info in at.info)
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
        assert any("make run" in info.value for info in at.info)


@pytest.mark.slow
def test_every_page_on_a_large_synthetic_corpus(tmp_path, monkeypatch):
    """Long tables (a page of their rows), charts limited to the largest groups, unknown flags and non-numeric quantities."""
    from bench.generator import write_corpus
    from etl.build import build

    write_corpus(tmp_path / "fichas", 400, seed=3)
    database = tmp_path / "fichas.duckdb"
    assert build([tmp_path / "fichas"], database).rejected == 0
    monkeypatch.setenv("FICHAS_DB", str(database))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120).run()
    assert_clean(at)
    assert metrics(at)["Fichas"] == "400"
    for page in PAGES:
        at.switch_page(page).run()
        assert_clean(at)
    at.switch_page("pages/genero_territorial.py").run()
    at.button_group(key="flags_nivel").set_value("servicio").run()
    assert_clean(at)
    grouped = shown_table(at, "Productos por servicio")
    assert grouped["Género: Desconocido"].sum() > 0 and len(grouped) > 50


def test_both_flags_read_as_a_three_by_three_table_and_download_a_pair_a_row(app):
    at = app("genero_territorial")
    assert_clean(at)
    assert [chart.proto.id.rsplit("-", 1)[-1] for chart in at.get("plotly_chart")] == ["chart_genero"]
    crossed = shown_table(open_section(at, "Ambos enfoques"), "Productos según ambos enfoques")
    assert crossed["Enfoque de género"].tolist() == ["Sí", "No", "Desconocido"]
    assert list(crossed.columns[1:]) == ["Territorial: Sí", "Territorial: No", "Territorial: Desconocido"]
    assert int(crossed.iloc[:, 1:].to_numpy().sum()) == int(metrics(app())["Productos estratégicos"])
    rows = at.session_state[ui.DOWNLOADS]["ambos_enfoques.csv"]().decode("utf-8-sig").splitlines()
    assert rows[0] == "Enfoque de género;Gestión territorial;Productos"
