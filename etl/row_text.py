"""Rows as text for DuckDB's CSV reader: a line per row, fields apart by the unit separator, NULL written as the
record separator, a line break inside a value (a mission's paragraphs) as the group separator.

A parsed ficha's rows cross from a worker process as one text per table, and DuckDB reads them in C (loader.
`_read_row_text`), rather than as a million Python objects pickled, unpickled and converted one by one: that was
most of a build's time. Nothing else is quoted or escaped: every text stored in these tables went through
`text.clean`, which drops control characters, so no value holds a separator. `encode` checks it all the same, so a
value that broke the rule would reject its file, never shift a column.
"""

from itertools import chain

FIELD = "\x1f"
NULL = "\x1e"
LINE_BREAK = "\x1d"
ROW = "\n"


class RowTextError(ValueError):
    """A value holds a separator: a bug upstream (text.clean lets none through), not a problem of the input."""


def encode(records: list[tuple], prefix: str | None = None) -> bytes:
    """Each record as a row, after `prefix` (the ficha's id) when given: None as NULL, booleans as True/False.

    The records are of one row type (tuples of one length)."""
    if not records:
        return b""
    start = "" if prefix is None else prefix.replace("%", "%%") + FIELD
    pattern = start + FIELD.join(["%s"] * len(records[0]))  # `%` writes each value as `str` would
    # All values in one tuple, formatted at once.
    values = tuple(chain.from_iterable(records))
    nulls = values.count(None)
    if nulls:
        values = tuple([NULL if value is None else value for value in values])
    data = ((pattern + ROW) * len(records) % values).encode()
    # The separators `encode` writes: a FIELD between fields and a ROW after each row (that is one per field), a NULL
    # per None. Values can only add to each kind, so the same total means no value added any.
    written = len(records) * (len(records[0]) + (prefix is not None)) + nulls
    if _separators(data) != written:  # a value has line breaks (a mission's paragraphs), or a separator
        width = len(records[0])
        rows = [pattern % values[at : at + width] for at in range(0, len(values), width)]
        line_breaks = sum(row.count(ROW) for row in rows)  # each written as LINE_BREAK, so the lines are the rows
        data = (ROW.join([row.replace(ROW, LINE_BREAK) for row in rows]) + ROW).encode()
        if not line_breaks or _separators(data) != written + line_breaks:
            raise RowTextError("Un valor contiene un carácter de control que la carga no admite.")
    return data


# What the reader takes for a separator: those `encode` writes, and a carriage return (a line break to the reader).
_SEPARATORS = (FIELD + NULL + LINE_BREAK + ROW + "\r").encode()


def _separators(data: bytes) -> int:
    """How many separators `data` holds, in one pass (they are ASCII: no UTF-8 sequence holds their bytes)."""
    return len(data) - len(data.translate(None, _SEPARATORS))
