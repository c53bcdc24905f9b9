"""Rows as text for DuckDB's CSV reader: a line per row, fields apart by the unit separator, NULL written as the
record separator, a line break inside a value (a mission's paragraphs) as the group separator.

A parsed ficha's rows cross from a worker process as one text per table, and DuckDB reads them in C (loader.
`_read_row_text`), rather than as a million Python objects pickled, unpickled and converted one by one: that was
most of a build's time. Nothing else is quoted or escaped: every text stored in these tables went through
`text.clean`, which drops control characters, so no value holds a separator. `encode` checks it all the same, so a
value that broke the rule would reject its file, never shift a column.
"""

FIELD = "\x1f"
NULL = "\x1e"
LINE_BREAK = "\x1d"
ROW = "\n"


class RowTextError(ValueError):
    """A value holds a separator: a bug upstream (text.clean lets none through), not a problem of the input."""


def encode(records: list[tuple], prefix: str | None = None) -> bytes:
    """Each record as a row, after `prefix` (the ficha's id) when given: None as NULL, booleans as True/False."""
    if not records:
        return b""
    start = "" if prefix is None else prefix.replace("%", "%%") + FIELD
    pattern = start + FIELD.join(["%s"] * len(records[0]))  # `%` writes each value as `str` would
    rows = [pattern % (record if None not in record else _with_nulls(record)) for record in records]
    text = ROW.join(rows) + ROW
    if text.count(ROW) != len(rows):  # some value has line breaks
        text = ROW.join([row.replace(ROW, LINE_BREAK) for row in rows]) + ROW
    if not _well_formed(text, records, rows, len(records[0]) + (prefix is not None)):
        raise RowTextError("Un valor contiene un carácter de control que la carga no admite.")
    return text.encode()


def _with_nulls(record: tuple) -> tuple:
    return tuple([NULL if value is None else value for value in record])


def _well_formed(text: str, records: list[tuple], rows: list[str], fields: int) -> bool:
    """Every separator in `text` is one `encode` wrote: a field separator between fields, a NULL marker per None,
    a LINE_BREAK per line break in a value, and no carriage return (which the reader would take for a line break).
    (A value's own line breaks are all written as LINE_BREAK, so the lines are the rows.)"""
    if text.count(FIELD) != len(records) * (fields - 1) or "\r" in text:
        return False
    if NULL in text and text.count(NULL) != sum(map(tuple.count, records, [None] * len(records))):
        return False
    return LINE_BREAK not in text or text.count(LINE_BREAK) == sum(row.count(ROW) for row in rows)
