"""Choosing one ficha by ministerio, servicio and año (app/ficha_picker.py), on the Ficha and Cobertura pages.

The 300-ficha corpus has 25 ministerios and 105 services over three years: no picker may list every ficha, each
list is bounded by the sidebar filter and by the pickers before it, and the URL's `?ficha=` still opens a ficha.
"""

import pytest
from helpers import open_section, query

pytestmark = pytest.mark.slow


def services_of(db, ministerio: str) -> list[str]:
    rows = query(db, "select distinct servicio_id from fichas where ministerio_nombre = ? order by 1", [ministerio])
    return sorted(row[0] for row in rows)


def texts(at) -> str:
    return "\n".join(text.value for text in at.main.text)


def pickers(at, prefix: str) -> list:
    return [at.selectbox(key=f"{prefix}_{name}") for name in ("ministerio", "servicio", "anio")]


def test_three_short_lists_name_one_ficha(corpus300, open_app):
    at = open_app(corpus300, "ficha")
    ministerio, servicio, anio = pickers(at, "ficha")
    all_ministerios = [row[0] for row in query(corpus300, "select distinct ministerio_nombre from fichas order by 1")]
    assert ministerio.options == all_ministerios
    assert len(servicio.options) == len(services_of(corpus300, ministerio.value))  # options read as names
    assert servicio.value in services_of(corpus300, ministerio.value)
    years = [row[0] for row in query(corpus300, "select anio from fichas where servicio_id = ? order by 1 desc",
                                     [servicio.value])]  # fmt: skip
    assert anio.options == [str(year) for year in years]  # newest first, and chosen by default
    assert anio.value == str(years[0])
    assert at.query_params["ficha"] == f"{years[0]}-{servicio.value}"
    assert f"({servicio.value})" in texts(at)  # the Identificación section names the chosen service

    other = all_ministerios[-1]
    at.selectbox(key="ficha_ministerio").set_value(other).run()
    ministerio, servicio, anio = pickers(at, "ficha")
    assert len(servicio.options) == len(services_of(corpus300, other))
    assert servicio.value in services_of(corpus300, other)  # a choice from another ministerio starts over
    assert servicio.index == 0
    older = anio.options[-1]
    at.selectbox(key="ficha_anio").set_value(older).run()
    assert at.query_params["ficha"] == f"{older}-{servicio.value}"
    assert f"({servicio.value})" in texts(at)
    assert not at.exception and not at.error


def test_the_pickers_keep_to_the_sidebar_filter(corpus300, open_app):
    (servicio_id, ministerio), *_ = query(corpus300, "select servicio_id, ministerio_nombre from fichas order by 1")
    at = open_app(corpus300, "ficha", servicio=servicio_id, anio="2024")
    assert [len(picker.options) for picker in pickers(at, "ficha")] == [1, 1, 1]
    assert [picker.value for picker in pickers(at, "ficha")] == [ministerio, servicio_id, "2024"]
    assert at.query_params["ficha"] == f"2024-{servicio_id}"


def test_the_url_opens_its_ficha_and_a_ficha_outside_the_filter_falls_back(corpus300, open_app):
    ficha_id, servicio_id, anio = query(
        corpus300, "select ficha_id, servicio_id, anio from fichas order by anio, ficha_id desc limit 1"
    )[0]
    at = open_app(corpus300, "ficha", ficha=ficha_id)
    assert [picker.value for picker in pickers(at, "ficha")][1:] == [servicio_id, str(anio)]
    at = open_app(corpus300, "ficha", ficha=ficha_id, anio=str(anio + 1))
    assert pickers(at, "ficha")[2].value == str(anio + 1)
    assert at.query_params["ficha"] != ficha_id
    assert not at.exception and not at.error


def test_cobertura_draws_the_link_matrix_of_the_chosen_ficha_when_opened(corpus300, open_app):
    at = open_app(corpus300, "cobertura")
    assert not [select for select in at.selectbox if select.key.startswith("cobertura_")]  # closed: not drawn
    assert "chart_heatmap" not in [chart.proto.id.rsplit("-", 1)[-1] for chart in at.get("plotly_chart")]
    open_section(at, "Vínculos de una ficha")
    ministerio, servicio, anio = pickers(at, "cobertura")
    assert len(servicio.options) < len(query(corpus300, "select distinct servicio_id from fichas"))
    chosen = f"{anio.value}-{servicio.value}"
    at.session_state["matriz_vinculos_sql"] = True  # open the matrix's "Ver SQL"
    at.run()
    assert f"-- $ficha_id = '{chosen}'" in [code.value for code in at.code]


def test_cobertura_keeps_the_chosen_ficha_while_another_section_is_open(corpus300, open_app):
    at = open_app(corpus300, "cobertura")
    open_section(at, "Vínculos de una ficha")
    ministerio = pickers(at, "cobertura")[0]
    ministerio.set_value(ministerio.options[-1]).run()
    chosen = [picker.value for picker in pickers(at, "cobertura")]

    open_section(at, "Por grupo")  # the pickers are not drawn there
    assert not [select for select in at.selectbox if select.key.startswith("cobertura_")]
    open_section(at, "Vínculos de una ficha")
    assert [picker.value for picker in pickers(at, "cobertura")] == chosen
    assert not at.warning, [warning.value for warning in at.warning]
