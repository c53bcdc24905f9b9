"""Streamlit side of the charts: one way to show a figure, the sort control, and the budget shares.

Every page shows its figures through `show`, so each gets the same Spanish-friendly plotly configuration.
"""

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


def grouping_controls(levels: list[str], key: str) -> tuple[queries.Grouping, str]:
    """ "Agrupar por" (the first level by default) and "Ordenar por" side by side: the grouping and the order."""
    grouping_column, order_column = st.columns([2, 1])
    with grouping_column:
        level = st.segmented_control(
            "Agrupar por",
            levels,
            default=levels[0],
            format_func=lambda level: queries.GROUPINGS[level].label,
            key=f"{key}_nivel",
        )
    with order_column:
        order = order_control(f"{key}_orden")
    return queries.GROUPINGS[level or levels[0]], order


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
