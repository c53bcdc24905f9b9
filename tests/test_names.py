"""One ministry, one service across years: official names by partida, the fichas' own spelling as fallback, and
stored text in NFC with white space collapsed."""

import csv
import shutil
import subprocess
import sys
import unicodedata

import pytest
from helpers import HUASCO, ROOT, query, read_text

from etl.build import build
from etl.parser import parse
from etl.reference import PARTIDAS_CSV, official_name, partidas
from etl.text import clean

NFD = unicodedata.normalize("NFD", "MINISTERIO DE EDUCACIÓN")
# The spellings of issue 9, each with what it is stored as (NFC, invisible characters dropped, spaces collapsed).
SPELLINGS = {
    "MINISTERIO DE EDUCACION": "MINISTERIO DE EDUCACION",
    "MINISTERIO DE EDUCACIÓN": "MINISTERIO DE EDUCACIÓN",
    "Ministerio de Educación": "Ministerio de Educación",
    NFD: "MINISTERIO DE EDUCACIÓN",
    "MINISTERIO DE\u200b EDUCACION": "MINISTERIO DE EDUCACION",
    "MINISTERIO\u00a0DE EDUCACION": "MINISTERIO DE EDUCACION",
    "MINISTERIO DE  EDUCACION": "MINISTERIO DE EDUCACION",
    "MINISTERIO DE EDU\u00adCACION": "MINISTERIO DE EDUCACION",  # a soft hyphen: Latin-1, yet not printable
}


def ficha(anio: int, ministerio: str, partida: str, servicio: str, capitulo: str) -> str:
    """The Huasco ficha with another year and header."""
    text = read_text(HUASCO).replace("(Formulario A1) 2021", f"(Formulario A1) {anio}")
    text = text.replace(
        "MINISTERIO\tMINISTERIO DE EDUCACION\tPARTIDA\t09", f"MINISTERIO\t{ministerio}\tPARTIDA\t{partida}"
    )
    return text.replace(
        "SERVICIO\tSERVICIO LOCAL DE EDUCACIÓN HUASCO\tCAPITULO\t21", f"SERVICIO\t{servicio}\tCAPITULO\t{capitulo}"
    )


def load(folder, tmp_path, fichas: list[tuple]) -> object:
    for number, values in enumerate(fichas):
        folder.write(f"f{number:02d}.txt", ficha(*values))
    db = tmp_path / "fichas.duckdb"
    report = build([folder.path], db)
    assert report.rejected == 0
    return db


@pytest.mark.parametrize("written", SPELLINGS)
def test_clean_stores_nfc_without_invisible_or_doubled_spaces(written):
    assert clean(written) == SPELLINGS[written]


def test_clean_keeps_plain_text_and_drops_bidi_controls():
    assert clean("  Servicio de Salud Araucanía Sur ") == "Servicio de Salud Araucanía Sur"
    assert clean("abc\u202edef\u2066") == "abcdef"


@pytest.mark.parametrize("written", SPELLINGS)
def test_table_cells_are_stored_clean(written, huasco_text):
    """Rows are checked for cleaning a table at a time; one odd cell still gets the whole `clean`."""
    row = "1\tEstudiantes de los establecimientos educacionales del territorio\t13.331"
    ficha = parse(huasco_text.replace(row, f"1\t{written}\t13.331"))
    assert ficha.clientes[0].descripcion == SPELLINGS[written]
    assert ficha.clientes[1] == parse(huasco_text).clientes[1]


def test_cells_joined_by_a_pipe_normalize_apart():
    """Why one check of a table's cells joined by `|` says whether each cell is NFC (etl/text.py `already_clean`):
    `|` is a starter that no character decomposes into, so normalization neither composes nor reorders across it."""
    assert unicodedata.combining("|") == 0
    decompositions = (unicodedata.decomposition(chr(code)) for code in range(0x110000))
    assert not any("007C" in mapping.split() for mapping in decompositions if mapping and mapping[0] != "<")


def test_latin1_text_is_nfc():
    """Why `already_clean` skips the NFC check for a table whose cells are all Latin-1: no Latin-1 character
    decomposes, and none composes with the one after it."""
    latin1 = [chr(code) for code in range(256)]
    assert all(unicodedata.is_normalized("NFC", first + second) for first in latin1 for second in latin1)


def test_every_spelling_gives_one_official_name(folder, tmp_path):
    db = load(
        folder, tmp_path, [(2021, written, "09", "Servicio Uno", f"{n + 20}") for n, written in enumerate(SPELLINGS)]
    )
    rows = query(db, "select ministerio, ministerio_nombre from fichas order by capitulo")
    assert [ministerio for ministerio, _ in rows] == list(SPELLINGS.values())
    assert {nombre for _, nombre in rows} == {"Ministerio de Educación"}
    assert query(db, "select count(*) from problemas") == [(0,)]  # every spelling names partida 09's ministry


def test_nothing_decomposed_or_invisible_is_stored(folder, tmp_path):
    db = load(folder, tmp_path, [(2021, written, "09", written, f"{n + 20}") for n, written in enumerate(SPELLINGS)])
    for ministerio, servicio in query(db, "select ministerio, servicio from fichas"):
        for text in (ministerio, servicio):
            assert unicodedata.is_normalized("NFC", text)
            assert text.isprintable() and "  " not in text, repr(text)


def test_without_reference_the_most_frequent_spelling_wins(folder, tmp_path):
    """Partida 99 has no reference row: four spellings clean to `MINISTERIO DE EDUCACION`, two to the accented one."""
    db = load(
        folder, tmp_path, [(2021, written, "99", "Servicio Uno", f"{n + 20}") for n, written in enumerate(SPELLINGS)]
    )
    assert query(db, "select distinct ministerio_nombre from fichas") == [("MINISTERIO DE EDUCACION",)]


def test_a_tie_goes_to_the_most_recent_year(folder, tmp_path):
    fichas = [(2020, "Ministerio Antiguo", "99", "S", "01"), (2022, "Ministerio Nuevo", "99", "S", "02")]
    db = load(folder, tmp_path, fichas)
    assert query(db, "select distinct ministerio_nombre from fichas") == [("Ministerio Nuevo",)]


def test_a_year_outside_the_reference_falls_back_to_the_fichas_spelling(folder, tmp_path):
    """Partida 27 has no row before 2017, partida 21 none before 2013."""
    assert official_name("27", 2015) is None and official_name("21", 2005) is None
    fichas = [
        (2005, "MINISTERIO DEL INTERIOR", "05", "Intendencia", "01"),
        (2021, "MINISTERIO DEL INTERIOR Y SEGURIDAD PÚBLICA", "05", "Gobierno Regional", "70"),
        (2005, "MINISTERIO DE PLANIFICACION", "21", "Fosis", "02"),
        (2006, "Ministerio de Planificación", "21", "Fosis", "02"),
        (2020, "Ministerio de Desarrollo Social y Familia", "21", "Fosis", "02"),
        (2015, "MINISTERIO DE LA MUJER Y LA EQUIDAD DE GENERO", "27", "Sernam", "01"),
        (2016, "MINISTERIO DE LA MUJER Y LA EQUIDAD DE GENERO", "27", "Sernam", "01"),
        (2017, "Ministerio de la Mujer", "27", "Sernam", "01"),
    ]
    db = load(folder, tmp_path, fichas)
    assert query(db, "select anio, partida, ministerio_nombre from fichas order by partida, anio, capitulo") == [
        (2005, "05", "Ministerio del Interior"),  # official: the reference knows 2010 and before
        (2021, "05", "Ministerio del Interior y Seguridad Pública"),
        # No row: each of the three spellings appears once; the tie goes to the most recent year's.
        (2005, "21", "Ministerio de Desarrollo Social y Familia"),
        (2006, "21", "Ministerio de Desarrollo Social y Familia"),
        (2020, "21", "Ministerio de Desarrollo Social y Familia"),
        # No row before 2017: the most frequent spelling names the ministry the reference knows from 2017, so it
        # gets its official spelling, one name across the years.
        (2015, "27", "Ministerio de la Mujer y la Equidad de Género"),
        (2016, "27", "Ministerio de la Mujer y la Equidad de Género"),
        (2017, "27", "Ministerio de la Mujer y la Equidad de Género"),
    ]


def test_a_fallback_spelling_of_another_ministry_stays_as_written(folder, tmp_path):
    fichas = [(2010, "MINISTERIO DE PLANIFICACION", "21", "Fosis", "02")]
    db = load(folder, tmp_path, fichas)
    assert query(db, "select ministerio_nombre from fichas") == [("MINISTERIO DE PLANIFICACION",)]


def test_official_names_change_with_the_year(folder, tmp_path):
    fichas = [(2015, "Ministerio de Justicia", "10", "S", "01"), (2016, "Ministerio de Justicia", "10", "S", "01")]
    db = load(folder, tmp_path, fichas)
    assert query(db, "select anio, ministerio_nombre from fichas order by anio") == [
        (2015, "Ministerio de Justicia"),
        (2016, "Ministerio de Justicia y Derechos Humanos"),
    ]
    # The 2016 ficha still calls it «Ministerio de Justicia»: a warning, since that name is not the official one.
    assert query(db, "select ficha_id from problemas") == [("2016-10-01",)]


def test_a_ministry_that_does_not_match_its_partida_is_warned(folder, tmp_path):
    fichas = [(2021, "MINISTERIO DE EDUCACION", "16", "Servicio de Salud", "05"), (2021, "Educación", "09", "S", "21")]
    db = load(folder, tmp_path, fichas)
    assert query(db, "select archivo, ficha_id, nivel, mensaje from problemas") == [
        (
            str(folder.path / "f00.txt"),
            "2021-16-05",
            "advertencia",
            "El ministerio «MINISTERIO DE EDUCACION» no corresponde a la partida 16, que en 2021 es «Ministerio de "
            "Salud»; la ficha se agrupa por su partida.",
        )
    ]
    assert query(db, "select ministerio, ministerio_nombre from fichas where partida = '16'") == [
        ("MINISTERIO DE EDUCACION", "Ministerio de Salud")
    ]


def test_a_renamed_service_is_one_service_named_as_in_its_latest_ficha(folder, tmp_path):
    fichas = [
        (2020, "MINISTERIO DE EDUCACION", "09", "SERVICIO LOCAL DE EDUCACION HUASCO", "21"),
        (2022, "MINISTERIO DE EDUCACION", "09", "Servicio Local de Educación Pública Huasco", "21"),
        (2021, "MINISTERIO DE EDUCACION", "09", "SLEP HUASCO", "21"),
        (2021, "MINISTERIO DE EDUCACION", "09", "Otro servicio", "22"),
    ]
    db = load(folder, tmp_path, fichas)
    assert query(db, "select anio, servicio, servicio_id, servicio_nombre from fichas order by capitulo, anio") == [
        (2020, "SERVICIO LOCAL DE EDUCACION HUASCO", "09-21", "Servicio Local de Educación Pública Huasco"),
        (2021, "SLEP HUASCO", "09-21", "Servicio Local de Educación Pública Huasco"),
        (2022, "Servicio Local de Educación Pública Huasco", "09-21", "Servicio Local de Educación Pública Huasco"),
        (2021, "Otro servicio", "09-22", "Otro servicio"),
    ]


def test_reference_rows_are_well_formed():
    """Two-digit partidas, NFC names, and ranges of one partida that never overlap (one name per partida and year)."""
    with PARTIDAS_CSV.open(encoding="utf-8", newline="") as handle:
        assert next(csv.reader(handle)) == ["partida", "desde", "hasta", "ministerio"]
    rows = partidas()
    assert len(rows) >= 33
    for row in rows:
        assert len(row.partida) == 2 and row.partida.isdigit()
        assert clean(row.ministerio) == row.ministerio
    for row in rows:
        for other in rows:
            if row is not other and row.partida == other.partida:
                assert (row.hasta or 9999) < (other.desde or 0) or (other.hasta or 9999) < (row.desde or 0), row
    assert official_name("09", 2021) == "Ministerio de Educación"
    assert official_name("21", 2018) == "Ministerio de Desarrollo Social"
    assert official_name("21", 2019) == "Ministerio de Desarrollo Social y Familia"


def test_a_changed_reference_changes_the_build_fingerprint(tmp_path):
    """A changed data/partidas.csv must rebuild the database, as changed code does."""
    for name in ("etl", "data"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("fichas", "*.duckdb*"))
    version = [sys.executable, "-c", "from etl.build import ETL_VERSION; print(ETL_VERSION)"]
    before = subprocess.run(version, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    csv_copy = tmp_path / "data" / "partidas.csv"
    csv_copy.write_text(csv_copy.read_text(encoding="utf-8") + "99,2020,,Ministerio de Prueba\n", encoding="utf-8")
    after = subprocess.run(version, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert before.strip() and before != after
