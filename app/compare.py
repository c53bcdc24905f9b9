"""What changed in one service's definitions between two years: items paired by text, not by number.

Numbers shift when an objective is removed (the third becomes the second), so an item of one year is paired with
the most similar item of the other year of the same section, most similar pairs first, when their similarity
reaches `THRESHOLD`. Pure functions over plain values: no Streamlit, no database.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from formatting import decimal

THRESHOLD = 0.6  # two texts at least this similar (0 to 1) are the same item, edited
SHORT_CHARS = 90  # a text on screen is cut near this length; `detail` and the downloads have it whole
SINGLE_SECTIONS = ("Misión",)  # one per ficha: always the same item, however much it changed
NUEVO, ELIMINADO, MODIFICADO, SIN_CAMBIOS = "Nuevo", "Eliminado", "Modificado", "Sin cambios"
COLUMNS = [
    "Sección",
    "Estado",
    "Número antes",
    "Número después",
    "Texto antes",
    "Texto después",
    "Similitud",
    "Cambios",
]

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Item:
    """One objective, product, client or mission in one year; `detalle` holds what is not text (flags, quantity)."""

    numero: int | None
    texto: str
    detalle: str = ""


@dataclass(frozen=True)
class Change:
    estado: str
    antes: Item | None
    despues: Item | None
    similitud: float | None  # 0 to 1; None for an item found in one year only
    cambios: str = ""


def words(text: str) -> list[str]:
    """The words of a text, as compared: lower case, without accents, punctuation or spacing."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _WORD.findall(plain)


def similarity(before: str, after: str) -> float:
    """Share of words the two texts have in common, in order (difflib's ratio over words)."""
    a, b = words(before), words(after)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def word_changes(before: str, after: str) -> str:
    """The words that changed, as text: `− palabras quitadas / + palabras nuevas`, one group per change."""
    old, new = before.split(), after.split()
    matcher = difflib.SequenceMatcher(None, [" ".join(words(w)) for w in old], [" ".join(words(w)) for w in new],
                                      autojunk=False)  # fmt: skip
    groups = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = " ".join(old[i1:i2]), " ".join(new[j1:j2])
        groups.append(" / ".join(part for part in (removed and f"− {removed}", added and f"+ {added}") if part))
    return "; ".join(groups)


def pair(before: list[Item], after: list[Item], threshold: float = THRESHOLD) -> list[Change]:
    """Every item of both years once: paired (Modificado / Sin cambios) or alone (Eliminado / Nuevo).

    Greedy by similarity: the most similar pair is taken first, then the most similar among the items left,
    which is optimal enough for the handful of items a section has (and exact matches always pair).
    """
    scored = sorted(
        (
            (similarity(a.texto, b.texto), -abs((a.numero or 0) - (b.numero or 0)), i, j)
            for i, a in enumerate(before)
            for j, b in enumerate(after)
        ),
        reverse=True,
    )
    used_before, used_after, changes = set(), set(), []
    for score, _, i, j in scored:
        if score < threshold:
            break
        if i in used_before or j in used_after:
            continue
        used_before.add(i)
        used_after.add(j)
        changes.append(_paired(before[i], after[j], score))
    changes += [Change(ELIMINADO, item, None, None) for i, item in enumerate(before) if i not in used_before]
    changes += [Change(NUEVO, None, item, None) for j, item in enumerate(after) if j not in used_after]
    return sorted(changes, key=_position)


def _paired(before: Item, after: Item, score: float) -> Change:
    same_text = words(before.texto) == words(after.texto)
    if same_text and before.detalle == after.detalle:
        return Change(SIN_CAMBIOS, before, after, score)
    if same_text:
        text = ""
    elif score < THRESHOLD:  # a mission written anew: a word list would be the whole text twice
        text = "Texto reescrito"
    else:
        text = word_changes(before.texto, after.texto)
    details = detail_changes(before.detalle, after.detalle)
    return Change(MODIFICADO, before, after, score, "; ".join(part for part in (text, details) if part))


def detail_changes(before: str, after: str) -> str:
    """`Enfoque de género: No → Sí` for each `Nombre: valor` part (parts joined by ` · `) that changed."""
    old, new = (dict(part.split(": ", 1) for part in text.split(" · ") if ": " in part) for text in (before, after))
    return "; ".join(
        f"{name}: {old.get(name, '—')} → {new.get(name, '—')}"
        for name in dict.fromkeys([*old, *new])
        if old.get(name) != new.get(name)
    )


def _position(change: Change) -> tuple[int, int]:
    """In the order of the later year, each removed item just before the one that now holds its number."""
    if change.despues is not None:
        return (change.despues.numero or 0, 0)
    return (change.antes.numero or 0, -1)


def compare(items: pd.DataFrame, before_year: int, after_year: int, sections: list[str]) -> pd.DataFrame:
    """The changes table of one service: `items` has columns anio, seccion, numero, texto, detalle (one row per item).

    `sections` gives the order of the sections in the table; a section missing from both years has no rows.
    """
    rows = []
    for section in sections:
        chosen = items[items["seccion"] == section]
        before, after = (_items(chosen[chosen["anio"] == year]) for year in (before_year, after_year))
        threshold = 0.0 if section in SINGLE_SECTIONS else THRESHOLD
        for change in pair(before, after, threshold):
            rows.append(_row(section, change))
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("Número antes", "Número después"):
        table[column] = table[column].astype("Int64")
    table["Similitud"] = table["Similitud"].astype("float64")
    return table


def _items(frame: pd.DataFrame) -> list[Item]:
    return [
        Item(None if pd.isna(row.numero) else int(row.numero), row.texto, "" if pd.isna(row.detalle) else row.detalle)
        for row in frame.itertuples(index=False)
    ]


def _shown(item: Item | None) -> str | None:
    if item is None:
        return None
    return f"{item.texto} [{item.detalle}]" if item.detalle else item.texto


def _row(section: str, change: Change) -> dict:
    return {
        "Sección": section,
        "Estado": change.estado,
        "Número antes": change.antes.numero if change.antes else None,
        "Número después": change.despues.numero if change.despues else None,
        "Texto antes": _shown(change.antes),
        "Texto después": _shown(change.despues),
        "Similitud": None if change.similitud is None else round(100 * change.similitud, 1),
        "Cambios": change.cambios or None,
    }


def summary(table: pd.DataFrame) -> list[str]:
    """One line per change of a `compare` table, in full, to read without the grid:

    `Modificado · Objetivo institucional 4 → 3: − expedita / + eficiente`.
    """
    lines = []
    for row in table[table["Estado"] != SIN_CAMBIOS].to_dict("records"):
        what = {MODIFICADO: row["Cambios"], ELIMINADO: row["Texto antes"], NUEVO: row["Texto después"]}[row["Estado"]]
        lines.append(f"{row['Estado']} · {label(row)}: {what}")
    return lines


def numbers(row: dict) -> str:
    """An item's number in each year, once when it kept it: `4 → 3`, `2`, or "" (the mission has none)."""
    found = [None if pd.isna(row[column]) else int(row[column]) for column in ("Número antes", "Número después")]
    return " → ".join(str(n) for n in dict.fromkeys(found) if n is not None)


def label(row: dict) -> str:
    """`Objetivo institucional 4 → 3`: the section and the numbers of one row of a `compare` table."""
    where = numbers(row)
    return f"{row['Sección']} {where}" if where else row["Sección"]


def short(text: str | None) -> str | None:
    """A text cut at the last word before SHORT_CHARS, with `…` when something was left out."""
    if text is None or pd.isna(text) or len(text) <= SHORT_CHARS:
        return text
    return text[:SHORT_CHARS].rsplit(" ", 1)[0].rstrip(" ,;.") + " …"


def on_screen(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as a reader scans it: one row per item, its numbers in one column, the texts cut short.
    The whole texts and the changed words are in `detail` and in the downloads (the `compare` table itself)."""
    records = table.to_dict("records")
    return pd.DataFrame(
        {
            "Sección": table["Sección"],
            "Número": pd.array([numbers(row) or None for row in records], dtype="string"),
            "Estado": table["Estado"],
            "Similitud (%)": table["Similitud"],
            "Antes": pd.array([short(row["Texto antes"]) for row in records], dtype="string"),
            "Después": pd.array([short(row["Texto después"]) for row in records], dtype="string"),
        }
    )


def detail(row: dict, before_year: int, after_year: int) -> str:
    """One item in full, as plain text: each year's text, the similarity and what changed."""
    similarity = "—" if pd.isna(row["Similitud"]) else f"{decimal(row['Similitud'])} %"
    parts = [
        f"{label(row)} · {row['Estado']}",
        f"{before_year}: {_or_missing(row['Texto antes'])}",
        f"{after_year}: {_or_missing(row['Texto después'])}",
        f"Similitud: {similarity}",
    ]
    if not pd.isna(row["Cambios"]):
        parts.append(f"Cambios: {row['Cambios']}")
    return "\n\n".join(parts)


def _or_missing(text: str | None) -> str:
    return "(no está en la ficha de este año)" if text is None or pd.isna(text) else text
