"""Reference data the ETL reads beside the fichas: official ministry names by partida and budget year."""

import csv
import functools
import re
from pathlib import Path
from typing import NamedTuple

from etl.text import fold

# Ley de Presupuestos names; docs/esquema.md gives the source. A year without a row falls back to the fichas' spelling.
PARTIDAS_CSV = Path(__file__).resolve().parent.parent / "data" / "partidas.csv"
_MINISTRY_PREFIX = re.compile(r"^ministerio (de las |de la |del |de )?")


class Partida(NamedTuple):
    partida: str
    desde: int | None
    hasta: int | None
    ministerio: str


@functools.cache
def partidas() -> tuple[Partida, ...]:
    """The rows of data/partidas.csv; an empty `desde` or `hasta` leaves that end open."""
    with PARTIDAS_CSV.open(encoding="utf-8", newline="") as handle:
        return tuple(
            Partida(row["partida"], int(row["desde"]) if row["desde"] else None,
                    int(row["hasta"]) if row["hasta"] else None, row["ministerio"])
            for row in csv.DictReader(handle)
        )  # fmt: skip


@functools.lru_cache(maxsize=4096)  # asked once per ficha: a few hundred partidas and years
def official_name(partida: str, anio: int) -> str | None:
    """The ministry's official name for that partida in that budget year, if the reference knows it."""
    for row in partidas():
        if row.partida == partida and (row.desde or anio) <= anio <= (row.hasta or anio):
            return row.ministerio
    return None


def equivalent_official(partida: str, written: str) -> str | None:
    """The official name, in any year, of the ministry `written` names (the most recent such row), if any.

    A year the reference does not cover still gets the official spelling when the fichas name the same ministry:
    one ministry is one name across years, not `GOBIERNOS REGIONALES` in 2021 and `Gobiernos Regionales` from 2023.
    """
    rows = [row for row in partidas() if row.partida == partida and same_ministry(written, row.ministerio)]
    return max(rows, key=lambda row: row.hasta or 9999).ministerio if rows else None


def same_ministry(written: str, official: str) -> bool:
    """Equal once case, accents, spaces and a leading «Ministerio de» are ignored.

    `MINISTERIO DE EDUCACION` is `Ministerio de Educación`; so is `Educación`, which names the same ministry.
    """
    return _ministry_key(written) == _ministry_key(official)


@functools.lru_cache(maxsize=4096)  # a few spellings per ministry, asked once per ficha
def _ministry_key(name: str) -> str:
    return _MINISTRY_PREFIX.sub("", fold(name)).replace(" ", "")


def mismatch(ministerio: str, partida: str, anio: int) -> str | None:
    """Spanish warning when the written ministry is not its partida's official name in that year, else None."""
    official = official_name(partida, anio)
    if official is None or same_ministry(ministerio, official):
        return None
    return (
        f"El ministerio «{ministerio}» no corresponde a la partida {partida}, que en {anio} es «{official}»; "
        "la ficha se agrupa por su partida."
    )
