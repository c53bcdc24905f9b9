"""The sidebar's notice about URL values it ignored: it reads left to right, and only reports what it ignored."""

import pytest
from streamlit.testing.v1 import AppTest

from app.filters import MAX_URL_VALUES, from_url, printable

KNOWN = {"ministerio": {"Ministerio de Educación"}, "partida": {"09"}, "servicio": {"S"}, "anio": {"2021"}}
EDUCACION = "Ministerio de Educación"  # the official name of partida 09, a filter value
INVISIBLE = {
    "\u202a": "left-to-right_embedding",
    "\u202b": "right-to-left_embedding",
    "\u202c": "pop_directional_formatting",
    "\u202d": "left-to-right_override",
    "\u202e": "right-to-left_override",
    "\u2066": "left-to-right_isolate",
    "\u2067": "right-to-left_isolate",
    "\u2068": "first_strong_isolate",
    "\u2069": "pop_directional_isolate",
    "\u200e": "left-to-right_mark",
    "\u200f": "right-to-left_mark",
    "\u200b": "zero-width_space",
    "\u200c": "zero-width_non-joiner",
    "\u200d": "zero-width_joiner",
    "\u2060": "word_joiner",
    "\ufeff": "zero-width_no-break_space",
}


@pytest.mark.parametrize("char", INVISIBLE, ids=INVISIBLE.values())
def test_invisible_format_characters_are_dropped(char):
    assert printable(f"fdp{char}.exe{char}") == "`fdp.exe`"


def test_a_right_to_left_override_is_not_echoed():
    filters, ignored = from_url({"servicio": ["\u202eexe.fdp", "S"]}, KNOWN)
    assert filters.servicio == ("S",)
    assert ignored == ["Servicio = `exe.fdp`"]


def test_five_hundred_copies_of_a_known_value_are_one_known_value():
    filters, ignored = from_url({"ministerio": [EDUCACION] * 500}, KNOWN)
    assert filters.ministerio == (EDUCACION,)
    assert ignored == []


def test_copies_count_once_and_only_unknown_values_are_reported():
    filters, ignored = from_url({"anio": ["2021"] * 300 + ["1999"] * 300}, KNOWN)
    assert filters.anio == ("2021",)
    assert ignored == ["Año = `1999`"]


def test_more_distinct_values_than_the_cap_are_reported_once():
    values = ["S"] + [f"x{i}" for i in range(MAX_URL_VALUES)]
    _, ignored = from_url({"servicio": values * 3}, KNOWN)
    assert len(ignored) == MAX_URL_VALUES
    assert ignored[-1] == f"Servicio: más de {MAX_URL_VALUES} valores distintos (se leyeron los primeros)"


def fichas(at: AppTest) -> str:
    return next(metric.value for metric in at.metric if metric.label == "Fichas")


def test_the_app_takes_five_hundred_copies_of_a_known_value_without_a_notice(app):
    at = app(ministerio=[EDUCACION] * 500)
    assert not at.exception and not at.error
    assert [warning.value for warning in at.warning] == []
    assert at.multiselect(key="ministerio").value == [EDUCACION]
    assert fichas(at) == "1"


def test_the_app_notice_reads_left_to_right(app):
    at = app(servicio=["\u202eacitílop\u200b", EDUCACION])
    assert not at.exception and not at.error
    (notice,) = [warning.value for warning in at.warning]
    assert notice == (
        f"Se ignoraron valores desconocidos de la dirección (URL): Servicio = `acitílop`, Servicio = `{EDUCACION}`"
    )
