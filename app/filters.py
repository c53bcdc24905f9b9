"""The sidebar filter as a small value: parsed from the URL, narrowed into options, turned into SQL.

`DIMENSIONS` is the one table of filter dimensions. SQL text only ever names columns from it; every user value
travels as a named parameter.
"""

import re
import unicodedata
from dataclasses import dataclass, fields

import pandas as pd


@dataclass(frozen=True)
class Dimension:
    """One sidebar filter.

    `key` names the URL parameter, the widget, the `Filters` field and the SQL parameter; `column` is the
    column of `fichas` whose values it selects (it may differ from `key`). `option_label`, an SQL expression
    over `fichas f`, is what each option shows instead of the bare value (say, a partida with its name).
    `on_demand` lists the options only when the reader opens the filter: thousands of them (a servicio per
    option) cost every page view about 0,12 s of the browser's time to lay out, even closed.
    """

    key: str
    label: str  # Spanish, as the sidebar and the filter description say it
    column: str
    newest_first: bool = False  # options in descending order (years)
    option_label: str | None = None
    on_demand: bool = False

    def sql(self, alias: str = "f") -> str:
        """The column as text: selected values come from the URL and the widgets as strings."""
        return f"cast({alias}.{self.column} as varchar)"


# A partida reads as its official name in its most recent year: "09 · Ministerio de Educación".
_PARTIDA_LABEL = "f.partida || ' · ' || arg_max(f.ministerio_nombre, f.anio) over (partition by f.partida)"
# A service reads as its name; when another service (another partida-capítulo) bears the same name, its id follows.
_SERVICIO_LABEL = """case
        when min(f.servicio_id) over (partition by f.servicio_nombre)
             = max(f.servicio_id) over (partition by f.servicio_nombre) then f.servicio_nombre
        else f.servicio_nombre || ' (' || f.servicio_id || ')'
    end"""

# In sidebar order. Each filters an identity (the URL carries it: `?servicio=09-21`), never a name as written.
DIMENSIONS = (
    Dimension("ministerio", "Ministerio", "ministerio_nombre"),
    Dimension("partida", "Partida", "partida", option_label=_PARTIDA_LABEL),
    Dimension("servicio", "Servicio", "servicio_id", option_label=_SERVICIO_LABEL, on_demand=True),
    Dimension("anio", "Año", "anio", newest_first=True),
)
KEYS = tuple(dimension.key for dimension in DIMENSIONS)
_BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}
MAX_URL_VALUES = 200
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f`\\]")


@dataclass(frozen=True)
class Filters:
    """Selected values per dimension; an empty tuple means 'all'."""

    ministerio: tuple[str, ...] = ()
    partida: tuple[str, ...] = ()
    servicio: tuple[str, ...] = ()
    anio: tuple[str, ...] = ()

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(field.name, getattr(self, field.name)) for field in fields(self)]

    def describe(self, labels: dict[str, dict[str, str]] | None = None) -> str:
        """Spanish one-liner of the filter, for page captions and the workbook's first sheet.

        `labels` (from `option_labels`) names each value as its option does: a service by its name, not its id.
        """
        labels = labels or {}
        parts = [
            f"{_BY_KEY[name].label}: {', '.join(labels.get(name, {}).get(value, value) for value in values)}"
            for name, values in self.items()
            if values
        ]
        return "; ".join(parts) if parts else "Sin filtros (todas las fichas)"


def where_clause(filters: Filters, alias: str = "f") -> tuple[str, dict[str, list[str]]]:
    """`(sql, params)` restricting fichas aliased `alias` to the filter; `true` when nothing is selected.

    Each selected dimension is one named parameter, called as the dimension:

    >>> where_clause(Filters(partida=("09",)))
    ('list_contains($partida, cast(f.partida as varchar))', {'partida': ['09']})
    """
    clauses, params = [], {}
    for name, values in filters.items():
        if values:
            clauses.append(f"list_contains(${name}, {_BY_KEY[name].sql(alias)})")
            params[name] = list(values)
    return (" and ".join(clauses) or "true"), params


def from_url(params: dict[str, list[str]], known: dict[str, set[str]]) -> tuple[Filters, list[str]]:
    """Filters from URL query values, keeping only known values; also returns a notice per ignored value."""
    chosen: dict[str, tuple[str, ...]] = {}
    ignored: list[str] = []
    for dimension in DIMENSIONS:
        name = dimension.key
        distinct = list(dict.fromkeys(value for value in params.get(name, []) if value != ""))  # `?anio=`: all
        values, known_here = distinct[:MAX_URL_VALUES], known.get(name, set())
        chosen[name] = tuple(value for value in values if value in known_here)
        ignored += [f"{dimension.label} = {printable(value)}" for value in values if value not in known_here]
        if len(distinct) > MAX_URL_VALUES:
            ignored.append(f"{dimension.label}: más de {MAX_URL_VALUES} valores distintos (se leyeron los primeros)")
    return Filters(**chosen), ignored


def to_url(filters: Filters) -> dict[str, list[str]]:
    """The URL query values of a filter, in sidebar order; a dimension with nothing selected is left out."""
    return {name: list(values) for name, values in filters.items() if values}


def printable(value: str, limit: int = 40) -> str:
    """A user-supplied value made safe to quote in a notice: no control characters, backticks, or length.

    Invisible format characters (Unicode category Cf: the bidi controls U+202A-U+202E, U+2066-U+2069 and
    U+200E/F, zero-width spaces and joiners, BOM) are dropped: a right-to-left override would make the
    notice read backwards, and a zero-width space would make an unknown value look like a known one.
    """
    visible = "".join(char for char in value if unicodedata.category(char) != "Cf")
    text = _UNPRINTABLE.sub("�", visible)
    return f"`{text[:limit]}{'…' if len(text) > limit else ''}`"


def options(fichas: pd.DataFrame, filters: Filters) -> dict[str, pd.Series]:
    """For each dimension, the count of fichas per value among those matching the *other* dimensions.

    Values already selected stay listed (with their count, possibly 0) so a selection is never dropped.
    A dimension whose options show a label is listed in the order of its labels (services by name, not id).
    """
    labels = option_labels(fichas)
    result = {}
    for dimension in DIMENSIONS:
        name = dimension.key
        counts = fichas.loc[matching(fichas, filters, but=name), name].value_counts()
        selected = [value for value in getattr(filters, name) if value not in counts.index]
        counts = pd.concat([counts, pd.Series(0, index=selected, dtype="int64")])
        counts = counts.sort_index(ascending=not dimension.newest_first)
        if labels[name]:
            order = sorted(counts.index, key=lambda value, shown=labels[name]: (shown.get(value, value), value))
            counts = counts.reindex(order)
        result[name] = counts
    return result


def matching(fichas: pd.DataFrame, filters: Filters, but: str | None = None) -> pd.Series:
    """Which rows of the fichas index the filter keeps (leaving out the dimension `but`): `where_clause` in pandas."""
    mask = pd.Series(True, index=fichas.index)
    for name, values in filters.items():
        if name != but and values:
            mask &= fichas[name].isin(values)
    return mask


def label_column(dimension: Dimension) -> str:
    """The column of the fichas index holding a dimension's option labels."""
    return f"{dimension.key}_label"


def option_labels(fichas: pd.DataFrame, dimensions: tuple[Dimension, ...] = DIMENSIONS) -> dict[str, dict[str, str]]:
    """For each dimension, value -> the text its option shows when it has an `option_label` (else nothing)."""
    labels = {}
    for dimension in dimensions:
        if dimension.option_label is None or label_column(dimension) not in fichas:
            labels[dimension.key] = {}
        else:
            first = fichas.drop_duplicates(dimension.key)
            labels[dimension.key] = dict(zip(first[dimension.key], first[label_column(dimension)], strict=True))
    return labels
