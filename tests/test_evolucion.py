"""The Evolución page and the filters by identity, on small corpora built by the real ETL from an edited real ficha.

Huasco's ficha (data/fichas/000_*.txt) in 2021, then in 2022 with institutional objective 2 removed, objective 4
reworded (now number 3) and a new one added last (numbers shift), then in 2023 with two product flags changed,
ministerial objective 10 no longer linked and the service renamed. Los Lagos in 2021 and, unchanged, in 2022.
"""

import io
import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import HUASCO, LOS_LAGOS, ROOT, assert_clean, open_section, read_text, shown_table
from streamlit.testing.v1 import AppTest

from app import compare, db, queries, ui
from app.compare import ELIMINADO, MODIFICADO, NUEVO, SIN_CAMBIOS, Item
from app.filters import Filters
from etl.build import build

REMOVED = "Fomentar la participación de las comunidades educativas"
REWORDED_FROM = (
    "la implementación de una gestión interna expedita y el desarrollo de una estrategia comunicacional efectiva."
)
REWORDED_TO = (
    "la implementación de una gestión interna eficiente y el desarrollo de una estrategia comunicacional efectiva."
)
ADDED = "Implementar un sistema de gestión de riesgos y continuidad operacional ante emergencias y desastres naturales."
RENAMED = "SERVICIO LOCAL DE EDUCACIÓN PÚBLICA HUASCO"
HUASCO_NAME = "SERVICIO LOCAL DE EDUCACIÓN HUASCO"


# -- the corpus ------------------------------------------------------------------------------------


def _section(text: str, start: str, end: str) -> tuple[str, str, str]:
    head, rest = text.split(start, 1)
    body, tail = rest.split(end, 1)
    return head + start, body, end + tail


def in_year(text: str, year: int) -> str:
    return text.replace("(Formulario A1) 2021", f"(Formulario A1) {year}")


def with_identity(text: str, ministerio: str | None = None, servicio: str | None = None, capitulo: str | None = None):
    lines = text.split("\n")
    for index, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == "MINISTERIO" and ministerio is not None:
            cells[1] = ministerio
        if cells[0] == "SERVICIO":
            cells[1] = servicio if servicio is not None else cells[1]
            cells[3] = capitulo if capitulo is not None else cells[3]
        lines[index] = "\t".join(cells)
    return "\n".join(lines)


def huasco_2022(text: str) -> str:
    """Institutional objective 2 removed, 4 reworded, one added last: 1..6 become 1..6 with 2-6 shifted."""
    head, body, tail = _section(text, "**Objetivos Estratégicos Institucionales**", "**Productos Estratégicos")
    rows, kept = re.findall(r"^\d+\t.*$", body, re.MULTILINE), []
    for row in rows:
        if REMOVED not in row:
            kept.append(row.split("\t", 1)[1].replace(REWORDED_FROM, REWORDED_TO))
    kept.append(f"{ADDED}\t1, 4\t2")
    header = body.split("\n")[1:3]  # the blank line after the heading, then the column names
    renumbered = [f"{number}\t{row}" for number, row in enumerate(kept, start=1)]
    return in_year(head + "\n".join([*header, *renumbered, "", ""]) + tail, 2022)


def huasco_2023(text_2022: str) -> str:
    """Product 1 becomes territorial, product 2 loses the gender approach, OM 10 loses its links; renamed."""
    head, body, tail = _section(text_2022, "**Objetivos Estratégicos Institucionales**", "**Productos Estratégicos")
    body = body.replace(", 10, 11\t", ", 11\t")
    tail = tail.replace("colaborativo y en red\t1,2\tNo\tSi", "colaborativo y en red\t1,2\tSi\tSi")
    tail = tail.replace("actores públicos y privados\t1,2\tNo\tSi", "actores públicos y privados\t1,2\tNo\tNo")
    return with_identity(head + body + tail, servicio=RENAMED).replace("(Formulario A1) 2022", "(Formulario A1) 2023")


def build_corpus(folder: Path, texts: dict[str, str]) -> Path:
    (folder / "fichas").mkdir(parents=True)
    for name, text in texts.items():
        (folder / "fichas" / name).write_text(text, encoding="utf-8")
    database = folder / "fichas.duckdb"
    report = build([folder / "fichas"], database)
    assert report.rejected == 0 and report.loaded == len(texts)
    return database


@pytest.fixture(scope="module")
def years_db(tmp_path_factory) -> Path:
    huasco = read_text(HUASCO)
    second = huasco_2022(huasco)
    assert second.count(REWORDED_TO) == 1 and REMOVED not in second and ADDED in second
    third = huasco_2023(second)
    assert third.count("\t1,2\tSi\tSi") == 1 and third.count("\t1,2\tNo\tNo") == 1
    lagos = read_text(LOS_LAGOS)
    texts = {
        "h2021.txt": huasco,
        "h2022.txt": second,
        "h2023.txt": third,
        "l2021.txt": lagos,
        "l2022.txt": in_year(lagos, 2022),
    }
    return build_corpus(tmp_path_factory.mktemp("anios"), texts)


@pytest.fixture
def snap(years_db, monkeypatch) -> db.Snapshot:
    monkeypatch.setenv("FICHAS_DB", str(years_db))
    return db.snapshot()


def changes(snap: db.Snapshot, before: int, after: int) -> pd.DataFrame:
    items = queries.service_items(snap, "09-21", [before, after]).frame
    return compare.compare(items, before, after, queries.SECTIONS)


# -- the comparison, pure --------------------------------------------------------------------------


def test_items_pair_by_text_when_numbers_shift():
    before = [Item(1, "Mejorar la calidad"), Item(2, "Fomentar la participación"), Item(3, "Gestionar los recursos")]
    after = [Item(1, "Mejorar la calidad"), Item(2, "Gestionar eficientemente los recursos"), Item(3, "Algo nuevo")]
    result = [
        (c.estado, c.antes and c.antes.numero, c.despues and c.despues.numero) for c in compare.pair(before, after)
    ]
    assert result == [
        (SIN_CAMBIOS, 1, 1),
        (ELIMINADO, 2, None),
        (MODIFICADO, 3, 2),
        (NUEVO, None, 3),
    ]


def test_case_accents_spacing_and_punctuation_are_no_change():
    change = compare.pair([Item(1, "Educación  pública.")], [Item(4, "EDUCACION publica")])[0]
    assert (change.estado, change.similitud) == (SIN_CAMBIOS, 1.0)


def test_the_most_similar_pair_wins_over_the_first_one_found():
    before = [Item(1, "a b c d e"), Item(2, "a b c d x")]
    after = [Item(1, "a b c d x")]
    assert [(c.estado, c.antes.numero) for c in compare.pair(before, after)] == [(ELIMINADO, 1), (SIN_CAMBIOS, 2)]


def test_below_the_threshold_two_items_are_removed_and_new():
    similar = "uno dos tres cuatro cinco"
    assert compare.similarity(similar, "uno dos tres cuatro seis") == pytest.approx(0.8)
    pairs = compare.pair([Item(1, similar)], [Item(1, "seis siete ocho nueve diez")])
    assert [c.estado for c in pairs] == [ELIMINADO, NUEVO]


def test_changed_words_and_flags_are_plain_text():
    change = compare.pair(
        [Item(1, "Servicio de <b>educación</b> pública", "Gestión territorial: No · Enfoque de género: Sí")],
        [Item(1, "Servicio de <b>educación</b> escolar pública", "Gestión territorial: No · Enfoque de género: No")],
    )[0]
    assert change.estado == MODIFICADO
    assert change.cambios == "+ escolar; Enfoque de género: Sí → No"


# -- the comparison on the real ETL's output -------------------------------------------------------


def test_one_objective_removed_one_reworded_one_added(snap):
    table = changes(snap, 2021, 2022)
    assert list(table.columns) == compare.COLUMNS
    assert table["Estado"].value_counts().to_dict() == {
        SIN_CAMBIOS: len(table) - 3,
        NUEVO: 1,
        ELIMINADO: 1,
        MODIFICADO: 1,
    }
    changed = table[table["Estado"] != SIN_CAMBIOS]
    assert changed[["Sección", "Estado", "Número antes", "Número después", "Cambios"]].astype(object).where(
        changed.notna(), None
    ).values.tolist() == [
        ["Objetivo institucional", ELIMINADO, 2, None, None],
        ["Objetivo institucional", MODIFICADO, 4, 3, "− expedita / + eficiente"],
        ["Objetivo institucional", NUEVO, None, 6, None],
    ]
    assert table[table["Estado"] == NUEVO]["Texto después"].tolist() == [ADDED]
    # Every section of the ficha is there: mission, 11 ministerial and 6 + 6 institutional objectives, 2 products, 2 clients.
    assert table["Sección"].value_counts().to_dict() == {
        "Misión": 1,
        "Objetivo ministerial": 11,
        "Objetivo institucional": 7,
        "Producto": 2,
        "Cliente": 2,
    }


def test_a_flag_change_makes_a_product_modified(snap):
    table = changes(snap, 2022, 2023)
    changed = table[table["Estado"] != SIN_CAMBIOS]
    assert changed[["Sección", "Estado", "Número antes", "Número después", "Cambios"]].values.tolist() == [
        ["Producto", MODIFICADO, 1, 1, "Gestión territorial: No → Sí"],
        ["Producto", MODIFICADO, 2, 2, "Enfoque de género: Sí → No"],
    ]


# -- the yearly trend ------------------------------------------------------------------------------


def test_yearly_trend_values(snap):
    frame = queries.trend_by_year(snap, Filters()).frame
    assert frame.round(3).values.tolist() == [
        [2021, 2, 7, 100.0, 0.0, 100.0],
        [2022, 2, 7, 100.0, 0.0, 100.0],
        [2023, 1, 2, 50.0, 50.0, round(100 * 10 / 11, 3)],
    ]
    by_ministerio = queries.trend_by_year(snap, Filters(anio=("2021",)), "ministerio").frame
    assert by_ministerio[["Año", "Ministerio", "Fichas", "Productos"]].values.tolist() == [
        [2021, "Ministerio de Educación", 1, 2],
        [2021, "Ministerio del Interior y Seguridad Pública", 1, 5],
    ]
    assert queries.trend_by_year(snap, Filters(servicio=("05-70",))).frame["Año"].tolist() == [2021, 2022]


# -- the page --------------------------------------------------------------------------------------


COMPARISON = "Un servicio entre dos años"


def start(database: Path, monkeypatch, section: str = COMPARISON, **query) -> AppTest:
    """The page opened on `section`, the comparison by default."""
    monkeypatch.setenv("FICHAS_DB", str(database))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return open_section(at.switch_page("pages/evolucion.py").run(), section)


def test_the_page_compares_the_two_most_recent_years_by_default(years_db, monkeypatch):
    at = start(years_db, monkeypatch)
    assert_clean(at)
    service = at.selectbox(key="evolucion_servicio")
    assert service.value == "05-70"  # first by name among the services with two years or more
    assert service.options == ["GOBIERNO REGIONAL REGIÓN LOS LAGOS", RENAMED]
    assert (at.selectbox(key="evolucion_desde").value, at.selectbox(key="evolucion_hasta").value) == (2021, 2022)
    assert {m.label: m.value for m in at.metric}["Sin cambios"] == str(1 + 3 + 5 + 5 + 12)
    assert "Nada: las dos fichas dicen lo mismo." in [text.value for text in at.main.text]

    at.selectbox(key="evolucion_servicio").set_value("09-21").run()
    assert_clean(at)
    assert (at.selectbox(key="evolucion_desde").value, at.selectbox(key="evolucion_hasta").value) == (2022, 2023)
    assert at.selectbox(key="evolucion_desde").options == ["2023", "2022", "2021"]
    assert {m.label: m.value for m in at.metric} == {
        "Nuevo": "0",
        "Eliminado": "0",
        "Modificado": "2",
        "Sin cambios": "20",
    }
    assert shown_table(at, "Cambios entre 2022 y 2023")["Estado"].tolist().count(MODIFICADO) == 2
    assert any("al menos 60 %" in caption.value for caption in at.caption)
    assert (
        "Modificado · Producto 1: Gestión territorial: No → Sí\nModificado · Producto 2: Enfoque de género: Sí → No"
        in [text.value for text in at.main.text]
    )
    buttons = [button.label for button in at.get("download_button")]
    assert buttons.count("CSV") == buttons.count("Excel") == 1  # the other section's table: in the workbook only
    at.session_state["evolucion_cambios_sql"] = True  # open its "Ver SQL"
    at.run()
    assert len([code for code in at.code if "where servicio_id = $servicio_id" in code.value]) == 1

    at.selectbox(key="evolucion_desde").set_value(2021).run()
    assert_clean(at)
    table = shown_table(at, "Cambios entre 2021 y 2023")
    assert table["Estado"].value_counts().to_dict() == {SIN_CAMBIOS: 18, MODIFICADO: 3, NUEVO: 1, ELIMINADO: 1}

    # Years chosen for one service do not carry over to another: each opens on its own two most recent.
    at.selectbox(key="evolucion_desde").set_value(2022).run()
    at.selectbox(key="evolucion_hasta").set_value(2021).run()
    assert_clean(at)
    assert shown_table(at, "Cambios entre 2022 y 2021")["Estado"].tolist().count(NUEVO) == 1  # the removed one, back
    at.selectbox(key="evolucion_servicio").set_value("05-70").run()
    assert (at.selectbox(key="evolucion_desde").value, at.selectbox(key="evolucion_hasta").value) == (2021, 2022)
    at.selectbox(key="evolucion_servicio").set_value("09-21").run()
    assert (at.selectbox(key="evolucion_desde").value, at.selectbox(key="evolucion_hasta").value) == (2022, 2023)

    trend = shown_table(open_section(at, "Año a año"), "Indicadores por año")
    assert trend["Año"].tolist() == [2021, 2022, 2023]
    assert "2.021" not in trend.to_string()


def test_the_chosen_comparison_survives_a_visit_to_the_other_section(years_db, monkeypatch):
    at = start(years_db, monkeypatch)
    at.selectbox(key="evolucion_servicio").set_value("09-21").run()
    at.selectbox(key="evolucion_desde").set_value(2021).run()
    assert_clean(at)

    open_section(at, "Año a año")  # the comparison is not drawn: its workbook sheet is still the chosen one
    assert_clean(at)
    workbook = openpyxl.load_workbook(io.BytesIO(at.session_state[ui.DOWNLOADS]["evolucion.xlsx"]()))
    assert "Cambios entre 2021 y 2023" in workbook.sheetnames, workbook.sheetnames

    open_section(at, COMPARISON)
    assert_clean(at)
    assert at.selectbox(key="evolucion_servicio").value == "09-21"
    assert (at.selectbox(key="evolucion_desde").value, at.selectbox(key="evolucion_hasta").value) == (2021, 2023)
    assert not at.warning, [warning.value for warning in at.warning]


def test_a_service_with_one_year_gets_a_notice(names_db, monkeypatch):
    at = start(names_db, monkeypatch)
    assert at.selectbox(key="evolucion_servicio").value == "09-21"  # the one service with two years
    at.selectbox(key="evolucion_servicio").set_value("09-22").run()
    assert_clean(at)
    assert "Este servicio tiene ficha de un solo año (2021): no hay otro año con que compararla." in [
        info.value for info in at.info
    ]
    assert "evolucion_desde" not in [select.key for select in at.selectbox]


def test_several_ministerios_draw_a_line_each(years_db, monkeypatch):
    at = start(
        years_db,
        monkeypatch,
        "Año a año",
        ministerio=["Ministerio de Educación", "Ministerio del Interior y Seguridad Pública"],
    )
    assert_clean(at)
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    names = [trace["legendgroup"] for trace in traces]  # the whole name (the legend may shorten it)
    assert names.count("Ministerio de Educación") == 5  # one line in each of the five panels
    assert names.count("Ministerio del Interior y Seguridad Pública") == 5
    assert len(names) == 10
    assert set(shown_table(at, "Indicadores por año")["Ministerio"]) == {
        "Ministerio de Educación",
        "Ministerio del Interior y Seguridad Pública",
    }


# -- filters by identity ---------------------------------------------------------------------------

SPELLINGS = [
    "MINISTERIO DE EDUCACION",
    "MINISTERIO DE EDUCACIÓN",
    "Ministerio de Educación",
    "Ministerio de Educacio\u0301n",  # decomposed accent (NFD)
    "MINISTERIO DE\u200b EDUCACION",  # zero-width space
    "MINISTERIO\u00a0DE EDUCACION",  # non-breaking space
    "MINISTERIO DE  EDUCACION",
    "ministerio de educación",
    "Ministerio  de\u00a0Educacio\u0301n",
]


@pytest.fixture(scope="module")
def names_db(tmp_path_factory) -> Path:
    """Nine services of partida 09, each spelling the ministry its own way; 09-21 renamed in 2022; and a service of
    partida 05 that bears 09-21's new name."""
    huasco = read_text(HUASCO)
    texts = {
        f"s{capitulo}.txt": with_identity(
            huasco, ministerio=spelling, servicio=f"SERVICIO {capitulo}", capitulo=str(capitulo)
        )
        for capitulo, spelling in zip(range(21, 30), SPELLINGS, strict=True)
    }
    texts["s21.txt"] = with_identity(huasco, ministerio=SPELLINGS[0])
    texts["s21_2022.txt"] = in_year(with_identity(huasco, servicio=RENAMED), 2022)
    texts["lagos.txt"] = with_identity(read_text(LOS_LAGOS), servicio=RENAMED)
    return build_corpus(tmp_path_factory.mktemp("nombres"), texts)


def test_every_spelling_of_a_ministry_is_one_option(names_db, monkeypatch):
    at = start(names_db, monkeypatch)
    assert_clean(at)
    assert at.multiselect(key="ministerio").options == [
        "Ministerio de Educación (10)",
        "Ministerio del Interior y Seguridad Pública (1)",
    ]
    assert at.multiselect(key="partida").options == [
        "05 · Ministerio del Interior y Seguridad Pública (1)",
        "09 · Ministerio de Educación (10)",
    ]


def test_a_renamed_service_is_one_option_named_as_in_its_latest_ficha(names_db, monkeypatch):
    at = start(names_db, monkeypatch)
    options = at.multiselect(key="servicio").options
    assert f"{RENAMED} (09-21) (2)" in options  # 2021 and 2022, under the 2022 name
    assert f"{RENAMED} (05-70) (1)" in options  # another service with the same name: told apart by its id
    assert not any(HUASCO_NAME in option for option in options)
    assert len(options) == 10
    at.multiselect(key="servicio").select("09-21").run()
    assert_clean(at)
    assert at.query_params["servicio"] in ("09-21", ["09-21"])
    assert f"Filtro: Servicio: {RENAMED} (09-21)" in [text.value for text in at.main.text]


def test_a_service_in_the_url_restores_the_filter(real_db, monkeypatch):
    at = start(real_db, monkeypatch, "Año a año", servicio="09-21")
    assert_clean(at)
    assert at.multiselect(key="servicio").value == ["09-21"]
    assert "Filtro: Servicio: SERVICIO LOCAL DE EDUCACIÓN HUASCO" in [text.value for text in at.main.text]
    assert shown_table(at, "Indicadores por año")[["Año", "Fichas", "Productos"]].values.tolist() == [[2021, 1, 2]]
    assert any("un solo año (2021)" in info.value for info in at.info)


def test_the_changes_read_as_lines_of_text(snap):
    assert compare.summary(changes(snap, 2021, 2022)) == [
        f"Eliminado · Objetivo institucional 2: {REMOVED}, a través de planes de participación de centros de madres, "
        "padres y apoderados, centros de alumnos y velar por el correcto funcionamiento del Comité Directivo y "
        "Consejo Local.",
        "Modificado · Objetivo institucional 4 → 3: − expedita / + eficiente",
        f"Nuevo · Objetivo institucional 6: {ADDED}",
    ]


@pytest.mark.slow
def test_a_multi_year_corpus_of_300_fichas(tmp_path, monkeypatch):
    """Twelve ministerios chosen: ten lines, the rest said; every service one option with a label of its own."""
    from bench.generator import write_corpus

    write_corpus(tmp_path / "fichas", 300, seed=1)
    database = tmp_path / "fichas.duckdb"
    assert build([tmp_path / "fichas"], database).rejected == 0
    at = start(database, monkeypatch)
    assert_clean(at)
    services = at.selectbox(key="evolucion_servicio").options
    assert len(services) == len(set(services)) > 50
    chosen = [option.rsplit(" (", 1)[0] for option in at.multiselect(key="ministerio").options][:12]
    at.multiselect(key="ministerio").set_value(chosen).run()
    assert_clean(at)
    open_section(at, "Año a año")
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert len({trace["legendgroup"] for trace in traces}) == 10
    assert any("y 2 más, en la tabla" in caption.value for caption in at.caption)
    assert set(shown_table(at, "Indicadores por año")["Ministerio"]) == set(chosen)
    open_section(at, COMPARISON)
    assert at.selectbox(key="evolucion_desde").value < at.selectbox(key="evolucion_hasta").value


def test_the_screen_shows_short_texts_one_number_column_and_the_detail_has_them_whole(snap):
    table = changes(snap, 2021, 2022)
    screen = compare.on_screen(table)
    assert list(screen.columns) == ["Sección", "Número", "Estado", "Similitud (%)", "Antes", "Después"]
    assert len(screen) == len(table)
    reworded = screen[screen["Estado"] == MODIFICADO].iloc[0]
    assert reworded["Número"] == "4 → 3"
    texts = pd.concat([screen["Antes"], screen["Después"]]).dropna()
    assert texts.str.len().max() <= compare.SHORT_CHARS + 2
    cut = screen[screen["Estado"] == ELIMINADO].iloc[0]["Antes"]
    whole = table[table["Estado"] == ELIMINADO].iloc[0]["Texto antes"]
    assert cut.endswith(" …") and whole.startswith(cut.removesuffix(" …") + " ")  # cut at a word, says so
    assert pd.isna(screen[screen["Estado"] == NUEVO].iloc[0]["Antes"])

    row = table[table["Estado"] == MODIFICADO].iloc[0].to_dict()
    assert compare.detail(row, 2021, 2022).split("\n\n") == [
        "Objetivo institucional 4 → 3 · Modificado",
        f"2021: {row['Texto antes']}",
        f"2022: {row['Texto después']}",
        f"Similitud: {row['Similitud']:.1f} %".replace(".", ","),
        "Cambios: − expedita / + eficiente",
    ]
    assert REWORDED_TO in compare.detail(row, 2021, 2022)
    added = table[table["Estado"] == NUEVO].iloc[0].to_dict()
    assert compare.detail(added, 2021, 2022).split("\n\n")[1:4] == [
        "2021: (no está en la ficha de este año)",
        f"2022: {ADDED}",
        "Similitud: —",
    ]


def test_the_page_shows_the_short_table_the_whole_one_downloads_and_an_item_reads_whole(years_db, monkeypatch):
    at = start(years_db, monkeypatch, servicio="09-21")
    at.selectbox(key="evolucion_desde").set_value(2021).run()
    assert_clean(at)
    shown = shown_table(at, "Cambios entre 2021 y 2023")
    assert list(shown.columns) == ["Sección", "Número", "Estado", "Similitud (%)", "Antes", "Después"]
    downloaded = at.session_state[ui.DOWNLOADS]["evolucion_cambios.csv"]().decode("utf-8-sig")
    assert downloaded.splitlines()[0].split(";") == compare.COLUMNS
    element = at.selectbox(key="evolucion_elemento")
    first_change = next(i for i, estado in enumerate(shown["Estado"]) if estado != SIN_CAMBIOS)
    assert element.value == first_change
    assert element.options[first_change].endswith(" · " + shown["Estado"][first_change])
    removed = next(i for i, estado in enumerate(shown["Estado"]) if estado == ELIMINADO)
    element.set_value(removed).run()
    assert_clean(at)
    assert any(text.value.startswith("Objetivo institucional 2 · Eliminado") and REMOVED in text.value
               for text in at.main.text)  # fmt: skip
