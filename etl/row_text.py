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
    start = "" if prefix is None else prefix + FIELD
    rows = [f"{start}{FIELD.join([NULL if value is None else str(value) for value in record])}" for record in records]
    text = ROW.join(rows) + ROW if rows else ""
    if text.count(ROW) != len(rows) and LINE_BREAK not in text:  # a value has line breaks: written as LINE_BREAK
        text = ROW.join([row.replace(ROW, LINE_BREAK) for row in rows]) + ROW
    if rows and not _well_formed(text, records, prefix is not None):
        raise RowTextError("Un valor contiene un carácter de control que la carga no admite.")
    return text.encode()


def _well_formed(text: str, records: list[tuple], prefixed: bool) -> bool:
    """Every separator in `text` is one `encode` wrote: a line per record, a field separator between fields, a
    NULL marker per None, no carriage return (which the reader would take for a line break), and a LINE_BREAK
    only where a value had a line break (none other: it would be read back as one)."""
    rows, fields = len(records), len(records[0]) + prefixed
    nulls = sum(record.count(None) for record in records)
    breaks = (
        sum(value.count(ROW) for record in records for value in record if type(value) is str)
        if LINE_BREAK in text
        else 0
    )
    return (
        text.count(ROW) == rows
        and text.count(FIELD) == rows * (fields - 1)
        and text.count(NULL) == nulls
        and text.count(LINE_BREAK) == breaks
        and "\r" not in text
    )
