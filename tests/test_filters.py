"""The filter value: URL -> Filters -> SQL, and the narrowed options. Pure functions, no database."""

import pandas as pd
import pytest

from app.filters import Filters, from_url, options, printable, where_clause


@pytest.mark.parametrize(
    ("filters", "sql", "params"),
    [
        (Filters(), "true", {}),
        (Filters(partida=("09",)), "list_contains($partida, f.partida)", {"partida": ["09"]}),
        (
            Filters(ministerio=("A", "B"), anio=("2021",)),
            "list_contains($ministerio, f.ministerio) and list_contains($anio, cast(f.anio as varchar))",
            {"ministerio": ["A", "B"], "anio": ["2021"]},
        ),
        (
            Filters(servicio=("x'); drop table fichas; --",)),
            "list_contains($servicio, f.servicio)",
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
    assert len(ignored) == 200 and ignored[-1] == "más de 200 valores en un parámetro"


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
