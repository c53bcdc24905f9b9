"""The sidebar filter as a small value: parsed from the URL, narrowed into options, turned into SQL.

SQL text only ever names columns from `DIMENSIONS`; every user value travels as a parameter.
"""

import re
from dataclasses import dataclass, fields

import pandas as pd

# URL parameter / widget key -> column of `fichas`, in sidebar order.
DIMENSIONS = {"ministerio": "ministerio", "partida": "partida", "servicio": "servicio", "anio": "anio"}
LABELS = {"ministerio": "Ministerio", "partida": "Partida", "servicio": "Servicio", "anio": "Año"}
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

    @property
    def active(self) -> bool:
        return any(values for _, values in self.items())

    def describe(self) -> str:
        """Spanish one-liner of the filter, for page captions and the workbook's first sheet."""
        parts = [f"{LABELS[name]}: {', '.join(values)}" for name, values in self.items() if values]
        return "; ".join(parts) if parts else "Sin filtros (todas las fichas)"


def where_clause(filters: Filters, alias: str = "f") -> tuple[str, dict[str, list[str]]]:
    """`(sql, params)` restricting fichas aliased `alias` to the filter; `true` when nothing is selected.

    Each selected dimension is one named parameter, called as the dimension:

    >>> where_clause(Filters(partida=("09",)))
    ('list_contains($partida, f.partida)', {'partida': ['09']})
    """
    clauses, params = [], {}
    for name, values in filters.items():
        if values:
            column = f"cast({alias}.{DIMENSIONS[name]} as varchar)" if name == "anio" else f"{alias}.{name}"
            clauses.append(f"list_contains(${name}, {column})")
            params[name] = list(values)
    return (" and ".join(clauses) or "true"), params


def from_url(params: dict[str, list[str]], known: dict[str, set[str]]) -> tuple[Filters, list[str]]:
    """Filters from URL query values, keeping only known values; also returns a notice per ignored value."""
    chosen: dict[str, tuple[str, ...]] = {}
    ignored: list[str] = []
    for name in DIMENSIONS:
        values = [value for value in params.get(name, [])[:MAX_URL_VALUES] if value != ""]  # `?anio=` means all
        valid = [value for value in dict.fromkeys(values) if value in known.get(name, set())]
        ignored += [f"{LABELS[name]} = {printable(value)}" for value in values if value not in known.get(name, set())]
        chosen[name] = tuple(valid)
    if any(len(params.get(name, [])) > MAX_URL_VALUES for name in DIMENSIONS):
        ignored.append(f"más de {MAX_URL_VALUES} valores en un parámetro")
    return Filters(**chosen), ignored


def printable(value: str, limit: int = 40) -> str:
    """A user-supplied value made safe to quote in a notice: no control characters, backticks, or length."""
    text = _UNPRINTABLE.sub("�", value)
    return f"`{text[:limit]}{'…' if len(text) > limit else ''}`"


def options(fichas: pd.DataFrame, filters: Filters) -> dict[str, pd.Series]:
    """For each dimension, the count of fichas per value among those matching the *other* dimensions.

    Values already selected stay listed (with their count, possibly 0) so a selection is never dropped.
    """
    result = {}
    for name in DIMENSIONS:
        mask = pd.Series(True, index=fichas.index)
        for other, values in filters.items():
            if other != name and values:
                mask &= fichas[other].isin(values)
        counts = fichas.loc[mask, name].value_counts()
        selected = [value for value in getattr(filters, name) if value not in counts.index]
        counts = pd.concat([counts, pd.Series(0, index=selected, dtype="int64")])
        result[name] = counts.sort_index(ascending=name != "anio")
    return result
