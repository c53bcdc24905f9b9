"""Reassemble table rows from exported lines: tab or pipe cells, page breaks, wrapped cells."""

import re
from dataclasses import dataclass, field

from etl.text import fold, short_text_cache

_PIPE_RULE = re.compile(r"\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?")
_WIDE_GAP = re.compile(r"\t| {2,}")
# Real tables have at most a dozen columns; past this many separators the rest of the line stays in the last cell,
# so a line of millions of tabs costs one string, not millions.
MAX_CELLS = 64
NUMBER_COLUMNS = {"numero", "no", "n°", "n", "nro", "nro.", "n.o", "#", "num", "num."}
_LONGEST_NAME = max(map(len, NUMBER_COLUMNS))
_ASCII_SPACES_AND_COLON = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f:"  # what `fold(...).rstrip(":")` may drop of ASCII


def split_cells(line: str, wide_gaps: bool = False, limit: int = MAX_CELLS) -> list[str]:
    """Cells of one exported line: tab-separated, a markdown pipe row, or (if asked) 2+ spaces apart.

    Past `limit` separators, the last cell holds the rest of the line unsplit."""
    stripped = line.strip()
    if stripped.startswith("|"):
        body = stripped[1:-1] if stripped.endswith("|") and len(stripped) > 1 else stripped[1:]
        return list(map(str.strip, body.split("|", limit)))
    if "\t" in line:
        return list(map(str.strip, line.rstrip("\n").split("\t", limit)))
    if wide_gaps:
        return list(map(str.strip, _WIDE_GAP.split(stripped, limit)))
    return [stripped]


def is_pipe_rule(line: str) -> bool:
    """The `|---|---|` line under a markdown table header."""
    return "--" in line and _PIPE_RULE.fullmatch(line.strip()) is not None


def header_cells(line: str) -> tuple[str, ...] | None:
    """Folded cells if `line` is a table header row (`Número<TAB>Descripción...`), else None."""
    stripped = line.strip()
    # The first cell must fold to a number column's name, and every name starts with `n` or `#`. Folding keeps an
    # ASCII first character (lower-cased), so most rows and prose stop here. The first cell is empty when a tab
    # comes before the line's text (no header either), and a pipe row's first cell comes after its `|`.
    if stripped[:1].isascii() and stripped[:1] not in "nN#|":
        return None
    return _header_row(line)


@short_text_cache(maxsize=1024)  # fichas share a handful of header rows
def _header_row(line: str) -> tuple[str, ...] | None:
    """`header_cells` for a line that may be a header."""
    # Tab and pipe lines split the same either way; any other line is one cell unless split at wide gaps.
    wide = "\t" not in line and not line.strip().startswith("|")
    # Look at the first cell alone, and split and fold the whole line only when it names the number column.
    first = split_cells(line, wide, 1)[0]
    if first.isdigit() or _too_long_for_a_name(first) or fold(first).rstrip(":") not in NUMBER_COLUMNS:
        return None
    cells = split_cells(line, wide)
    return tuple(map(fold, cells)) if len(cells) >= 2 else None


def _too_long_for_a_name(cell: str) -> bool:
    """Whether `fold(cell).rstrip(":")` is surely longer than any number column's name, without folding a paragraph.

    Folding keeps every ASCII character but white space and trailing colons (and may add, never drop, others)."""
    return len(cell) > _LONGEST_NAME and (
        len(cell.encode("ascii", "ignore").translate(None, _ASCII_SPACES_AND_COLON)) > _LONGEST_NAME
    )


# One numbered row: the line it starts on and its cells' texts (a wrapped cell's pieces joined by a space). A plain
# tuple: a ficha has dozens of rows, and a named tuple costs a Python call to build.
Row = tuple[int, list[str]]


@dataclass
class Table:
    """Rows under one header. A row is complete when it has the header's number of cells;
    a line that does not start a new numbered row continues the open cell."""

    kind: str
    header: tuple[str, ...]
    header_line: int
    wide_gaps: bool = False
    rows: list[Row] = field(default_factory=list)

    def add_line(self, line: str, linea: int, numbered: bool) -> bool:
        """Take one non-blank line; False when the line is not part of this table.

        A `numbered` line (its text, after a pipe row's `|`, starts with an ASCII digit) is no pipe rule, and no
        repeated header either: its first cell is empty or folds to text starting with that digit, never to a number
        column's name."""
        if not numbered and is_pipe_rule(line):
            return True
        cells = split_cells(line, self.wide_gaps)
        if not numbered and self._is_header(cells):
            return True  # header repeated after a page break
        rows = self.rows
        number = cells[0].removesuffix(".")
        # A row starts with its number, `12` or `12.` (up to five digits), and a second cell, unless the open row is
        # short of the header's cells and the line does not overflow it (see `_overflows`).
        numbers_a_row = len(cells) >= 2 and number.isdecimal() and len(number) <= 5
        if numbers_a_row and (
            not rows or len(rows[-1][1]) >= len(self.header) or self._overflows(rows[-1][1], number, cells)
        ):
            rows.append((linea, cells))
            return True
        if not rows:
            return False
        _continue(rows[-1][1], cells)
        return True

    def _is_header(self, cells: list[str]) -> bool:
        """Same as comparing every folded cell with the header, but stops at the first cell that differs."""
        if len(cells) != len(self.header) or cells[0].isdigit():  # a row number never folds to a column name
            return False
        return all(fold(c) == h for c, h in zip(cells, self.header, strict=True))

    def _overflows(self, open_cells: list[str], number: str, cells: list[str]) -> bool:
        """Whether a numbered line starts a new row after a short open row: when it numbers the next row and merging
        it would give the open row more cells than the header."""
        previous = open_cells[0].rstrip(".")
        is_next = previous.isdigit() and int(number) == int(previous) + 1
        return is_next and len(open_cells) + len(cells) - 1 > len(self.header)


def _continue(open_cells: list[str], cells: list[str]) -> None:
    """A wrapped line: its first cell goes on the open row's last cell (after a space, if both have text); the rest
    are the row's next cells."""
    if piece := cells[0]:
        open_cells[-1] = f"{open_cells[-1]} {piece}" if open_cells[-1] else piece
    open_cells += cells[1:]
