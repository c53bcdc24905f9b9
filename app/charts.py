"""Streamlit side of the charts: one way to show a figure, the sort control, and the budget shares.

Every page shows its figures through `show`, so each gets the same Spanish-friendly plotly configuration.
"""

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from app import db, figures, queries, ui
from app.filters import Filters
from formatting import integer, percent


def ministry_colors(snap: db.Snapshot) -> dict[str, str]:
    """Colours assigned over every ministerio in the database, so a filter never changes them."""
    return figures.ministry_colors(queries.fichas_index(snap).frame["ministerio"].unique().tolist())


def show(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, key=key, config=figures.CONFIG)


def draw(key: str, snap: db.Snapshot, result: queries.Result, build: Callable[..., go.Figure], *args) -> None:
    """`show` the figure `build(result.frame, *args)`, built once per database, query and arguments and shared.

    Building a figure (plotly validating every `update_layout`) cost 13–17 ms of CPU per chart and view; the figure
    depends only on these, and `st.plotly_chart` only reads it.
    """
    name = f"{build.__module__}.{build.__qualname__}"
    show(_built(snap, result.sql, result.params, name, args, build, result.frame), key)


@st.cache_resource(show_spinner=False, max_entries=512)
def _built(snap: db.Snapshot, sql: str, params: dict, name: str, args: tuple, _build, _frame) -> go.Figure:
    """Keyed by the query (`sql`, `params` on `snap`) and the builder's `name` and `args`; `_frame` is its result."""
    return _build(_frame, *args)


def control_keys(key: str) -> tuple[str, str]:
    """The session keys of `grouping_controls(levels, key)`: its grouping and its order."""
    return f"{key}_nivel", f"{key}_orden"


def grouping_controls(levels: list[str], key: str) -> tuple[queries.Grouping, str]:
    """ "Agrupar por" (the first level by default) and "Ordenar por" side by side: the grouping and the order."""
    grouping_column, order_column = st.columns([2, 1])
    with grouping_column:
        grouping = grouping_control(levels, key)
    with order_column:
        order = order_control(control_keys(key)[1])
    return grouping, order


def grouping_control(levels: list[str], key: str) -> queries.Grouping:
    """ "Agrupar por": the same widget (one key, one state) in every section of a page that draws it, so the
    reader's choice follows them from one section to another."""
    st.segmented_control(
        "Agrupar por",
        levels,
        default=levels[0],
        format_func=lambda level: queries.GROUPINGS[level].label,
        key=control_keys(key)[0],
    )
    return chosen_grouping(levels, key)


def chosen_grouping(levels: list[str], key: str) -> queries.Grouping:
    """The grouping `grouping_control` holds, also where it is not drawn (a closed section's table)."""
    return queries.GROUPINGS[st.session_state.get(control_keys(key)[0]) or levels[0]]


def order_control(key: str) -> str:
    """A small "Ordenar por Valor | Nombre" control; "valor" (largest first) unless the user picks "nombre"."""
    chosen = st.segmented_control(
        "Ordenar por", list(figures.ORDERS), default="valor", format_func=figures.ORDERS.get, key=key
    )
    return chosen or "valor"


def budget_shares(snap: db.Snapshot, filters: Filters) -> None:
    """ "% del presupuesto en productos con enfoque de género" (and territorial) where the fichas carry budgets.

    Nothing is shown when no filtered ficha reports a budget per product (most forms do not have the column).
    """
    row = queries.budget_shares(snap, filters).frame.iloc[0]
    total = row["presupuesto"]
    if not row["fichas_con_presupuesto"] or not total:
        return
    left, right = st.columns(2)
    left.metric("% del presupuesto en productos con enfoque de género", percent(row["presupuesto_genero"] / total))
    right.metric(
        "% del presupuesto en productos con gestión territorial", percent(row["presupuesto_territorial"] / total)
    )
    ui.explain(
        f"Presupuesto informado en {integer(row['fichas_con_presupuesto'])} de {integer(row['fichas'])} fichas "
        f"({integer(total)} miles de $): solo los formularios que traen la columna «Presupuesto (Miles de $)» por "
        "producto. Cada porcentaje es el presupuesto de los productos con «Sí» sobre el de todos los productos con "
        "presupuesto."
    )
