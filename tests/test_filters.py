"""The filter value: URL -> Filters -> SQL, and the narrowed options. Pure functions, no database."""

from dataclasses import fields

import pandas as pd
import pytest

from app.filters import (
    DIMENSIONS,
    Dimension,
    Filters,
    from_url,
    option_labels,
    options,
    printable,
    to_url,
    where_clause,
)


@pytest.mark.parametrize(
    ("filters", "sql", "params"),
    [
        (Filters(), "true", {}),
        (Filters(partida=("09",)), "list_contains($partida, cast(f.partida as varchar))", {"partida": ["09"]}),
        (
            Filters(ministerio=("A", "B"), anio=("2021",)),
            "list_contains($ministerio, cast(f.ministerio_nombre as varchar))"
            " and list_contains($anio, cast(f.anio as varchar))",
            {"ministerio": ["A", "B"], "anio": ["2021"]},
        ),
        (
            Filters(servicio=("x'); drop table fichas; --",)),
            "list_contains($servicio, cast(f.servicio_id as varchar))",
            {"servicio": ["x'); drop table fichas; --"]},
        ),
    ],
)
def test_where_clause_names_columns_and_passes_values_as_parameters(filters, sql, params):
    assert where_clause(filters) == (sql, params)


KNOWN = {"ministerio": {"A", "B"}, "partida": {"09"}, "servicio": {"S"}, "anio": {"2021"}}


def test_from_url_keeps_known_values_and_reports_the_rest():
    filters, ignored = from_url({"ministerio": ["A", "Z", "A"], "anio": ["2021", "1999"], "partida": [""]}, KNOWN)
    assert filters == Filters(ministerio=("A",), anio=("2021",))
    assert ignored == ["Ministerio = `Z`", "Año = `1999`"]


def test_from_url_caps_the_number_of_values():
    filters, ignored = from_url({"servicio": ["S"] + [f"x{i}" for i in range(1000)]}, KNOWN)
    assert filters.servicio == ("S",)
    assert len(ignored) == 200 and ignored[-1] == "Servicio: más de 200 valores distintos (se leyeron los primeros)"


@pytest.mark.parametrize(
    ("filters", "url"),
    [
        (Filters(), {}),
        (Filters(anio=("2021",)), {"anio": ["2021"]}),
        (
            Filters(anio=("2021", "2020"), servicio=("S",), ministerio=("B", "A")),
            {"ministerio": ["B", "A"], "servicio": ["S"], "anio": ["2021", "2020"]},
        ),
    ],
)
def test_to_url_lists_selected_values_in_sidebar_order_and_omits_empty_dimensions(filters, url):
    assert to_url(filters) == url
    assert list(to_url(filters)) == list(url)  # sidebar order, not the order values were chosen in
    assert from_url(to_url(filters), {"ministerio": {"A", "B"}, "servicio": {"S"}, "anio": {"2020", "2021"}}) == (
        filters,
        [],
    )


def test_the_dimension_table_is_the_filter():
    assert [field.name for field in fields(Filters)] == [dimension.key for dimension in DIMENSIONS]
    assert [dimension.label for dimension in DIMENSIONS] == ["Ministerio", "Partida", "Servicio", "Año"]


def test_a_dimension_may_select_on_another_column_and_label_its_options():
    """What the partida-by-name filter will need: the SQL names the column, the option shows a label."""
    partida = Dimension("partida", "Partida", "partida_id", option_label="f.partida || ' · ' || f.nombre")
    assert partida.sql() == "cast(f.partida_id as varchar)" and partida.sql("sel") == "cast(sel.partida_id as varchar)"
    index = pd.DataFrame(
        {"partida": ["09", "09", "05"], "partida_label": ["09 · Educación", "09 · x", "05 · Interior"]}
    )
    labels = option_labels(index, (DIMENSIONS[0], partida))
    assert labels == {"ministerio": {}, "partida": {"09": "09 · Educación", "05": "05 · Interior"}}


@pytest.mark.parametrize(
    ("value", "shown"),
    [("abc", "`abc`"), ("a`b", "`a�b`"), ("\x00\x1b[31m", "`��[31m`"), ("x" * 50, "`" + "x" * 40 + "…`")],
)
def test_printable_quotes_values_as_inert_inline_code(value, shown):
    assert printable(value) == shown


def test_options_count_fichas_matching_the_other_filters():
    fichas = pd.DataFrame(
        {
            "ministerio": ["A", "A", "B"],
            "partida": ["01", "01", "02"],
            "servicio": ["S1", "S2", "S3"],
            "anio": ["2020", "2021", "2021"],
        }
    )
    counts = options(fichas, Filters(ministerio=("A",), servicio=("S9",)))
    assert counts["ministerio"].to_dict() == {"A": 0}  # nothing has servicio S9; the selection stays listed
    counts = options(fichas, Filters(ministerio=("A",)))
    assert counts["ministerio"].to_dict() == {"A": 2, "B": 1}  # a dimension ignores its own selection
    assert counts["servicio"].to_dict() == {"S1": 1, "S2": 1}
    assert list(counts["anio"].index) == ["2021", "2020"]  # newest year first
    kept = options(fichas, Filters(ministerio=("B",), anio=("2020",)))
    assert kept["anio"].to_dict() == {"2021": 1, "2020": 0}  # a selected value stays listed, with 0


def test_describe_is_spanish():
    assert Filters().describe() == "Sin filtros (todas las fichas)"
    assert Filters(ministerio=("A",), anio=("2020", "2021")).describe() == "Ministerio: A; Año: 2020, 2021"


def test_describe_names_values_as_their_options_do():
    labels = {"partida": {"09": "09 · Ministerio de Educación"}, "servicio": {"09-21": "SERVICIO LOCAL HUASCO"}}
    assert Filters(partida=("09",), servicio=("09-21", "99-99")).describe(labels) == (
        "Partida: 09 · Ministerio de Educación; Servicio: SERVICIO LOCAL HUASCO, 99-99"
    )


def test_the_filters_select_identities_not_names_as_written():
    assert {dimension.key: dimension.column for dimension in DIMENSIONS} == {
        "ministerio": "ministerio_nombre",
        "partida": "partida",
        "servicio": "servicio_id",
        "anio": "anio",
    }


def test_labelled_options_are_listed_by_label_not_by_id():
    fichas = pd.DataFrame(
        {
            "ministerio": ["M", "M", "M"],
            "partida": ["09", "09", "05"],
            "servicio": ["09-21", "09-02", "05-70"],
            "anio": ["2021", "2022", "2021"],
            "partida_label": ["09 · Educación", "09 · Educación", "05 · Interior"],
            "servicio_label": ["B", "C", "A"],
        }
    )
    counts = options(fichas, Filters())
    assert list(counts["servicio"].index) == ["05-70", "09-21", "09-02"]
    assert list(counts["partida"].index) == ["05", "09"]
