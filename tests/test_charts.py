"""Charts that tell the truth at scale: one mark per entity (by identity), sorted, top-N named, Sankey in four fixed
columns, budget shares, Spanish plotly configuration.

The 300-ficha corpus (bench/generator.py) has services that share a name with a service of another partida.
"""

import base64
import json

import numpy as np
import pandas as pd
import pytest
from helpers import HUASCO, LOS_LAGOS, query, read_text, shown_table
from streamlit.testing.v1 import AppTest
from test_budget_columns import with_products

from app import figures
from etl.build import build


@pytest.fixture
def start(open_app):
    """The app on a database, on a page (by slug) when one is given, after a run without an exception."""

    def opened(db, page: str | None = None, **query) -> AppTest:
        at = open_app(db, page, **query)
        assert not at.exception, at.exception
        return at

    return opened


def chart(at: AppTest, key: str) -> dict:
    """The plotly figure (as plotly's JSON) of the chart with Streamlit key `key`."""
    found = [element for element in at.get("plotly_chart") if element.proto.id.endswith(f"-{key}")]
    assert len(found) == 1, [element.proto.id for element in at.get("plotly_chart")]
    return {**json.loads(found[0].proto.spec), "config": json.loads(found[0].proto.config)}


def array(value) -> list:
    """A plotly JSON array as a list: plotly sends numeric arrays as base64 `{"dtype", "bdata"}`."""
    if isinstance(value, dict):
        values = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(n) for n in str(value.get("shape", len(values))).split(",")]
        return values.reshape(shape).tolist()
    return list(value)


def bars(spec: dict) -> tuple[list[str], list[float]]:
    """The category keys (top to bottom) and values of a chart's first trace."""
    trace = spec["data"][0]
    return array(trace["y"]), array(trace["x"])


def assert_one_bar_per_key(spec: dict, keys: set[str]) -> list[str]:
    """Every trace has the same distinct keys, all of them identities shown in the table; tick texts are unique."""
    ys = [list(trace["y"]) for trace in spec["data"]]
    assert all(y == ys[0] for y in ys)
    assert len(set(ys[0])) == len(ys[0]) and set(ys[0]) <= keys
    axis = spec["layout"]["yaxis"]
    assert axis["tickvals"] == ys[0] and len(set(axis["ticktext"])) == len(ys[0])
    return ys[0]


# -- 300 fichas --------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_gender_by_service_draws_one_bar_per_servicio_id(corpus300, start):
    ids, names = query(corpus300, "select count(distinct servicio_id), count(distinct servicio_nombre) from fichas")[0]
    assert ids > names  # the corpus has different services sharing a name
    at = start(corpus300, "genero_territorial")
    at.button_group(key="flags_nivel").set_value("servicio").run()
    assert not at.exception
    grouped = shown_table(at, "Productos por servicio")
    assert len(grouped) == grouped["Servicio ID"].nunique() == ids
    assert grouped["Servicio"].nunique() == names
    for key, flag, tab in [
        ("chart_genero", "Género", None),
        ("chart_territorial", "Territorial", "Gestión territorial"),
    ]:
        if tab:  # only the open tab's chart is drawn
            assert key not in [element.proto.id.rsplit("-", 1)[-1] for element in at.get("plotly_chart")]
            at.session_state["flags_enfoque"] = tab
            at.run()
        spec = chart(at, key)
        shown = assert_one_bar_per_key(spec, set(grouped["Servicio ID"]))
        assert len(shown) == figures.MAX_BARS
        rest = ids - figures.MAX_BARS
        assert spec["layout"]["title"]["text"].endswith(f"y {rest} servicios más, en la tabla")
        # The biggest services, sorted by their share of «Sí» (largest first), shares summing to 100 %.
        by_id = grouped.set_index("Servicio ID").loc[shown]
        assert by_id["Productos"].min() >= grouped["Productos"].nlargest(figures.MAX_BARS).min()
        si = array(spec["data"][0]["x"])
        assert si == sorted(si, reverse=True)
        assert si == pytest.approx(list(100 * by_id[f"{flag}: Sí"] / by_id["Productos"]))
        totals = [sum(values) for values in zip(*(array(trace["x"]) for trace in spec["data"]), strict=True)]
        assert totals == pytest.approx([100] * len(shown))
    # The list behind the bars selects by servicio_id, so a shared name does not mix two services.
    chosen = grouped["Servicio ID"].iloc[0]
    at.selectbox(key="flags_grupo").set_value(chosen).run()
    products = at.dataframe[-1].value  # "Lista de productos", the page's last table
    assert set(products["Servicio ID"]) == {chosen}
    assert len(products) == grouped["Productos"].iloc[0]


@pytest.mark.slow
def test_inicio_and_clients_sorted_by_value_with_the_rest_named(corpus300, start):
    at = start(corpus300)
    ministries = query(corpus300, "select count(distinct ministerio_nombre) from fichas")[0][0]
    keys, values = bars(chart(at, "chart_overview"))
    assert len(keys) == len(set(keys)) == ministries
    assert values == sorted(values, reverse=True)
    at.button_group(key="inicio_orden").set_value("nombre").run()
    spec = chart(at, "chart_overview")
    assert spec["layout"]["yaxis"]["ticktext"] == sorted(spec["layout"]["yaxis"]["ticktext"], key=str.lower)

    at.switch_page("pages/clientes.py").run()
    by_ficha = shown_table(at, "Clientes por servicio")
    quantified = by_ficha[by_ficha["Suma de cuantificaciones"].fillna(0) > 0]
    spec = chart(at, "chart_clients")
    keys = assert_one_bar_per_key(spec, set(by_ficha["Servicio ID"] + " · " + by_ficha["Año"]))
    values = array(spec["data"][0]["x"])
    assert len(keys) == figures.MAX_BARS and values == sorted(values, reverse=True)
    assert values[0] == quantified["Suma de cuantificaciones"].max()
    rest = len(quantified) - figures.MAX_BARS
    assert spec["layout"]["title"]["text"] == (
        f"Las {figures.MAX_BARS} fichas con mayor suma de cuantificaciones; y {rest} fichas más, en la tabla"
    )


@pytest.mark.slow
def test_coverage_is_a_sorted_heatmap_of_ministries_by_indicator(corpus300, start):
    at = start(corpus300, "cobertura")
    grouped = shown_table(at, "Cobertura por ministerio")
    spec = chart(at, "chart_coverage")
    heatmap = spec["data"][0]
    assert heatmap["type"] == "heatmap" and len(heatmap["x"]) == 3
    assert sorted(heatmap["y"]) == sorted(grouped["Ministerio"])
    means = [np.nanmean(row) for row in array(heatmap["z"])]
    assert means == sorted(means, reverse=True)
    assert all(text.endswith(" %") and "." not in text for row in heatmap["text"] for text in row)
    at.button_group(key="cobertura_nivel").set_value("partida").run()
    spec = chart(at, "chart_coverage")
    assert all(" · Ministerio" in tick or " · Gobiernos" in tick for tick in spec["layout"]["yaxis"]["ticktext"])


# -- the two real fichas -----------------------------------------------------------------------------------------


def test_real_fichas_counts_have_whole_ticks_and_spanish_config(real_db, start):
    at = start(real_db)
    spec = chart(at, "chart_overview")
    assert spec["layout"]["xaxis"]["dtick"] == 1 and spec["layout"]["xaxis"]["tickformat"] == ",d"
    assert spec["layout"]["separators"] == ",."
    assert spec["config"]["displaylogo"] is False and "lasso2d" in spec["config"]["modeBarButtonsToRemove"]
    assert spec["layout"]["yaxis"]["ticktext"] == [
        "Ministerio del Interior y Seguridad Pública",
        "Ministerio de Educación",
    ]
    at.switch_page("pages/genero_territorial.py").run()
    axis = chart(at, "chart_genero")["layout"]["xaxis"]
    assert axis["tickvals"][-1] == 100 and axis["ticktext"][-1] == "100 %"


def test_sankey_on_the_ficha_page_keeps_four_columns(real_db, start):
    at = start(real_db, "ficha", ficha="2021-05-70")
    sankey = chart(at, "chart_sankey")["data"][0]
    assert_sankey_columns(sankey)


def assert_sankey_columns(sankey: dict) -> None:
    node, link = sankey["node"], sankey["link"]
    assert sankey["arrangement"] == "fixed"
    for label, x in zip(node["label"], node["x"], strict=True):
        assert x == figures.SANKEY_X[label.split(" ", 1)[0]], label
    assert link["source"] and all(
        node["x"][s] < node["x"][t] for s, t in zip(link["source"], link["target"], strict=True)
    )


def test_sankey_puts_each_stage_in_its_column_and_lists_unlinked_nodes():
    names = {
        "OM": {1: "Objetivo ministerial uno", 2: "Objetivo ministerial <b>sin vínculo</b>"},
        "OI": {1: "Institucional uno", 2: "Institucional dos"},
        "P": {1: "Producto uno", 2: "Producto suelto", 3: "Producto tres"},
        "C": {1: "Cliente uno", 2: "Cliente sin producto"},
    }
    flows = pd.DataFrame(
        [("om-oi", 1, 1), ("om-oi", 1, 2), ("oi-p", 1, 1), ("oi-p", 2, 3), ("p-c", 1, 1), ("p-c", 3, 1)],
        columns=["etapa", "origen", "destino"],
    )
    fig = figures.sankey(flows, names).to_plotly_json()
    sankey = fig["data"][0]
    assert_sankey_columns(sankey)
    assert [label.split(":")[0] for label in sankey["node"]["label"]] == ["OM 1", "OI 1", "OI 2", "P 1", "P 3", "C 1"]
    assert len(sankey["link"]["source"]) == 6
    unlinked = fig["layout"]["annotations"][-1]["text"]
    assert "OM 2: Objetivo ministerial &lt;b&gt;sin v…" in unlinked and "<b>sin" not in unlinked
    assert "P 2: Producto suelto" in unlinked and "C 2: Cliente sin producto" in unlinked
    hovers = [sankey["node"]["hovertemplate"], sankey["link"]["hovertemplate"], *sankey["link"]["customdata"]]
    assert not any("source" in text or "target" in text or "value" in text for text in hovers)
    assert sankey["link"]["customdata"][0] == "OM 1 → OI 1"


# -- identity, labels and escaping -------------------------------------------------------------------------------


def test_services_sharing_a_name_get_labels_that_tell_them_apart():
    long = "SERVICIO DE SALUD DE LA REGIÓN METROPOLITANA DE SANTIAGO"
    frame = pd.DataFrame(
        {
            "Servicio ID": ["16-01", "16-02", "09-03", "16-04", "16-05"],
            "Servicio": ["AGENCIA", "AGENCIA", "<b>X</b>", f"{long} NORTE", f"{long} SUR"],
            "Productos": [5, 4, 3, 2, 1],
        }
    )
    marks = figures.marks(frame)
    assert list(marks["key"]) == list(frame["Servicio ID"])
    assert list(marks["tick"][:3]) == ["AGENCIA · 16-01", "AGENCIA · 16-02", "&lt;b&gt;X&lt;/b&gt;"]
    assert marks["tick"].is_unique and marks["tick"].str.len().max() <= figures.LABEL_LIMIT
    assert marks["name"][3] == f"{long} NORTE"  # the whole name, for the hover and the table
    assert list(marks["label"][:2]) == ["AGENCIA · 16-01", "AGENCIA · 16-02"]  # whole and unique: for pickers


def test_partida_labels_name_the_ministry():
    frame = pd.DataFrame({"Partida": ["09"], "Ministerio": ["Ministerio de Educación"], "Productos": [1]})
    assert figures.marks(frame)["tick"].tolist() == ["09 · Ministerio de Educación"]


@pytest.mark.parametrize(
    ("largest", "step"), [(0, 1), (2, 1), (5, 1), (8, 1), (12, 2), (40, 5), (196, 50), (13_331, 2000)]
)
def test_count_axes_step_by_whole_numbers(largest, step):
    assert figures.integer_step(largest) == step


# -- budget --------------------------------------------------------------------------------------------------------

BUDGET_HEADER = (
    "Número\tProducto Estratégico\tDescripción\tClientes\tAplica Gestión Territorial\tAplica Enfoque de Género\t"
    "Presupuesto 2021 (Miles de $)"
)
BUDGET_ROWS = [
    "1\tEducación pública.\tProveer un servicio.\t1\tSi\tSi\t300.000",
    "2\tAcceso a información.\tFomentar la participación.\t2\tNo\tNo\t100.000",
    "3\tTalleres.\tTalleres con la familia.\t1\tSi\tSi\tNo informado",
]


@pytest.fixture(scope="module")
def budget_db(tmp_path_factory):
    """Huasco with a budget per product (gender and territorial: 300.000 of 400.000) beside Los Lagos without."""
    folder = tmp_path_factory.mktemp("budget")
    (folder / "fichas").mkdir()
    text = with_products(read_text(HUASCO), BUDGET_HEADER, BUDGET_ROWS)
    (folder / "fichas" / "huasco.txt").write_text(text, encoding="utf-8")
    (folder / "fichas" / "lagos.txt").write_text(read_text(LOS_LAGOS), encoding="utf-8")
    db = folder / "fichas.duckdb"
    assert build([folder / "fichas"], db).rejected == 0
    return db


def budget_view(at: AppTest) -> tuple[dict[str, str], list[str]]:
    metrics = {metric.label: metric.value for metric in at.metric if "presupuesto" in metric.label}
    return metrics, [caption.value for caption in at.caption if "Presupuesto informado" in caption.value]


def test_budget_shares_where_fichas_carry_budgets(budget_db, start):
    expected = {
        "% del presupuesto en productos con enfoque de género": "75,0 %",
        "% del presupuesto en productos con gestión territorial": "75,0 %",
    }
    at = start(budget_db)
    for page in [None, "pages/genero_territorial.py"]:
        if page:
            at.switch_page(page).run()
        metrics, captions = budget_view(at)
        assert metrics == expected, page
        assert len(captions) == 1 and captions[0].startswith("Presupuesto informado en 1 de 2 fichas (400.000 miles")
    # A filter whose fichas carry no budget shows nothing about it.
    at = start(budget_db, servicio="05-70")
    assert budget_view(at) == ({}, [])


def test_no_budget_section_without_budgets(real_db, start):
    at = start(real_db, "genero_territorial")
    assert budget_view(at) == ({}, [])
