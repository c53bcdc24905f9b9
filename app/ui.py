"""Streamlit pieces every page shares: the sidebar filter, tables with their downloads, safe text."""

import gc
import hashlib
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from app import columns, db, downloads, queries, registry, table_page
from app.filters import DIMENSIONS, KEYS, Filters, from_url, option_labels, options, to_url
from formatting import integer

# Up to this many rows a table is sent whole, formatted by pandas Styler (`13.331`, `45,2`); Styler costs about
# 0,2 s per 1.000 rows on every rerun. Longer tables stay on the server: the screen shows a page of their rows
# (app/table_page.py), its numbers formatted by printf-style strings in the Chilean way too (`grid_layout`).
STYLED_ROWS = 300
MISSING = "—"
# A table's width at 1.400 px with the sidebar open, and how its columns share it (px, for the grid's font).
GRID_WIDTH = 920
_LAYOUT_ROWS = 2_000  # the rows a table's layout is measured on
_CHAR_PX, _PAD_PX, _LINE_PX = 7.2, 26, 21
_HEADER_CHARS = 14  # a longer header is cut on screen; hovering shows it whole
_NAME_CHARS, _WRAPPED_NAME_CHARS = 34, 18
# A text column whose values are mostly (3 in 4) longer than this gets the spare width and rows tall enough to
# wrap; names, long at times, stay on one line.
_LONG_TEXT_CHARS = 60
_WRAPPED_CHAR_PX = 6.6  # the average character of wrapped prose
_MIN_TEXT_PX, _MAX_LINES = 300, 8
_VISIBLE_ROWS, _MAX_HEIGHT_PX = 8, 900  # a wrapped table shows this many rows before it scrolls
# Identity columns another column implies (the servicio names its ministerio and codes), least needed first:
# they leave the screen, not the downloads, when the table would not fit.
OPTIONAL = (
    "Ministerio (según la ficha)",
    "Servicio (según la ficha)",
    "Ficha",
    "Capítulo",
    "Partida",
    "Servicio ID",
    "Ministerio",
)
_SEEDED = "_filters_seeded"
_CONTEXT = "_page_context"
_NOTICE = "_filters_notice"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FROZEN: list[bool] = []  # the loaded modules were frozen out of the garbage collector (once per process)
DOWNLOADS = "_descargas"  # session key: file name -> the builder of its bytes, for the page's last run


def _reset_filters() -> None:
    for name in KEYS:
        st.session_state[name] = []


# The sidebar's lookups are shared by every session and only read: `cache_resource` hands out the object itself
# instead of unpickling a copy of it on every run (10.000 labels per dimension with 10.000 fichas).
@st.cache_resource(show_spinner=False, max_entries=4)
def _known_values(snap: db.Snapshot) -> dict[str, set[str]]:
    index = queries.fichas_index(snap).frame
    return {name: set(index[name]) for name in KEYS}


@st.cache_resource(show_spinner=False, max_entries=256)
def _filter_options(snap: db.Snapshot, filters: Filters) -> dict[str, dict[str, str]]:
    """Per dimension, each option -> what it shows: its label and how many fichas the other filters leave it.

    Worded once per filter and shared: formatting 2.000 services' options on every run cost 10–20 ms of CPU.
    """
    counts, labels = options(queries.fichas_index(snap).frame, filters), filter_labels(snap)
    return {
        name: {value: f"{labels[name].get(value, value)} ({int(count)})" for value, count in counts[name].items()}
        for name in KEYS
    }


@st.cache_resource(show_spinner=False, max_entries=4)
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
    shown = _filter_options(snap, _selected())
    with st.sidebar:
        st.header("Filtros")
        for dimension in DIMENSIONS:
            name = dimension.key
            st.multiselect(
                dimension.label,
                options=list(shown[name]),
                key=name,
                format_func=shown[name].get,
                placeholder="Todos",
                select_all=False,
                help="Vacío = todos. Entre paréntesis, cuántas fichas quedan con los demás filtros.",
            )
        st.button("Restablecer filtros", on_click=_reset_filters, key="reset_filters", width="stretch")
        if state.get(_NOTICE):
            st.warning("Se ignoraron valores desconocidos de la dirección (URL): " + ", ".join(state[_NOTICE][:10]))
    chosen = _selected()  # after the widgets: what the user just picked
    url = to_url(chosen)
    for name in KEYS:
        if name in url:
            st.query_params[name] = url[name]
        elif name in st.query_params:
            del st.query_params[name]
    return chosen


def _selected() -> Filters:
    """The filter the sidebar's widgets hold now."""
    return Filters(**{name: tuple(st.session_state[name]) for name in KEYS})


def set_context(snap: db.Snapshot, filters: Filters) -> None:
    """The entrypoint hands the database snapshot and the filter to the page it runs."""
    _freeze_loaded_modules()
    st.session_state[_CONTEXT] = (snap, filters)


def _freeze_loaded_modules() -> None:
    """Once per process, when the entrypoint has imported everything: hide those objects from the collector.

    Streamlit collects every generation of garbage after each script run (`runner.postScriptGC`). Over the
    ~120.000 objects of the loaded modules (streamlit, pandas, pyarrow, plotly), which live as long as the process,
    that full collection was half the server CPU of a page view; frozen, the collector scans only what runs create.
    (A flag, not `gc.get_freeze_count()`, which walks every frozen object.)
    """
    if not _FROZEN:
        gc.freeze()
        _FROZEN.append(True)


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


def styled(frame: pd.DataFrame):
    """Chilean number format for display (`13.331`, `45,2`); the frame itself stays numeric for downloads."""
    return frame.style.format(thousands=".", decimal=",", precision=1, na_rep=MISSING)


def show_frame(frame: pd.DataFrame, key: str, title: str | None = None) -> None:
    """One table on screen, in Chilean formats, fitted to the page's width: formatted whole when short; when long,
    a page of its rows chosen by searching and sorting them all (app/table_page.py)."""
    shown = columns.yes_no(frame)
    long = len(shown) > STYLED_ROWS
    notes = []
    if long:
        chosen = table_page.page(shown, key)
        shown = chosen.rows
        notes.append(f"{chosen.note} En pantalla los decimales se redondean; las descargas los traen todos.")
        if shown.empty:
            st.info("Ninguna fila contiene lo buscado.")
            return
    layout = grid_layout(shown, streamed=long)
    if layout.hidden:
        notes.append(
            f"Fuera de pantalla, para que quepa lo principal: {', '.join(layout.hidden)} (están en las descargas y "
            "en el menú de columnas de la tabla)."
        )
    if layout.clipped:
        notes.append("Un texto más largo que su fila se lee completo con doble clic en su celda.")
    if notes:
        st.caption(" ".join(notes))
    options = {
        "hide_index": True,
        "key": key,
        "column_config": layout.columns,
        "column_order": layout.order,
        "placeholder": MISSING,
        "alt": title,
    }
    if layout.row_height:
        options["row_height"] = layout.row_height
        options["height"] = min(_MAX_HEIGHT_PX, min(len(shown), _VISIBLE_ROWS) * layout.row_height + 40)
    st.dataframe(shown if long else styled(shown), **options)


@dataclass(frozen=True)
class GridLayout:
    columns: dict[str, object]  # column_config
    order: list[str]  # the columns on screen, in order
    hidden: list[str]  # columns left off the screen (still in the downloads and the grid's column menu)
    row_height: int | None  # taller than 64 px lets long texts wrap
    clipped: bool = False  # some text is longer than its row: read whole in the cell's overlay


def grid_layout(frame: pd.DataFrame, streamed: bool = False) -> GridLayout:
    """`_grid_layout` of `frame`, computed once per table content (measuring cost 6–40 ms of every view)."""
    sample = frame.head(_LAYOUT_ROWS)
    try:
        key = _layout_key(sample)
    except TypeError:  # cells pandas cannot hash (lists): measured every time
        return _grid_layout(sample, streamed)
    return _cached_layout(key, streamed, sample)


def _layout_key(sample: pd.DataFrame) -> str:
    """What the layout reads of a table: its column names and types, the lengths of its texts and its other values.

    Texts enter by their lengths only (all the layout measures of them), which is also far cheaper than hashing
    long prose; the other columns by pandas' hash of their values.
    """
    digest = hashlib.blake2b(digest_size=16)
    for name, column in sample.items():
        digest.update(f"{name}\0{column.dtype}\0".encode())
        if isinstance(column.dtype, pd.StringDtype):
            digest.update(column.str.len().to_numpy(dtype="float64", na_value=-1.0).tobytes())
        else:
            digest.update(pd.util.hash_pandas_object(column, index=False).to_numpy().tobytes())
    return digest.hexdigest()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_layout(key: str, streamed: bool, _sample: pd.DataFrame) -> GridLayout:
    """Keyed by `_layout_key` (`_sample` itself is not hashed); a copy per read: no table shares a layout object."""
    return _grid_layout(_sample, streamed)


def _grid_layout(frame: pd.DataFrame, streamed: bool = False) -> GridLayout:
    """Columns that fit GRID_WIDTH: numbers and codes as narrow as their values, percentages first among the
    numbers, long texts sharing the spare width in rows tall enough to read them whole; identity columns that
    another one implies (OPTIONAL) leave the screen, in that order, until the rest fits.

    A streamed table gets its number formats from printf-style strings (`%'.,d` is `13.331` whatever the
    browser's locale: sprintf-js takes the character after `'` as the thousands separator); a short one from
    the Styler (`styled`), which column_config would override, so only years get a format there.
    """
    sample = frame.head(_LAYOUT_ROWS)
    widths: dict[str, int] = {}
    configs: dict[str, dict] = {}
    long_texts: dict[str, int] = {}
    full: dict[str, int] = {}  # text columns: the width of their longest value
    full_text: dict[str, int] = {}  # prose columns: their longest value, in characters
    for name in frame.columns:
        column, header = sample[name], str(name)
        lengths = column.dropna().astype(str).str.len()
        longest = int(lengths.max()) if len(lengths) else 1
        config: dict = {"help": header if len(header) > _HEADER_CHARS else None}
        if columns.is_year(header) and pd.api.types.is_numeric_dtype(column):
            config.update(kind="number", format="%d")
            widths[name] = _px(max(len(header), 4))
        elif pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            config["kind"] = "number"
            if streamed:
                config["format"] = "%'.,d" if pd.api.types.is_integer_dtype(column) else "%'.,.0f"
            widths[name] = _px(max(longest + longest // 3, min(len(header), _HEADER_CHARS)))
        else:
            config["kind"] = "text"
            if lengths.quantile(0.75) > _LONG_TEXT_CHARS and not columns.is_name(header):
                long_texts[name] = int(lengths.quantile(0.9, interpolation="lower"))
                full_text[name] = longest
            widths[name] = _px(max(min(len(header), _HEADER_CHARS), min(longest, _NAME_CHARS)))
            full[name] = _px(max(min(len(header), _HEADER_CHARS), longest))
        configs[name] = config
    order = _screen_order(frame, configs)
    hidden = []
    text_room = _MIN_TEXT_PX * len(long_texts)
    for name in _optional(frame):
        fixed = sum(widths[column] for column in order if column not in long_texts)
        if fixed + text_room <= GRID_WIDTH:
            break
        if name in order and name not in long_texts:
            order.remove(name)
            hidden.append(name)
    row_height, clipped = None, False
    if long_texts:
        for name in order:  # rows will wrap: names need not be as wide as their longest value
            if configs[name]["kind"] == "text" and name not in long_texts:
                widths[name] = min(widths[name], _px(_WRAPPED_NAME_CHARS))
        fixed = sum(widths[column] for column in order if column not in long_texts)
        share = max(_MIN_TEXT_PX, (GRID_WIDTH - fixed) // len(long_texts))
        widths.update({name: share for name in long_texts})
        per_line = (share - _PAD_PX) / _WRAPPED_CHAR_PX
        lines = min(max(math.ceil(typical / per_line) for typical in long_texts.values()), _MAX_LINES)
        row_height = max(lines, 3) * _LINE_PX + 16  # nine texts in ten whole; the rest says how to read it
        clipped = any(math.ceil(longest / per_line) > max(lines, 3) for longest in full_text.values())
    else:
        _widen_names(widths, full, order)
    built = {}
    for name, config in configs.items():
        kind = config.pop("kind")
        make = st.column_config.NumberColumn if kind == "number" else st.column_config.TextColumn
        built[name] = make(width=int(widths[name]), **{k: v for k, v in config.items() if v is not None})
    return GridLayout(built, order, hidden, row_height, clipped)


def _widen_names(widths: dict[str, int], full: dict[str, int], order: list[str]) -> None:
    """Give the width left over to the names cut at _NAME_CHARS, so they show whole when the table has room."""
    short = {name: full[name] - widths[name] for name in order if name in full and full[name] > widths[name]}
    spare = GRID_WIDTH - sum(widths[name] for name in order)
    if spare <= 0 or not short:
        return
    for name, missing in short.items():
        widths[name] += min(missing, spare * missing // sum(short.values()))


def _screen_order(frame: pd.DataFrame, configs: dict[str, dict]) -> list[str]:
    """The frame's order, with the percentages moved before the other numbers and OPTIONAL columns last."""
    optional = _optional(frame)
    names = [name for name in frame.columns if name not in optional]
    percents = [name for name in names if columns.is_percent(str(name)) and configs[name]["kind"] == "number"]
    first_number = next(
        (
            i
            for i, name in enumerate(names)
            if configs[name].get("format") != "%d" and configs[name]["kind"] == "number"
        ),
        None,
    )
    if percents and first_number is not None:
        rest = [name for name in names if name not in percents]
        at = rest.index(names[first_number]) if names[first_number] in rest else len(rest)
        names = rest[:at] + percents + rest[at:]
    return names + optional


def _optional(frame: pd.DataFrame) -> list[str]:
    """The OPTIONAL columns of a table with a servicio in it (a table per ministerio keeps its Ministerio)."""
    if "Servicio" not in frame.columns and "Servicio ID" not in frame.columns:
        return []
    return [
        name
        for name in OPTIONAL
        if name in frame.columns and not (name == "Servicio ID" and "Servicio" not in frame.columns)
    ]


def _px(chars: int) -> int:
    return int(chars * _CHAR_PX + _PAD_PX)


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
    """Shows tables with CSV / Excel / SQL beside each, and collects them for the page's workbook.

    Every download's bytes come from a zero-argument builder, built only when the button is clicked; the
    builders of the page's last run are kept in the session under DOWNLOADS, so a test can call each one.
    """

    def __init__(self, page: str, slug: str, snap: db.Snapshot, filters: Filters):
        self.page, self.slug, self.snap, self.filters = page, slug, snap, filters
        self.tables: dict[str, pd.DataFrame] = {}
        self.downloads: dict[str, Callable[[], bytes]] = {}
        st.session_state[DOWNLOADS] = self.downloads
        self._slot = st.container()

    def table(
        self,
        result: queries.Result,
        title: str,
        key: str,
        explanation: str | None = None,
        full_text: bool | list[str] = False,
    ) -> None:
        """`full_text` lists every row with every cell in full (one ficha's sections) instead of a scrollable grid;
        a list gives the text of each row, as the page words it."""
        st.header(title)
        if explanation:
            explain(explanation)
        frame = result.frame
        if frame.empty:
            st.info("No hay filas para el filtro actual.")
        elif isinstance(full_text, list):
            for block in full_text:
                st.text(block)  # ficha text: never markdown
        elif full_text:
            show_text(frame)
        else:
            show_frame(frame, f"{key}_tabla", title)
        self.table_downloads(frame, title, key)
        sql = st.expander("Ver SQL", key=f"{key}_sql", on_change="rerun")
        if sql.open:  # drawn only when opened: two highlighted code blocks a table cost every view otherwise
            sql.code(result.sql, language="sql")
            sql.code(result.params_sql(), language="sql")
        self.tables[title] = frame

    def table_downloads(self, frame: pd.DataFrame, title: str, key: str) -> None:
        """The CSV and Excel buttons of one table."""
        left, right, _ = st.columns([1, 1, 4])
        self._button(left, "CSV", f"{key}.csv", "text/csv", lambda: downloads.csv_bytes(frame), f"{key}_csv")
        self._button(right, "Excel", f"{key}.xlsx", XLSX, lambda: downloads.xlsx_bytes({title: frame}), f"{key}_xlsx")

    def workbook_button(self) -> None:
        """Offer, at the top of the page, one workbook with every table shown and a first sheet saying what it is."""
        tables = dict(self.tables)

        def workbook() -> bytes:
            files = queries.source_files(self.snap, self.filters).frame["Archivo"].tolist()
            return downloads.page_workbook(self.page, describe(self.snap, self.filters), files, datetime.now(), tables)

        self._button(
            self._slot,
            "Descargar todas las tablas de la página (Excel)",
            f"{self.slug}.xlsx",
            XLSX,
            workbook,
            "page_workbook",
            ":material/table_view:",
        )

    def _button(self, where, label, file_name, mime, build, key, icon=":material/download:") -> None:
        self.downloads[file_name] = build
        where.download_button(label, data=build, file_name=file_name, mime=mime, key=key, on_click="ignore", icon=icon)
