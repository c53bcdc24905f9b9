"""Fuzzing the parser with mutated real fichas: it returns a consistent Ficha or refuses with a FichaError, and
nothing else, fast. Inputs that once broke it are kept in tests/fuzz_corpus/ and replayed on every run: when
hypothesis finds one, fix the ETL and save the failing `raw` bytes there as `<what>.ok` (must load) or `.bad`."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from helpers import HUASCO, LOS_LAGOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.build import build
from etl.errors import FichaError
from etl.model import ERROR, WARNING, Ficha
from etl.parser import parse
from etl.text import decode

CORPUS = Path(__file__).parent / "fuzz_corpus"
REAL = [HUASCO.read_text(encoding="utf-8"), LOS_LAGOS.read_text(encoding="utf-8")]
BIGINT = range(-(2**63), 2**63)
TWO_DIGITS = re.compile(r"[0-9]{2}")

# Pieces that mean something to the parser, or to Python's idea of a digit, space or line.
FRAGMENTS = [
    "\t",
    "|",
    "",
    " ",
    "   ",
    "**",
    ":",
    ".",
    ",",
    "-",
    "1",
    "0",
    "12345",
    "99999999999999999999999",
    "1-99999",
    "Número",
    "Nº",
    "No",
    "Si",
    "y",
    "No aplica",
    "(Formulario A1) 2021",
    "AÑO 2019-2022",
    "²",  # isdigit() but not int()
    "٣",  # an Arabic-Indic digit: \d and int() accept it
    "\x00",
    "\x0c",
    "\x85",
    "\u2028",
    "\xa0",
    "\ufeff",
    "<script>alert(1)</script>",
]
LINES = [
    "",
    "\t",
    "|",
    "| --- | --- |",
    "**Misión institucional**",
    "**Ley orgánica o Decreto que la rige**",
    "**Objetivos Estratégicos del Ministerio**",
    "**Objetivos Estratégicos Institucionales**",
    "**Productos Estratégicos (Bienes y/o servicios)**",
    "Clientes / Usuarios / Beneficiarios",
    "Número\tDescripción",
    "Número\tClientes\tCuantificación",
    "Número\tProducto Estratégico\tDescripción\tClientes\tAplica Gestión Territorial\tAplica Enfoque de Género",
    "Número   Clientes   Cuantificación",
    "PARTIDA\t123",
    "CAPITULO\t٠٩",
    "1\t",
    "1\tx\t1,2\tNo\tSi",
    "99999\tx\t1-99999\t²",
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
fragment = st.sampled_from(FRAGMENTS) | st.text(max_size=12)
line = st.sampled_from(LINES) | st.text(max_size=40)


@st.composite
def mutated_ficha(draw) -> bytes:
    """A real ficha with lines deleted, duplicated, swapped or inserted, text edited, cells replaced, maybe
    truncated and re-encoded."""
    lines = draw(st.sampled_from(REAL)).split("\n")
    for _ in range(draw(st.integers(1, 10))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "edit", "edit", "cell"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "insert" or not lines:
            lines.insert(i, draw(line))
        elif op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines[i:i] = [lines[i]] * draw(st.integers(1, 3))
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cell":
            cells = lines[i].split("\t")
            cells[draw(st.integers(0, len(cells) - 1))] = draw(fragment)
            lines[i] = "\t".join(cells)
        else:
            at = draw(st.integers(0, len(lines[i])))
            cut = draw(st.integers(0, 3))
            lines[i] = lines[i][:at] + draw(fragment) + lines[i][at + cut :]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    text = text.replace("\n", draw(st.sampled_from(["\n", "\r\n", "\r"])))
    raw = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):  # stray bytes: mixed encodings, bytes cp1252 leaves undefined
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at + draw(st.integers(0, 4)) :]
    return raw


def parse_bytes(raw: bytes) -> Ficha | None:
    """What the build does with a file's bytes: a Ficha, or None for a FichaError. Anything else propagates."""
    try:
        ficha = parse(decode(raw))
    except FichaError as error:
        assert error.message and isinstance(error.message, str)
        return None
    assert isinstance(ficha, Ficha)
    check_invariants(ficha)
    return ficha


def check_invariants(ficha: Ficha) -> None:
    """What the database schema requires of a parsed ficha (keys, links, code formats, BIGINT range)."""
    assert TWO_DIGITS.fullmatch(ficha.partida), ficha.partida
    assert TWO_DIGITS.fullmatch(ficha.capitulo), ficha.capitulo
    assert isinstance(ficha.anio, int)
    assert ficha.ministerio and ficha.servicio
    numbers = {}
    for table in ("objetivos_ministeriales", "objetivos_institucionales", "productos", "clientes"):
        rows = [row.numero for row in getattr(ficha, table)]
        assert len(rows) == len(set(rows)), f"repeated numbers in {table}: {rows}"
        numbers[table] = set(rows)
    links = [
        ("objetivo_institucional_ministerial", "objetivos_institucionales", "objetivos_ministeriales"),
        ("objetivo_institucional_producto", "objetivos_institucionales", "productos"),
        ("producto_cliente", "productos", "clientes"),
    ]
    for table, origin, target in links:
        pairs = [(link.origen, link.destino) for link in getattr(ficha, table)]
        assert len(pairs) == len(set(pairs)), f"repeated links in {table}"
        for origen, destino in pairs:
            assert origen in numbers[origin], f"{table}: {origen} is not in {origin}"
            assert destino in numbers[target], f"{table}: {destino} is not in {target}"
    for cliente in ficha.clientes:
        assert cliente.cuantificacion is None or cliente.cuantificacion in BIGINT
    assert all(problem.nivel in (ERROR, WARNING) and problem.mensaje for problem in ficha.problemas)


def test_real_fichas_satisfy_the_invariants():
    for text in REAL:
        assert parse_bytes(text.encode("utf-8")) is not None


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_mutated_fichas_parse_or_are_refused():
    outcomes = {"loaded": 0, "refused": 0}

    @settings(
        max_examples=400,
        deadline=timedelta(seconds=2),  # a real ficha parses in milliseconds; seconds mean a runaway loop
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(raw=mutated_ficha())
    def fuzz(raw):
        outcomes["refused" if parse_bytes(raw) is None else "loaded"] += 1

    fuzz()
    # Guards the fuzzer itself: its mutations must yield fichas that still load and files that are refused.
    assert outcomes["loaded"] > 40 and outcomes["refused"] > 40, outcomes


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*")), ids=lambda path: path.name)
def test_corpus(path, tmp_path):
    """Each file here once crashed the ETL or broke an invariant: `.ok` files must load, into a real database too,
    and `.bad` ones be refused."""
    assert path.suffix in (".ok", ".bad"), "name corpus files *.ok (must load) or *.bad (must be refused)"
    ficha = parse_bytes(path.read_bytes())
    assert (ficha is not None) == (path.suffix == ".ok"), path.name
    report = build([path], tmp_path / "fichas.duckdb")
    assert (report.loaded, report.rejected) == ((1, 0) if ficha else (0, 1))
