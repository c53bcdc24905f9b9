"""Numbers as written in Chile: `13.331`, `45,2 %`, `1.234,5`."""

import math


def integer(value) -> str:
    """13331 -> '13.331'; missing -> '—'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{int(value):,}".replace(",", ".")


def decimal(value, digits: int = 1) -> str:
    """1234.56 -> '1.234,6'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent(share, digits: int = 1) -> str:
    """0.452 -> '45,2 %' (a share between 0 and 1)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{decimal(share * 100, digits)} %"
