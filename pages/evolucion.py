"""Evolución: the filtered fichas year by year, and what changed in one service's definitions between two years."""

import dataclasses
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import charts, compare, db, figures, queries, ui
from app.filters import Filters
from formatting import integer, percent

TOP_MINISTRIES = 10
CHOICES = ("evolucion_servicio", "evolucion_desde", "evolucion_hasta", "evolucion_elemento")  # kept while closed
_CHOSEN_FOR = "_evolucion_anios_de"  # the service the year pickers were last drawn for
_ELEMENT_OF = "_evolucion_elemento_de"  # the comparison the item picker was last drawn for


@st.cache_data(show_spinner=False, max_entries=256)
def changes_between(snap: db.Snapshot, servicio: str, desde: int, hasta: int) -> tuple[pd.DataFrame, list[str]]:
    """The pairing of one service's items between two years, and its summary: the text comparison (difflib) is a
    third of the page's CPU and depends only on these four values, so a view repeated by anyone pays it once."""
    changes = compare.compare(
        queries.service_items(snap, servicio, [desde, hasta]).frame, desde, hasta, queries.SECTIONS
    )
    return changes, compare.summary(changes)


def comparison(snap: db.Snapshot, servicio: str, desde: int, hasta: int) -> queries.Result:
    """The pairing as a table: its rows, and the SQL of the items it pairs for «Ver SQL»."""
    items = queries.service_items(snap, servicio, [desde, hasta])
    return dataclasses.replace(items, frame=changes_between(snap, servicio, desde, hasta)[0])


@st.cache_resource(show_spinner=False, max_entries=64)
def trend_chart(snap: db.Snapshot, filters: Filters) -> tuple[go.Figure, int]:
    """The six-panel chart of the filter (one line per ministerio, the largest TOP_MINISTRIES, when several are
    chosen) and how many ministerios it leaves out. Building it costs about 60 ms of CPU, so it is built once per
    (database, filter) and shared: `st.plotly_chart` only reads the figure."""
    by_ministerio = len(filters.ministerio) > 1
    frame = queries.trend_by_year(snap, filters, "ministerio" if by_ministerio else "total").frame
    drawn, left_out = frame, 0
    if by_ministerio:
        sizes = frame.groupby("Ministerio")["Fichas"].sum().reset_index()
        largest = sizes.sort_values(["Fichas", "Ministerio"], ascending=[False, True])["Ministerio"][:TOP_MINISTRIES]
        drawn, left_out = frame[frame["Ministerio"].isin(largest)], len(sizes) - len(largest)
    colors = charts.ministry_colors(snap)
    return figures.trend(drawn, colors, "Ministerio" if by_ministerio else None), left_out


page = ui.start_page("evolucion")
snap, filters = page.snap, page.filters

by_ministerio = len(filters.ministerio) > 1
trend = queries.trend_by_year(snap, filters, "ministerio" if by_ministerio else "total")
ui.stop_if_empty(trend.frame)
# One section at a time: the six-panel chart, or one service's comparison with its pickers, metrics and table.
yearly, one_service = page.sections("Año a año", "Un servicio entre dos años")

# -- the filtered fichas, year by year ------------------------------------------------------------

with page.section(yearly) as drawn:
    if drawn:
        figure, left_out = trend_chart(snap, filters)
        if trend.frame["Año"].nunique() < 2:
            st.info(
                f"Las fichas del filtro son de un solo año ({trend.frame['Año'].iloc[0]}): la evolución necesita dos "
                "o más."
            )
        charts.show(figure, "chart_evolucion")
        if left_out:
            ui.explain(
                f"Se dibujan los {TOP_MINISTRIES} ministerios con más fichas; y {integer(left_out)} más, en la tabla."
            )
    page.table(
        trend,
        "Indicadores por año",
        "evolucion_anual",
        "Porcentajes sobre todos los productos (u objetivos ministeriales) de las fichas de cada año: un producto cuya "
        "ficha no trae la columna de enfoque de género o de gestión territorial cuenta como sin «Sí». Un objetivo "
        "ministerial está vinculado cuando algún objetivo institucional lo recoge."
        + (" Una línea por ministerio elegido en el filtro." if by_ministerio else ""),
    )

# -- one service between two years ----------------------------------------------------------------

with page.section(one_service, keep=CHOICES) as drawn:
    services = queries.service_years(snap, dataclasses.replace(filters, anio=())).frame
    years_of = {row.servicio_id: [int(year) for year in row.anios] for row in services.itertuples()}
    options = list(years_of)
    state = st.session_state
    servicio = (  # the one last chosen, else what the section opens on (also the workbook's while it is closed)
        state.get("evolucion_servicio")
        if state.get("evolucion_servicio") in years_of
        else next(
            (sid for sid in filters.servicio if sid in years_of),
            next((sid for sid in options if len(years_of[sid]) > 1), options[0]),
        )
    )
    if drawn:
        names = ui.filter_labels(snap)["servicio"]
        if state.get("evolucion_servicio") not in years_of:
            state.pop("evolucion_servicio", None)
        servicio = st.selectbox(
            "Servicio",
            options,
            index=options.index(servicio),
            format_func=lambda sid: names.get(sid, sid),
            key="evolucion_servicio",
            help="Los servicios del filtro (sin el filtro de año): se comparan todos sus años en la base.",
        )
        if state.get(_CHOSEN_FOR) != servicio:  # another service: its own two most recent years
            state.pop("evolucion_desde", None)
            state.pop("evolucion_hasta", None)
            state[_CHOSEN_FOR] = servicio
    years = years_of[servicio]
    desde, hasta = (years[1], years[0]) if len(years) > 1 else (None, None)
    if not drawn and state.get(_CHOSEN_FOR) == servicio:  # closed: the years last chosen for this service
        desde, hasta = (state.get(key) if state.get(key) in years else year
                        for key, year in (("evolucion_desde", desde), ("evolucion_hasta", hasta)))  # fmt: skip

    if len(years) < 2:  # the service's name is ficha text: never in markdown, so not in this message
        if drawn:
            st.info(f"Este servicio tiene ficha de un solo año ({years[0]}): no hay otro año con que compararla.")
    else:
        if drawn:
            left, right = st.columns(2)
            desde = left.selectbox("Desde", years, index=1, key="evolucion_desde")
            hasta = right.selectbox("Hasta", years, index=0, key="evolucion_hasta")
        if desde == hasta:
            st.info("Elija dos años distintos para ver qué cambió.")
        else:
            if drawn:
                changes, lines = changes_between(snap, servicio, desde, hasta)
                counts = changes["Estado"].value_counts()
                shown = st.columns(4)
                for column, estado in zip(
                    shown, [compare.NUEVO, compare.ELIMINADO, compare.MODIFICADO, compare.SIN_CAMBIOS], strict=True
                ):
                    column.metric(estado, integer(counts.get(estado, 0)))
                with st.expander(f"Qué cambió ({integer(len(lines))})", expanded=bool(lines)):
                    st.text("\n".join(lines) or "Nada: las dos fichas dicen lo mismo.")  # ficha text: never markdown
            page.table(
                partial(comparison, snap, servicio, desde, hasta),
                f"Cambios entre {desde} y {hasta}",
                "evolucion_cambios",
                "Misión, objetivos, productos (con sus marcas de gestión territorial y enfoque de género) y clientes "
                "(con su cuantificación). Cada elemento de un año se empareja con el más parecido del otro año en su "
                "sección, no por su número, que cambia cuando se quita uno: primero los pares más parecidos, y solo "
                f"si su similitud (palabras en común, sin distinguir mayúsculas, tildes ni puntuación) es al menos "
                f"{percent(compare.THRESHOLD, 0)}. Sin par, el elemento es «Nuevo» o «Eliminado». «Modificado»: "
                "cambió el texto o una marca; «Cambios» dice qué palabras salieron (−) y cuáles entraron (+). En "
                "pantalla, los textos abreviados; completos, con sus cambios, al elegir el elemento debajo de la "
                "tabla y en las descargas.",
                screen=compare.on_screen(changes) if drawn else None,
            )
            records = changes.to_dict("records") if drawn else []
            if records:
                compared = (servicio, desde, hasta, len(records))
                if state.get(_ELEMENT_OF) != compared:  # another comparison: open on its first change
                    state.pop("evolucion_elemento", None)
                    state[_ELEMENT_OF] = compared
                first_change = next((i for i, row in enumerate(records) if row["Estado"] != compare.SIN_CAMBIOS), 0)
                element = st.selectbox(
                    "Ver un elemento completo",
                    range(len(records)),
                    index=first_change,
                    format_func=lambda i: f"{compare.label(records[i])} · {records[i]['Estado']}",
                    key="evolucion_elemento",
                )
                st.text(compare.detail(records[element], desde, hasta))  # ficha text: never markdown
page.workbook_button()
