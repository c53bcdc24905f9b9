"""Write a ficha's text export as a PDF laid out like the Formulario A1 that DIPRES publishes.

The tests turn both real fichas into PDFs with it and the benchmark turns synthetic ones, so PDFs are read from files
a real PDF library made, never from hand-written PDF bytes. The layout is the published form's: a two-line bold title,
the identity block as a four-column bordered table (MINISTERIO / PARTIDA / SERVICIO / CAPÍTULO), bold section headings,
prose paragraphs, and bordered tables whose header row repeats on every page they cross, with text wrapping inside
cells and a page number at the foot of each page.

Example: `pdf = ficha_pdf(Path("data/fichas/000_049fc97d0de0459f.txt").read_text())`.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

_NUMBER_LABELS = {"número", "numero", "nº", "n°", "no", "nro"}
_IDENTITY_LABELS = {"ministerio", "servicio"}
_PIPE_RULE = re.compile(r"\|?(\s*:?-{2,}:?\s*\|)+\s*(:?-{2,}:?\s*)?\|?")
MARGIN = 1.8 * cm
PAGE = landscape(A4)  # the published form is landscape: its tables are wide

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11, spaceAfter=6)
_BOLD = ParagraphStyle("bold", parent=_BODY, fontName="Helvetica-Bold", fontSize=10, leading=12, spaceBefore=6)
_TITLE = ParagraphStyle("title", parent=_BOLD, fontSize=12, leading=15, alignment=1, spaceAfter=10)
_CELL = ParagraphStyle("cell", fontName="Helvetica", fontSize=7.5, leading=9)
_HEAD = ParagraphStyle("head", parent=_CELL, fontName="Helvetica-Bold")
_GRID = [
    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
]
# Relative column widths by header words; the Número column has a fixed narrow width.
_WEIGHTS = [
    ("descrip", 4.0),
    ("subproducto", 2.2),
    ("presupuesto", 1.3),
    ("producto estrat", 2.2),
    ("vinculad", 1.3),
    ("aplica", 1.0),
    ("cuantifica", 1.2),
    ("cliente", 2.0),
]


@dataclass
class _Table:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class _Block:
    kind: str  # "title", "bold", "text", "identity" or "table"
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    table: _Table | None = None


def ficha_pdf(text: str, encrypt: str | None = None, split_rows: bool = False) -> bytes:
    """PDF bytes of one ficha export. `encrypt`: a user password; `split_rows`: let a row's cells continue on the
    next page (the header row still repeats above the rest of the row)."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Ficha de Definiciones Estratégicas",
        encrypt=encrypt,
    )
    flowables = []
    for block in _blocks(_drawable(text)):
        flowables += _render(block, document.width, split_rows)
    document.build(flowables, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _drawable(text: str) -> str:
    """The text as a PDF shows it: decomposed accents (NFD, a text-file spelling) drawn as the precomposed letters,
    invisible format characters (zero-width spaces, bidi marks) not drawn at all. The standard fonts have no glyph
    for either, and reportlab would draw another letter in their place."""
    text = unicodedata.normalize("NFC", text)
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def _blocks(text: str) -> list[_Block]:
    """The export's lines grouped into what the form draws: bold lines, paragraphs, the identity block, tables.

    Understands what exports contain: `**bold**` spans (the title spans two lines), tab or `|` rows, blank lines and
    a repeated header inside a table (page breaks of the PDF it was copied from), and lines that continue a cell.
    """
    result: list[_Block] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        follows_row = index > 0 and _cells(lines[index - 1].strip()) is not None
        index += 1
        if not line or _PIPE_RULE.fullmatch(line):
            continue
        if line.startswith("**"):
            span = [line]
            while not (len(span[-1]) > 2 and span[-1].endswith("**")) and index < len(lines) and lines[index].strip():
                span.append(lines[index].strip())
                index += 1
            span = [part.strip("*").strip() for part in span]
            kind = "title" if not any(block.kind != "text" for block in result) else "bold"
            result.append(_Block(kind, span))
            continue
        cells = _cells(line)
        current = result[-1] if result else None
        if cells is None and follows_row and current is not None and current.kind == "table" and current.table.rows:
            cells = [line]  # a line with no cell separator right under a row: the rest of the row's last cell
        if cells is None:
            result.append(_Block("text", [line]))
            continue
        label = cells[0].lower().rstrip(":")
        if label in _IDENTITY_LABELS:
            if current is None or current.kind != "identity":
                current = _Block("identity")
                result.append(current)
            current.rows.append(cells)
        elif label in _NUMBER_LABELS:
            if current is None or current.kind != "table" or current.table.header != cells:
                result.append(_Block("table", table=_Table(cells)))
        elif current is not None and current.kind == "table":
            rows = current.table.rows
            if cells[0].isdigit() or not rows:
                rows.append(cells)
            else:  # the rest of a cell the export wrapped onto the next line
                rows[-1][-1] = f"{rows[-1][-1]} {cells[0]}".strip()
                rows[-1].extend(cells[1:])
        else:
            result.append(_Block("text", [line]))
    return result


def _cells(line: str) -> list[str] | None:
    if line.startswith("|"):
        body = line[1:-1] if line.endswith("|") and len(line) > 1 else line[1:]
        return [cell.strip() for cell in body.split("|")]
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")]
    return None


def _render(block: _Block, width: float, split_rows: bool) -> list:
    if block.kind in ("title", "bold"):
        style = _TITLE if block.kind == "title" else _BOLD
        return [Paragraph("<br/>".join(escape(line) for line in block.lines), style)]
    if block.kind == "text":
        return [Paragraph(escape(block.lines[0]), _BODY)]
    if block.kind == "identity":
        rows = [
            [Paragraph(escape(cell), _HEAD if i % 2 == 0 else _CELL) for i, cell in enumerate(row)]
            for row in block.rows
        ]
        widths = [w * width for w in (0.17, 0.53, 0.16, 0.14)]
        return [Table(rows, colWidths=widths, style=TableStyle(_GRID)), Spacer(1, 10)]
    table = block.table
    columns = len(table.header)
    data = [[Paragraph(escape(cell), _HEAD) for cell in table.header]]
    for row in table.rows:
        data.append([Paragraph(escape(_cell(row, i)), _CELL) for i in range(columns)])
    grid = Table(
        data,
        colWidths=_widths(table, width),
        repeatRows=1,
        splitByRow=0 if split_rows else 1,
        splitInRow=1 if split_rows else 0,
        style=TableStyle([*_GRID, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDDDDD"))]),
    )
    return [grid, Spacer(1, 10)]


def _widths(table: _Table, width: float) -> list[float]:
    """Every column at least as wide as its longest word (a word cut in two would change the text read back), the
    rest of the width shared by how much text a column usually holds."""
    columns = len(table.header)
    smallest = [
        max(
            [stringWidth(word, _HEAD.fontName, _HEAD.fontSize) for word in table.header[i].split()]
            + [
                stringWidth(word, _CELL.fontName, _CELL.fontSize)
                for row in table.rows
                for word in _cell(row, i).split()
            ]
        )
        + 8
        for i in range(columns)
    ]
    weights = [0.0] + [next((w for word, w in _WEIGHTS if word in name.lower()), 2.0) for name in table.header[1:]]
    if columns == 3 and "cuantifica" in table.header[2].lower():  # clients: a wide name, a short quantity
        weights = [0.0, 4.0, 1.2]
    spare = max(0.0, width - sum(smallest))
    return [least + spare * weight / sum(weights) for least, weight in zip(smallest, weights, strict=True)]


def _cell(row: list[str], column: int) -> str:
    return row[column] if column < len(row) else ""


def _footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawCentredString(PAGE[0] / 2, MARGIN / 2, f"Página {document.page}")
    canvas.restoreState()
