"""Choosing one ficha as a manager names it: ministerio, then servicio (type to search), then año.

One list of every filtered ficha was 10.000 options with 10.000 fichas (685 KB sent on every view, and a list the
browser had to build); three short lists bounded by the sidebar filter say the same in a few KB: about a hundred
services per ministerio at most, and their years.
"""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from app import db, queries
from app.filters import DIMENSIONS, Filters, label_column, matching

_SERVICIO_LABEL = label_column(next(dimension for dimension in DIMENSIONS if dimension.key == "servicio"))


@dataclass(frozen=True)
class Keys:
    """The session keys of one page's three pickers (`cobertura` -> `cobertura_ministerio`, …)."""

    prefix: str

    @property
    def ministerio(self) -> str:
        return f"{self.prefix}_ministerio"

    @property
    def servicio(self) -> str:
        return f"{self.prefix}_servicio"

    @property
    def anio(self) -> str:
        return f"{self.prefix}_anio"

    @property
    def all(self) -> tuple[str, str, str]:
        return self.ministerio, self.servicio, self.anio


@st.cache_resource(show_spinner=False, max_entries=256)  # shared and only read: no copy per run
def choices(snap: db.Snapshot, filters: Filters) -> pd.DataFrame:
    """The filtered fichas, indexed by ficha_id: ministerio, servicio (id), its label and año, in the lists' order
    (ministerios and services by name, years newest first)."""
    index = queries.fichas_index(snap).frame
    kept = index[matching(index, filters)]
    frame = pd.DataFrame(
        {
            "ministerio": kept["ministerio"].to_numpy(),
            "servicio": kept["servicio"].to_numpy(),
            "label": kept[_SERVICIO_LABEL].to_numpy(),
            "anio": kept["anio"].to_numpy(),
        },
        index=pd.Index(kept["ficha_id"].to_numpy(), name="ficha_id"),
    )
    return frame.sort_values(["ministerio", "label", "servicio", "anio"], ascending=[True, True, True, False])


def choose(snap: db.Snapshot, filters: Filters, prefix: str, requested: str | None = None) -> str | None:
    """The ficha the three pickers name, or None when the filter keeps no ficha.

    `requested` (a ficha id from the URL) seeds the pickers when the session has not chosen yet. Each picker keeps
    its choice while it is an option; Streamlit starts it over at the first one (the first service, the newest year)
    when a choice above it, or the filter, leaves it out.
    """
    fichas = choices(snap, filters)
    if fichas.empty:
        return None
    keys, state = Keys(prefix), st.session_state
    if requested in fichas.index and keys.servicio not in state:
        row = fichas.loc[requested]
        state[keys.ministerio], state[keys.servicio], state[keys.anio] = row["ministerio"], row["servicio"], row["anio"]
    left, middle, right = st.columns([3, 4, 1])
    with left:
        ministerio = st.selectbox("Ministerio", fichas["ministerio"].unique().tolist(), key=keys.ministerio)
    in_ministry = fichas[fichas["ministerio"] == ministerio]
    names = dict(zip(in_ministry["servicio"], in_ministry["label"], strict=False))
    with middle:
        servicio = st.selectbox(
            "Servicio",
            list(names),
            key=keys.servicio,
            format_func=names.get,
            help="Escriba parte del nombre para buscarlo. Los servicios del ministerio que deja el filtro.",
        )
    of_service = in_ministry[in_ministry["servicio"] == servicio]
    with right:
        anio = st.selectbox("Año", of_service["anio"].tolist(), key=keys.anio)
    return of_service.index[of_service["anio"] == anio][0]


def held(snap: db.Snapshot, filters: Filters, prefix: str) -> str | None:
    """The ficha the pickers hold while they are not drawn (a closed section), else the first one they offer."""
    fichas = choices(snap, filters)
    if fichas.empty:
        return None
    keys, state = Keys(prefix), st.session_state
    named = fichas[
        (fichas["ministerio"] == state.get(keys.ministerio))
        & (fichas["servicio"] == state.get(keys.servicio))
        & (fichas["anio"] == state.get(keys.anio))
    ]
    return (named if not named.empty else fichas).index[0]
