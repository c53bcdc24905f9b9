"""Long tables on screen: one page of rows, chosen by searching and sorting the whole table on the server.

A table of 10.000–100.000 rows streamed to the browser sent its first 1.000 rows on every view (900 KB on
Clientes) for a reader who looks at the first screenful, sorts it, or looks for one service. So the screen shows
`PAGE_ROWS` rows; «Buscar» and «Ordenar por» work on every row before the page is cut (the grid's own header
sort only reorders the rows on screen), and the downloads beside the table keep every row.
"""

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import streamlit as st

from formatting import integer

PAGE_ROWS = 100
TABLE_ORDER = None  # the «Ordenar por» option that keeps the query's own order
# Search ignores case and these accents: "educacion" finds "Educación", "nino" finds "niño".
_FOLDS = (("á", "a"), ("é", "e"), ("í", "i"), ("ó", "o"), ("ú", "u"), ("ü", "u"), ("ñ", "n"))


@dataclass(frozen=True)
class Page:
    rows: pd.DataFrame  # what the screen shows
    note: str  # which rows those are, in Spanish
    matching: int  # rows the search keeps (all of them without a search)


def widget_keys(key: str) -> tuple[str, str]:
    """The session keys of the search and sort controls of the table keyed `key`."""
    return f"{key}_buscar", f"{key}_orden"


def page(frame: pd.DataFrame, key: str) -> Page:
    """Draw the search and sort controls of a long table and return the page of rows they choose."""
    search_key, order_key = widget_keys(key)
    search_column, order_column = st.columns([3, 2])
    text = search_column.text_input(
        "Buscar en la tabla",
        key=search_key,
        max_chars=200,
        placeholder="Parte de un nombre, una ficha, un texto…",
        help="Busca en las columnas de texto de todas las filas, sin distinguir mayúsculas ni tildes.",
    )
    orders = sort_options(frame)
    order = order_column.selectbox(
        "Ordenar por",
        list(orders),
        format_func=orders.get,
        key=order_key,
        help="Ordena todas las filas (las que deja la búsqueda) antes de mostrar las primeras.",
    )
    return choose(frame, text, order)


def choose(frame: pd.DataFrame, text: str, order: tuple[str, bool] | None) -> Page:
    """The first PAGE_ROWS rows of `frame` that contain `text`, sorted by `order` (column, descending)."""
    kept = frame[contains(frame, text)] if text.strip() else frame
    if order is not None:
        column, descending = order
        kept = kept.sort_values(
            column, ascending=not descending, na_position="last", kind="stable", key=_sort_key(kept[column])
        )
    shown = kept.head(PAGE_ROWS)
    found = f" que coinciden con la búsqueda (de {integer(len(frame))})" if text.strip() else ""
    note = (
        f"Se muestran {integer(len(shown))} de {integer(len(kept))} filas{found}; descargue la tabla completa con los "
        "botones de abajo. «Buscar» y «Ordenar por» recorren todas las filas."
    )
    return Page(shown, note, len(kept))


def sort_options(frame: pd.DataFrame) -> dict[tuple[str, bool] | None, str]:
    """«Ordenar por»: the query's own order first, then every column each way, (column, descending) -> label."""
    options: dict[tuple[str, bool] | None, str] = {TABLE_ORDER: "Como viene la tabla"}
    for name in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[name]) and not pd.api.types.is_bool_dtype(frame[name]):
            options |= {(name, True): f"{name} (de mayor a menor)", (name, False): f"{name} (de menor a mayor)"}
        else:
            options |= {(name, False): f"{name} (de la A a la Z)", (name, True): f"{name} (de la Z a la A)"}
    return options


def contains(frame: pd.DataFrame, text: str) -> pd.Series:
    """Rows where some text column contains `text`, ignoring case and accents (vectorised over Arrow)."""
    needle = _folded(pd.Series([text.strip()])).to_pylist()[0]
    found = pa.array([False] * len(frame))
    for name in frame.columns:
        if pd.api.types.is_string_dtype(frame[name]):
            found = pc.or_kleene(found, pc.fill_null(pc.match_substring(_folded(frame[name]), needle), False))
    return pd.Series(found.to_numpy(zero_copy_only=False), index=frame.index)


def _folded(texts: pd.Series) -> pa.Array:
    array = pc.utf8_lower(pa.array(texts.astype("str"), from_pandas=True))
    for accented, plain in _FOLDS:
        array = pc.replace_substring(array, accented, plain)
    return array


def _sort_key(column: pd.Series):
    """Texts sort as a reader expects (`Árbol` beside `arbol`, not after `Z`); other columns by value."""
    if not pd.api.types.is_string_dtype(column):
        return None
    return lambda texts: pd.Series(_folded(texts).to_pandas(), index=texts.index)
