"""Streamlit pieces every page shares: the sidebar filter, tables with their downloads, safe text."""

import numbers
from datetime import datetime
from typing import NoReturn

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from app import db, downloads, figures, queries, registry
from app.filters import DIMENSIONS, KEYS, Filters, from_url, option_labels, options, to_url
from formatting import integer

# Up to this many rows a table is sent whole, formatted by pandas Styler (`13.331`, `45,2`); Styler costs about
# 0,2 s per 1.000 rows on every rerun. Longer tables stay on the server and reach the browser as the user scrolls
# (`lazy`), with numbers in the browser's locale format, which is Chile's for our users.
STYLED_ROWS = 300
YEAR_COLUMNS = ("Año", "Año antes", "Año después")  # integer columns shown without a thousands separator
_SEEDED = "_filters_seeded"
_CONTEXT = "_page_context"
_NOTICE = "_filters_notice"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reset_filters() -> None:
    for name in KEYS:
        st.session_state[name] = []


@st.cache_data(show_spinner=False, max_entries=4)
def _known_values(snap: db.Snapshot) -> dict[str, set[str]]:
    index = queries.fichas_index(snap).frame
    return {name: set(index[name]) for name in KEYS}


@st.cache_data(show_spinner=False, max_entries=256)
def _filter_counts(snap: db.Snapshot, filters: Filters) -> dict[str, pd.Series]:
    return options(queries.fichas_index(snap).frame, filters)


@st.cache_data(show_spinner=False, max_entries=4)
def filter_labels(snap: db.Snapshot) -> dict[str, dict[str, str]]:
    """Per filter dimension, value -> what users read for it (a servicio_id's name, a partida with its ministry)."""
    return option_labels(queries.fichas_index(snap).frame)


def describe(snap: db.Snapshot, filters: Filters) -> str:
    """The filter in words, naming services and partidas as the sidebar does."""
    return filters.describe(filter_labels(snap))


def sidebar_filters(snap: db.Snapshot) -> Filters:
    """Render the four filters once per run (in the entrypoint) and keep the URL in step with them.

    The URL seeds the filter on a session's first run; unknown values there are dropped with a notice.
    """
    known = _known_values(snap)
    state = st.session_state
    if _SEEDED not in state:
        params = {name: st.query_params.get_all(name) for name in KEYS}
        seeded, state[_NOTICE] = from_url(params, known)
        for name, values in seeded.items():
            state[name] = list(values)
        state[_SEEDED] = True
    for name in KEYS:  # a rebuilt database may have dropped a selected value
        state[name] = [value for value in state.get(name, []) if value in known[name]]
    current = Filters(**{name: tuple(state[name]) for name in KEYS})
    counts, labels = _filter_counts(snap, current), filter_labels(snap)
    with st.sidebar:
        st.header("Filtros")
        for dimension in DIMENSIONS:
            name = dimension.key
            st.multiselect(
                dimension.label,
                options=list(counts[name].index),
                key=name,
                format_func=lambda value, c=counts[name], shown=labels[name]: (
                    f"{shown.get(value, value)} ({int(c.get(value, 0))})"
                ),
                placeholder="Todos",
                select_all=False,
                help="Vacío = todos. Entre paréntesis, cuántas fichas quedan con los demás filtros.",
            )
        st.button("Restablecer filtros", on_click=_reset_filters, key="reset_filters", width="stretch")
        if state.get(_NOTICE):
            st.warning("Se ignoraron valores desconocidos de la dirección (URL): " + ", ".join(state[_NOTICE][:10]))
    chosen = Filters(**{name: tuple(state[name]) for name in KEYS})
    url = to_url(chosen)
    for name in KEYS:
        if name in url:
            st.query_params[name] = url[name]
        elif name in st.query_params:
            del st.query_params[name]
    return chosen


def set_context(snap: db.Snapshot, filters: Filters) -> None:
    """The entrypoint hands the database snapshot and the filter to the page it runs."""
    st.session_state[_CONTEXT] = (snap, filters)


def clear_context() -> None:
    st.session_state.pop(_CONTEXT, None)


def context() -> tuple[db.Snapshot, Filters]:
    """What the entrypoint set for this run; a page run without it (a page URL opened first) reruns the entrypoint."""
    if _CONTEXT not in st.session_state:
        leave_legacy_pages_mode()
    return st.session_state[_CONTEXT]


def leave_legacy_pages_mode() -> NoReturn:
    """Make the entrypoint run first, when Streamlit ran a `pages/` file on its own.

    Streamlit 1.67 has no supported way to keep a `pages/` folder beside an `st.navigation` entrypoint: with
    the folder present, `PagesManager` starts the process in the legacy multipage mode
    (`PagesManager.uses_pages_directory`, runtime/pages_manager.py), where the script runner runs the requested
    page file alone (`_mpa_v1`, runtime/scriptrunner/script_runner.py). Only a run of `st.navigation` turns
    that mode off, for every session; so a server whose first request is a page URL (a shared link) would
    draw that page without the entrypoint, its sidebar and its filter. No config option changes this
    (`client.showSidebarNavigation` only hides the legacy menu), and Streamlit's advice is to name the folder
    otherwise, which the project's layout rules out. So: leave that mode, as `st.navigation` would, and rerun.
    tests/test_app.py fails the day Streamlit drops the flag or stops starting in that mode.
    """
    PagesManager.uses_pages_directory = False
    st.rerun()


def ministry_colors(snap: db.Snapshot) -> dict[str, str]:
    """Colours assigned over every ministerio in the database, so a filter never changes them."""
    return figures.ministry_colors(queries.fichas_index(snap).frame["ministerio"].unique().tolist())


def styled(frame: pd.DataFrame):
    """Chilean number format for display (`13.331`, `45,2`); the frame itself stays numeric for downloads.

    Years are numbers too, but read `2021`, never `2.021`.
    """
    years = [column for column in frame.columns if column in YEAR_COLUMNS]
    return frame.style.format(thousands=".", decimal=",", precision=1, na_rep="—").format(
        "{}", subset=years, na_rep="—"
    )


def show_frame(frame: pd.DataFrame, key: str) -> None:
    """One table on screen: formatted when short, streamed to the browser as it scrolls when long."""
    if len(frame) <= STYLED_ROWS:
        st.dataframe(styled(frame), hide_index=True, key=key)
        return
    st.caption(f"{integer(len(frame))} filas: la tabla se carga a medida que se recorre. Las descargas traen todas.")
    numbers = {
        column: st.column_config.NumberColumn(format="%d" if column in YEAR_COLUMNS else "localized")
        for column in frame.select_dtypes("number").columns
    }
    st.dataframe(frame, hide_index=True, key=key, lazy=True, column_config=numbers)


def show_text(frame: pd.DataFrame) -> None:
    """Rows as the document lists them, every cell in full: `1. text`, then the other columns below it.

    Plain text (st.text), never markdown: Streamlit's markdown would still turn a URL in a ficha into a link.
    """
    first, text, *others = frame.columns
    for row in frame.itertuples(index=False):
        details = [
            f"{column}: {integer(value) if isinstance(value, numbers.Number) else value}"
            for column, value in zip(others, row[2:], strict=True)
            if pd.notna(value)
        ]
        st.text("\n".join([f"{row[0]}. {row[1]}", *(f"    {detail}" for detail in details)]))


def explain(text: str) -> None:
    """The one sentence saying how a metric is computed."""
    st.caption(text)


def stop_if_empty(rows, message: str = "No hay fichas para el filtro actual.") -> None:
    """Guard before a page's charts: a message instead of empty charts."""
    if len(rows) == 0:
        st.info(message)
        st.stop()


def start_page(slug: str) -> "PageTables":
    """Every page's opening: its title from app/registry.py, the filter in force, and the collector of its tables."""
    spec = registry.by_slug(slug)
    snap, filters = context()
    st.title(spec.page_title)
    st.text(f"Filtro: {describe(snap, filters)}")  # names come from fichas: text, never markdown
    return PageTables(spec.title, spec.slug, snap, filters)


class PageTables:
    """Shows tables with CSV / Excel / SQL beside each, and collects them for the page's workbook."""

    def __init__(self, page: str, slug: str, snap: db.Snapshot, filters: Filters):
        self.page, self.slug, self.snap, self.filters = page, slug, snap, filters
        self.tables: dict[str, pd.DataFrame] = {}
        self._slot = st.container()

    def table(
        self, result: queries.Result, title: str, key: str, explanation: str | None = None, full_text: bool = False
    ) -> None:
        """`full_text` lists every row with every cell in full (one ficha's sections) instead of a scrollable grid."""
        st.markdown(f"#### {title}")
        if explanation:
            explain(explanation)
        frame = result.frame
        if frame.empty:
            st.info("No hay filas para el filtro actual.")
        elif full_text:
            show_text(frame)
        else:
            show_frame(frame, f"{key}_tabla")
        left, right, _ = st.columns([1, 1, 4])
        left.download_button(
            "CSV",
            data=lambda: downloads.csv_bytes(frame),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
            icon=":material/download:",
        )
        right.download_button(
            "Excel",
            data=lambda: downloads.xlsx_bytes({title: frame}),
            file_name=f"{key}.xlsx",
            mime=XLSX,
            key=f"{key}_xlsx",
            on_click="ignore",
            icon=":material/download:",
        )
        with st.expander("Ver SQL"):
            st.code(result.sql, language="sql")
            st.code(result.params_sql(), language="sql")
        self.tables[title] = frame

    def workbook_button(self) -> None:
        """Offer, at the top of the page, one workbook with every table shown and a first sheet saying what it is."""

        def workbook() -> bytes:
            files = queries.source_files(self.snap, self.filters).frame["Archivo"].tolist()
            first = downloads.cover(self.page, describe(self.snap, self.filters), files, datetime.now())
            return downloads.xlsx_bytes({"Filtro": first, **self.tables})

        with self._slot:
            st.download_button(
                "Descargar todas las tablas de la página (Excel)",
                data=workbook,
                file_name=f"{self.slug}.xlsx",
                mime=XLSX,
                key="page_workbook",
                on_click="ignore",
                icon=":material/table_view:",
            )
