"""Streamlit pieces every page shares: the sidebar filter, tables with their downloads, safe text."""

import gc
import hashlib
import math
import numbers
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import NoReturn

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from app import columns, db, downloads, queries, registry, table_page
from app.filters import DIMENSIONS, KEYS, Dimension, Filters, from_url, option_labels, options, to_url
from formatting import integer

# Up to this many rows a table is sent whole, formatted by pandas Styler (`13.331`, `45,2`); Styler costs about
# 0,2 s per 1.000 rows on every rerun. Longer tables stay on the server: the screen shows a page of their rows
# (app/table_page.py), its numbers formatted by printf-style strings in the Chilean way too (`grid_layout`).
STYLED_ROWS = 300
MISSING = "—"
# A table's width at 1.400 px with the sidebar open, and how its columns share it (px, for the grid's font).
GRID_WIDTH = 920
_LAYOUT_ROWS = 2_000  # the rows a table's layout is measured on
# Measured in Chromium (canvas measureText, the grid's 14 px Source Sans): a name in capitals 7,0 px a character,
# a header in lower case 6,0 px, a digit 6,3 px.
_CHAR_PX, _HEADER_CHAR_PX, _PAD_PX, _LINE_PX = 7.2, 6.2, 26, 21
_WRAPPED_NAME_CHARS = 18
# A text column whose values are mostly (3 in 4) longer than this gets the spare width and rows tall enough to
# wrap; names, long at times, stay on one line.
_LONG_TEXT_CHARS = 60
_WRAPPED_CHAR_PX = 6.6  # the average character of wrapped prose
_MAX_LINES = 8
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


def _opened_on_demand(dimension: Dimension, chosen: int):
    """Where a filter's widget goes: a popover for an `on_demand` one (its button says how many are chosen, never
    which: names come from fichas, and a label is markdown), the sidebar itself for the others."""
    if not dimension.on_demand:
        return nullcontext()
    summary = "Todos" if not chosen else f"{integer(chosen)} elegido{'s' if chosen > 1 else ''}"
    return st.popover(f"{dimension.label}: {summary}", width="stretch", key=f"{dimension.key}_lista")


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
            with _opened_on_demand(dimension, len(state.get(name, []))):
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
    layout = grid_layout(shown, unstyled=long)
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


def grid_layout(frame: pd.DataFrame, unstyled: bool = False) -> GridLayout:
    """`_grid_layout` of `frame`, computed once per table content (measuring cost 6–40 ms of every view)."""
    sample = frame.head(_LAYOUT_ROWS)
    try:
        key = _layout_key(sample)
    except TypeError:  # cells pandas cannot hash (lists): measured every time
        return _grid_layout(sample, unstyled)
    return _cached_layout(key, unstyled, sample)


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
def _cached_layout(key: str, unstyled: bool, _sample: pd.DataFrame) -> GridLayout:
    """Keyed by `_layout_key` (`_sample` itself is not hashed); a copy per read: no table shares a layout object."""
    return _grid_layout(_sample, unstyled)


def _grid_layout(frame: pd.DataFrame, unstyled: bool = False) -> GridLayout:
    """Columns that fit GRID_WIDTH: numbers and codes as narrow as their shown values, percentages first among
    the numbers, prose sharing the spare width in rows tall enough to read it. Identity columns another one
    implies (OPTIONAL) leave the screen beside prose, and elsewhere when the table is wider than the screen; then,
    in turn: counts a percentage or a total implies (`_implied`) leave; headers, names and prose get narrower
    (`_SQUEEZES`); the last numbers leave.
    What leaves the screen stays in the downloads and in the grid's column menu.

    A long table (an unstyled page of its rows, `show_frame`) gets its number formats from printf-style strings
    (`%'.,d` is `13.331` whatever the browser's locale: sprintf-js takes the character after `'` as the thousands
    separator); a short one from the Styler (`styled`), which column_config would override, so only years get a
    format there. `frame` is what `grid_layout` measures: the table's first _LAYOUT_ROWS rows.
    """
    measures = {name: _measure(frame[name], str(name), unstyled) for name in frame.columns}
    order, hidden, squeeze = _fit(measures, _screen_order(frame, measures), _optional(frame), _implied(measures))
    prose = [name for name in order if measures[name].kind == "prose"]
    widths = {name: _width(measures[name], squeeze, wrapped=bool(prose)) for name in frame.columns}
    row_height, clipped = None, False
    if prose:
        fixed = sum(widths[name] for name in order if name not in prose)
        share = max(squeeze.text_px, (GRID_WIDTH - fixed) // len(prose))
        widths.update({name: share for name in prose})
        per_line = (share - _PAD_PX) / _WRAPPED_CHAR_PX
        lines = min(max(math.ceil(measures[name].typical / per_line) for name in prose), _MAX_LINES)
        row_height = max(lines, 3) * _LINE_PX + 16  # nine texts in ten whole; the rest says how to read it
        clipped = any(math.ceil(measures[name].longest / per_line) > max(lines, 3) for name in prose)
    else:
        _widen_names(widths, measures, order)
    built = {}
    for name, measure in measures.items():
        config: dict = {"width": int(widths[name])}
        if _header_px(measure.header) > widths[name]:  # cut on screen: hovering the header shows it whole
            config["help"] = str(name)
        if measure.kind == "year":
            config["format"] = "%d"
        elif measure.kind == "number" and unstyled:
            config["format"] = "%'.,d" if measure.integer else "%'.,.0f"
        make = st.column_config.TextColumn if measure.kind in ("text", "prose") else st.column_config.NumberColumn
        built[name] = make(**config)
    return GridLayout(built, order, hidden, row_height, clipped)


@dataclass(frozen=True)
class _Measure:
    """What the layout knows of one column: its kind and the length of its header and of its shown values."""

    kind: str  # "year", "number", "text" (one line: names, codes, labels) or "prose" (wrapped)
    header: int  # characters
    longest: int  # characters of its longest value as shown (`19.458.310`, `45,2`)
    typical: int = 0  # prose: the length nine values in ten do not exceed
    integer: bool = False


@dataclass(frozen=True)
class _Squeeze:
    """How narrow a column may get: the header characters a number or name keeps, a name's characters on one line,
    and a prose column's width (px)."""

    header_chars: int
    name_chars: int
    text_px: int


# Tried in turn, the first that fits wins; names shown whole on one line up to 34 characters, 18 when rows wrap.
_SQUEEZES = (_Squeeze(14, 34, 300), _Squeeze(14, 34, 220), _Squeeze(12, 28, 220), _Squeeze(10, 22, 200))


def _measure(column: pd.Series, header: str, unstyled: bool) -> _Measure:
    values = column.dropna()
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        if columns.is_year(header):
            return _Measure("year", len(header), 4, integer=True)
        integer = pd.api.types.is_integer_dtype(column)
        return _Measure("number", len(header), _number_chars(values, 0 if unstyled or integer else 1), integer=integer)
    lengths = values.astype(str).str.len()
    longest = int(lengths.max()) if len(lengths) else 1
    if len(lengths) and lengths.quantile(0.75) > _LONG_TEXT_CHARS and not columns.is_name(header):
        return _Measure("prose", len(header), longest, int(lengths.quantile(0.9, interpolation="lower")))
    return _Measure("text", len(header), longest)


def _number_chars(values: pd.Series, decimals: int) -> int:
    """Characters of the widest number as the table shows it (`-19.458.310,5`): the digits of the largest
    magnitude with its separators and decimals, and a sign when some value is negative."""
    if values.empty:
        return 1  # "—"
    largest = float(max(abs(values.max()), abs(values.min())))
    return len(f"{largest:,.{decimals}f}") + int(bool((values < 0).any()))


def _width(measure: _Measure, squeeze: _Squeeze, wrapped: bool) -> int:
    """A column's width under `squeeze`; prose gets its floor here and its share of the spare width later."""
    header = _header_px(min(measure.header, squeeze.header_chars))
    if measure.kind == "year":
        return max(_header_px(measure.header), _px(measure.longest))
    if measure.kind == "number":
        return max(header, _px(measure.longest))
    if measure.kind == "prose":
        return squeeze.text_px
    name_chars = min(squeeze.name_chars, _WRAPPED_NAME_CHARS) if wrapped else squeeze.name_chars
    return max(header, _px(min(measure.longest, name_chars)))


def _fit(
    measures: dict[str, _Measure], order: list[str], optional: list[str], implied: list[list[str]]
) -> tuple[list[str], list[str], _Squeeze]:
    """The columns on screen, those left off it, and the squeeze that makes them fit GRID_WIDTH."""
    order, hidden = list(order), []

    def fits(squeeze: _Squeeze) -> bool:
        wrapped = any(measures[name].kind == "prose" for name in order)
        return sum(_width(measures[name], squeeze, wrapped) for name in order) <= GRID_WIDTH

    def leave(*names: str) -> None:
        for name in names:
            order.remove(name)
            hidden.append(name)

    if any(measures[name].kind == "prose" for name in order):  # prose reads better wide: what is implied leaves
        leave(*[name for name in optional if name in order])
    for unit in [[name] for name in optional] + implied:
        if fits(_SQUEEZES[0]):
            break
        leave(*[name for name in unit if name in order])
    squeeze = next((squeeze for squeeze in _SQUEEZES if fits(squeeze)), _SQUEEZES[-1])
    while not fits(squeeze) and (numbers := [name for name in order if measures[name].kind == "number"]):
        counts = [name for name in numbers if not columns.is_percent(name)]
        leave((counts or numbers)[-1])  # the last count, then the last percentage
    return order, hidden, squeeze


def _implied(measures: dict[str, _Measure]) -> list[list[str]]:
    """Numbers other columns state, in the groups that leave the screen together, least needed first: the counts
    split by a value (`Género: Sí`, `Género: No`, …: all or none), which percentages summarise and the chart
    shows; then each count a percentage beside it gives with its total (`Ministeriales vinculados` beside
    `% ministeriales vinculados` and `Objetivos ministeriales`)."""
    numbers = [name for name, measure in measures.items() if measure.kind == "number"]
    percents = {name.removeprefix("% ").casefold() for name in numbers if name.startswith("% ")}
    split = [name for name in numbers if ": " in name]
    stated = [name for name in numbers if name.casefold() in percents]
    return ([split] if split else []) + [[name] for name in reversed(stated)]


def _widen_names(widths: dict[str, int], measures: dict[str, _Measure], order: list[str]) -> None:
    """Give the width left over to the texts cut on screen, so they show whole when the table has room."""
    full = {name: max(_header_px(measures[name].header), _px(measures[name].longest)) for name in order}
    short = {name: full[name] - widths[name] for name in order if measures[name].kind == "text"}
    short = {name: missing for name, missing in short.items() if missing > 0}
    spare = GRID_WIDTH - sum(widths[name] for name in order)
    if spare <= 0 or not short:
        return
    for name, missing in short.items():
        widths[name] += min(missing, spare * missing // sum(short.values()))


def _screen_order(frame: pd.DataFrame, measures: dict[str, _Measure]) -> list[str]:
    """The frame's order, with the percentages moved before the other numbers and OPTIONAL columns last."""
    optional = _optional(frame)
    names = [name for name in frame.columns if name not in optional]
    percents = [name for name in names if columns.is_percent(str(name)) and measures[name].kind == "number"]
    first_number = next((i for i, name in enumerate(names) if measures[name].kind == "number"), None)
    if percents and first_number is not None:
        rest = [name for name in names if name not in percents]
        at = len([name for name in names[:first_number] if name not in percents])
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


def _header_px(chars: int) -> int:
    return int(chars * _HEADER_CHAR_PX + _PAD_PX)


def _keep(keys) -> None:
    """Write back the values of widgets this run does not draw, so Streamlit keeps them for the run that does."""
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


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
    A table in a closed section (`section`) is not drawn, but still goes into the workbook: its query runs when
    the workbook is built.
    """

    def __init__(self, page: str, slug: str, snap: db.Snapshot, filters: Filters):
        self.page, self.slug, self.snap, self.filters = page, slug, snap, filters
        self.tables: dict[str, pd.DataFrame | Callable[[], pd.DataFrame]] = {}
        self._drawing = True
        self.downloads: dict[str, Callable[[], bytes]] = {}
        st.session_state[DOWNLOADS] = self.downloads
        self._slot = st.container()

    def sections(self, *labels: str) -> list:
        """The page's sections as tabs, of which only the open one runs and is drawn: what the browser spends on a
        view is building each chart, table and widget on screen. The open one is in the URL (`?<slug>_seccion=`),
        so a shared link opens where it was; a link without it opens on the first."""
        return list(st.tabs(list(labels), key=f"{self.slug}_seccion", bind="query-params"))

    @contextmanager
    def section(self, tab, keep: tuple[str, ...] = ()) -> Iterator[bool]:
        """Inside one of `sections`: yields whether it is open. Its tables are drawn when it is; when it is not,
        `table` only lists them for the page's workbook, and the choices of its widgets keyed in `keep` are kept
        for when it opens again (Streamlit forgets the value of a widget a run does not draw unless the script
        writes it back: "Interrupting the widget clean-up process")."""
        self._drawing = bool(tab.open)
        if not self._drawing:
            _keep(keep)
        try:
            with tab:
                yield self._drawing
        finally:
            self._drawing = True

    def table(
        self,
        result: queries.Result | Callable[[], queries.Result],
        title: str,
        key: str,
        explanation: str | None = None,
        full_text: bool | list[str] = False,
        screen: pd.DataFrame | None = None,
    ) -> None:
        """`full_text` lists every row with every cell in full (one ficha's sections) instead of a scrollable grid;
        a list gives the text of each row, as the page words it. `screen` is what the grid shows when it is not
        the whole table (texts cut short, fewer columns); the downloads keep the whole table. `result` may be the
        call that returns it: in a closed section it runs only if the workbook is downloaded."""
        if not self._drawing:
            _keep(table_page.widget_keys(f"{key}_tabla"))  # a long table's search and sort
            self.tables[title] = lambda: (result() if callable(result) else result).frame
            return
        if callable(result):
            result = result()
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
            show_frame(frame if screen is None else screen, f"{key}_tabla", title)  # its key: `_keep` above
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
        """Offer, at the top of the page, one workbook with every table of the page (closed sections too) and a first
        sheet saying what it is."""
        tables = dict(self.tables)

        def workbook() -> bytes:
            files = queries.source_files(self.snap, self.filters).frame["Archivo"].tolist()
            frames = {title: table() if callable(table) else table for title, table in tables.items()}
            return downloads.page_workbook(self.page, describe(self.snap, self.filters), files, datetime.now(), frames)

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
