"""Read a Formulario A1 PDF as the text export the parser reads, so one place still understands a ficha.

DIPRES publishes each ficha as a text-based PDF: a bold title, the identity block as a bordered four-column table,
bold headings, prose, and bordered tables that cross pages with their header row repeated. pdfplumber finds the
bordered tables from their ruling lines; this module writes each table row as one tab-separated line (text that
wraps inside a cell joined with spaces), every other line of text as a line, in reading order:

    FICHA DE DEFINICIONES ESTRATÉGICAS AÑO 2019-2022
    (Formulario A1) 2021
    MINISTERIO<TAB>MINISTERIO DE EDUCACION<TAB>PARTIDA<TAB>09
    Misión institucional
    Número<TAB>Descripción
    1<TAB>Mejorar la calidad de la educación en todos sus niveles.

Across a page break, the repeated header row is dropped and a row whose cells continue on the next page is joined
back into one. PDFs that cannot give that text are refused with a Spanish reason (`FichaError`).
"""

import bisect
import io
import logging
import re
import warnings

from etl.errors import FichaError
from etl.text import fold

MAX_PAGES = 50  # a ficha has a few pages; more is another document, and every page costs time
_HEAD_BYTES = 1024
_TAIL_BYTES = 2048
_PAGE_NUMBER = re.compile(r"(pagina|pag\.)?\s*\d{1,4}(\s*(de|/)\s*\d{1,4})?")
_UNMAPPED = "(cid:"  # what pdfminer writes for a glyph its font does not map to a character
# A gap between two text lines taller than this share of the line's height separates paragraphs.
PARAGRAPH_GAP = 0.5
PAGE_MARGIN = 0.08  # share of the page's height at its head and foot where page numbers are printed

NO_TEXT = "PDF sin texto (escaneado): requiere OCR. Use la ficha con texto seleccionable que publica DIPRES."
BLANK = "PDF sin texto: sus páginas están en blanco."
ENCRYPTED = "PDF protegido con contraseña: no se puede leer sin ella. Descargue de DIPRES la versión sin protección."
NOT_PDF = "El archivo tiene extensión .pdf pero no es un PDF (no empieza con «%PDF-»)."
TRUNCATED = "PDF truncado: el archivo termina antes de su marca final (%%EOF). Descárguelo de nuevo."
UNREADABLE = "PDF dañado o ilegible: su estructura interna está rota. Descárguelo de nuevo."
UNMAPPED = "El texto del PDF no se puede leer (fuentes sin tabla de caracteres): requiere OCR."


def pdf_text(content: bytes) -> str:
    """The text of a Formulario A1 PDF, line by line as a text export writes it; raises FichaError."""
    if b"%PDF-" not in content[:_HEAD_BYTES]:
        raise FichaError(NOT_PDF)
    if b"%%EOF" not in content[-_TAIL_BYTES:]:
        raise FichaError(TRUNCATED)
    writer = _read(content)
    if writer.chars == 0:
        raise FichaError(NO_TEXT if writer.images else BLANK)
    text = writer.text()
    if text.count(_UNMAPPED) > 20:
        raise FichaError(UNMAPPED)
    return text


def _read(content: bytes) -> "_Writer":
    """Every page through pdfplumber, one at a time; the library's failures become Spanish reasons."""
    # Imported here, not at the top: 0,13 s of imports that a build of text exports never needs.
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError
    from pdfplumber.utils.exceptions import PdfminerException

    for name in ("pdfminer", "pdfplumber"):  # they log every oddity of a PDF; the summary says what matters
        logging.getLogger(name).setLevel(logging.ERROR)
    writer = _Writer()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pdfplumber.open(io.BytesIO(content)) as pdf:
                pages = pdf.pages
                if len(pages) > MAX_PAGES:
                    raise FichaError(f"El PDF tiene {len(pages)} páginas; una ficha tiene pocas (máximo {MAX_PAGES}).")
                for page in pages:
                    try:
                        writer.page(page)
                    finally:
                        page.close()  # frees the page's parsed objects: memory stays one page's worth
    except FichaError:
        raise
    except PdfminerException as error:
        cause = error.args[0] if error.args else error
        raise FichaError(ENCRYPTED if isinstance(cause, PDFEncryptionError) else UNREADABLE) from None
    except Exception:  # a hostile file can break the PDF library in many ways; none may stop the build
        raise FichaError(UNREADABLE) from None
    return writer


class _Writer:
    """Collects the lines of every page in reading order, then joins them into the export's text."""

    def __init__(self):
        self.lines: list[str | list[str]] = []  # a table row stays a list of cells until the end: it may grow
        self.chars = 0
        self.images = 0
        self.header: list[str] | None = None  # header row of the table open across pages
        self.in_table = False  # the last thing written was a table row

    def page(self, page) -> None:
        from pdfplumber.utils import chars_to_textmap

        chars = page.chars
        self.chars += len(chars)
        self.images += len(page.images)
        tables = [_Grid(table) for table in page.find_tables({"explicit_horizontal_lines": _closing_rules(page)})]
        outside = [char for char in chars if not any(grid.take(char) for grid in tables)]
        lines = chars_to_textmap(outside).extract_text_lines(return_chars=False) if outside else []
        items = [(line["top"], line["bottom"], line["text"], None) for line in lines]
        items += [(grid.top, grid.bottom, None, grid.rows()) for grid in tables]
        bottom = None
        for top, line_bottom, text, rows in sorted(items, key=lambda item: item[0]):
            if rows is not None:
                self._table(rows)
            elif not _is_page_number(text, top, line_bottom, page.height):
                if bottom is not None and top - bottom > PARAGRAPH_GAP * (line_bottom - top):
                    self.lines.append("")
                self.lines.append(text)
                self.in_table = False
            bottom = line_bottom

    def _table(self, cells: list[list[str]]) -> None:
        if cells and self.in_table and cells[0] == self.header:
            cells = cells[1:]  # the header row repeated at the top of a new page
        elif cells and not _is_row_number(cells[0][0]):
            self.header = cells[0]
        if not self.in_table:
            self.lines.append("")
        for row in cells:
            previous = self.lines[-1] if self.lines else None
            if self.in_table and not row[0] and isinstance(previous, list) and len(previous) == len(row):
                # A row cut by the page break: its cells continue here, under the repeated header.
                self.lines[-1] = [f"{a} {b}".strip() for a, b in zip(previous, row, strict=True)]
            else:
                self.lines.append(row)
            self.in_table = True

    def text(self) -> str:
        return "\n".join(line if isinstance(line, str) else "\t".join(line) for line in self.lines) + "\n"


def _closing_rules(page) -> list[dict]:
    """A horizontal rule wherever two or more vertical rules end together.

    A row cut by a page break is drawn without its bottom (or top) border, and pdfplumber only finds closed cells:
    these rules close it, and coincide with the border where there is one.
    """
    ends: dict[float, list[float]] = {}
    for edge in page.vertical_edges:
        for y in (edge["top"], edge["bottom"]):
            ends.setdefault(round(y, 1), []).append(edge["x0"])
    return [
        {"object_type": "line", "x0": min(xs), "x1": max(xs), "top": y, "bottom": y, "width": max(xs) - min(xs)}
        for y, xs in ends.items()
        if len(xs) >= 2
    ]


class _Grid:
    """One bordered table found on a page: its cells' boxes and the characters that fall in each.

    Like pdfplumber's `Table.extract`, a character belongs to the cell holding its centre; but each character is
    placed once, by bisection, instead of every row scanning every character of the page.
    """

    def __init__(self, table):
        self.top, self.bottom = table.bbox[1], table.bbox[3]
        self.left, self.right = table.bbox[0], table.bbox[2]
        self.boxes = [row.cells for row in table.rows]
        self.tops = [next(box for box in cells if box)[1] for cells in self.boxes]
        self.chars: list[list[list[dict]]] = [[[] for _ in cells] for cells in self.boxes]

    def take(self, char: dict) -> bool:
        """Keep `char` if its centre is inside one of the cells; False when it is not in this table."""
        x = (char["x0"] + char["x1"]) / 2
        y = (char["top"] + char["bottom"]) / 2
        if not (self.left <= x < self.right and self.top <= y < self.bottom):
            return False
        row = bisect.bisect_right(self.tops, y) - 1
        for column, box in enumerate(self.boxes[row]):
            if box and box[0] <= x < box[2] and box[1] <= y < box[3]:
                self.chars[row][column].append(char)
                return True
        return True  # on a rule between cells: part of the table, but of no cell

    def rows(self) -> list[list[str]]:
        from pdfplumber.utils import extract_text

        return [[_cell(extract_text(chars)) if chars else "" for chars in row] for row in self.chars]


def _is_page_number(text: str, top: float, bottom: float, height: float) -> bool:
    """`Página 2`, `2 de 5` or `2` alone at the head or foot of a page (elsewhere a lone number may be content)."""
    in_margin = top > height * (1 - PAGE_MARGIN) or bottom < height * PAGE_MARGIN
    return in_margin and _PAGE_NUMBER.fullmatch(fold(text)) is not None


def _cell(text: str | None) -> str:
    """A cell's text on one line: the lines it wraps onto joined with spaces (a tab would split the cell)."""
    if not text:
        return ""
    return " ".join(part.strip() for part in text.replace("\t", " ").split("\n") if part.strip())


def _is_row_number(text: str) -> bool:
    return text.rstrip(".").isdigit()
