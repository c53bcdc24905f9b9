"""What a column holds, told by its Spanish header: the screen tables and the downloads both read it here.

Queries name their columns as users read them (app/queries.py); these rules turn a header into a kind:
codes stay text (`09` is not 9, `2025-09-14` is not a date), years are integers without a thousands separator,
`%` columns are percentages between 0 and 100, true/false is Sí/No.
"""

import pandas as pd

# Identifiers that look like numbers or dates but are text: partida `09`, capítulo `01`, ficha `2021-05-70`.
CODES = frozenset({"Partida", "Capítulo", "Ficha", "Servicio ID", "Partida-capítulo"})
YES, NO = "Sí", "No"


def is_code(header: str) -> bool:
    return header in CODES


def is_name(header: str) -> bool:
    """`Servicio`, `Ministerio` and their as-written forms: names, long at times, never prose to wrap."""
    return header.split(" (")[0] in ("Servicio", "Ministerio")


def is_year(header: str) -> bool:
    """`Año`, `Año desde`, `Año hasta`."""
    return header == "Año" or header.startswith("Año ")


def is_percent(header: str) -> bool:
    """`% con enfoque de género`: a share already multiplied by 100."""
    return header.startswith("%") or header.endswith("(%)")


def yes_no(frame: pd.DataFrame) -> pd.DataFrame:
    """True/false columns as the words users read; other columns untouched (a copy only when something changes)."""
    flags = [name for name in frame.columns if pd.api.types.is_bool_dtype(frame[name])]
    if not flags:
        return frame
    frame = frame.copy()
    for name in flags:
        frame[name] = frame[name].map({True: YES, False: NO})
    return frame
