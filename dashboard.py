"""Entrypoint: page configuration, navigation over app/registry.py, the shared sidebar filter, and the Inicio page."""

import logging

import streamlit as st

from app import charts, db, figures, queries, registry, ui
from formatting import integer, percent


def inicio() -> None:
    page = ui.start_page(registry.HOME.slug)
    snap, filters = page.snap, page.filters
    overview = queries.overview_by_ministerio(snap, filters)
    ui.stop_if_empty(overview.frame)
    figures_row = queries.headline(snap, filters).frame.iloc[0]

    productos = int(figures_row["productos"])
    top = st.columns(4)
    top[0].metric("Fichas", integer(figures_row["fichas"]))
    top[1].metric("Servicios", integer(figures_row["servicios"]))
    top[2].metric("Ministerios", integer(figures_row["ministerios"]))
    top[3].metric("Productos estratégicos", integer(productos))
    bottom = st.columns(4)
    bottom[0].metric(
        "Con enfoque de género", percent(figures_row["productos_genero"] / productos if productos else None)
    )
    bottom[1].metric(
        "Con gestión territorial", percent(figures_row["productos_territorial"] / productos if productos else None)
    )
    bottom[2].metric(
        "Clientes cuantificados",
        f"{integer(figures_row['clientes_cuantificados'])} de {integer(figures_row['clientes'])}",
    )
    bottom[3].metric("Suma de cuantificaciones", integer(figures_row["suma_cuantificacion"]))
    ui.explain(
        "Porcentajes sobre el total de productos estratégicos de las fichas filtradas; un producto cuya ficha no trae "
        f"la columna cuenta como «desconocido» (género: {integer(figures_row['genero_desconocido'])}, territorial: "
        f"{integer(figures_row['territorial_desconocido'])}) y no como «no aplica». Un cliente está cuantificado "
        "cuando su cuantificación es un número; la suma repite personas que son clientes de varios servicios."
    )

    charts.budget_shares(snap, filters)

    # The chart and the table say the same per ministerio: one at a time, the chart first.
    chart, table = page.sections("Gráfico", "Tabla")
    with page.section(chart, keep=("inicio_orden",)) as drawn:
        if drawn:
            order = charts.order_control("inicio_orden")
            charts.draw("chart_overview", snap, overview, figures.overview, order)
    with page.section(table):
        page.table(
            overview,
            "Resumen por ministerio",
            "resumen_ministerios",
            "Fichas, servicios distintos y productos de cada ministerio; los porcentajes son productos con «Sí» "
            "sobre todos sus productos.",
        )
    page.workbook_button()


def main() -> None:
    """Every run goes through one handler: a database problem is one Spanish message, never Streamlit's error page."""
    # An emoji icon is drawn in the page itself; a Material one makes every browser fetch it from fonts.gstatic.com.
    st.set_page_config(page_title="Fichas A1 · DIPRES", page_icon="📊", layout="wide")
    navigation = st.navigation(
        [
            st.Page(inicio if page.is_home else page.file, title=page.title, icon=page.icon, default=page.is_home)
            for page in registry.PAGES
        ]
    )
    body = st.empty()  # what the page draws, replaced whole by the message if the database fails midway
    try:
        snap = db.snapshot()
        ui.set_context(snap, ui.sidebar_filters(snap))
        with body.container():
            navigation.run()
    except db.DatabaseUnavailable as problem:
        body.empty()  # nothing the page drew before the database failed stays on screen
        st.title(next((page.page_title for page in registry.PAGES if page.title == navigation.title), ""))
        if isinstance(problem, db.DatabaseUnusable):
            st.error(str(problem), icon=":material/error:")
        else:
            st.info(str(problem))
    except Exception:
        logging.getLogger("dashboard").exception("page %s failed", navigation.title)
        st.error(
            "Ocurrió un error inesperado al mostrar esta página. Pruebe con otro filtro o recargue la página; "
            "si persiste, avise al equipo con la dirección (URL) que estaba viendo."
        )
    finally:
        ui.clear_context()


main()
