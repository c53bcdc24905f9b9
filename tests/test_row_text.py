"""Rows travel from the parser to DuckDB as text (etl.row_text): every value arrives as the parser made it, and a
value that would break the format is refused rather than shifting a column."""

import pytest
from helpers import query

from bench.generator import write_corpus
from etl import loader
from etl.build import build
from etl.parser import parse
from etl.row_text import FIELD, LINE_BREAK, NULL, RowTextError, encode
from etl.rows import RECORD_TABLES, ficha_row
from etl.sources import discover, read
from etl.text import decode


@pytest.mark.parametrize("batch", [loader.BATCH_FICHAS, 3], ids=["un-lote", "lotes-de-3-fichas"])
def test_every_value_reaches_the_database_as_the_parser_made_it(tmp_path, monkeypatch, batch):
    """Texts with accents and paragraphs, empty cells, NULLs, booleans, large counts: the rows of each table,
    read back from DuckDB, are the parser's records, also when they come a few fichas at a time."""
    monkeypatch.setattr(loader, "BATCH_FICHAS", batch)
    folder = tmp_path / "fichas"
    write_corpus(folder, 40, seed=11)  # every export variant: two-paragraph missions, wrapped cells, Latin-1
    db = tmp_path / "base.duckdb"
    build([folder], db)
    fichas = 0
    for path in discover([folder]):
        source = read(path)
        ficha = parse(decode(source.content))
        fid = ficha.ficha_id
        (stored,) = query(db, "select * exclude (ministerio_nombre, servicio_nombre) from fichas where ficha_id = $f",
                          {"f": fid})  # fmt: skip
        assert stored == ficha_row(ficha, source)[:-3] + (f"{ficha.partida}-{ficha.capitulo}",)
        for table in RECORD_TABLES:
            rows = query(db, f"select * from {table} where ficha_id = $f order by all", {"f": fid})
            assert rows == sorted((fid, *record) for record in getattr(ficha, table)), (path, table)
        fichas += 1
    assert fichas == 40
    # What the assertions above stood on: paragraphs, NULLs and both booleans were among the values.
    assert query(db, "select count(*) from fichas where mision like '%' || chr(10) || '%'")[0][0] > 0
    assert query(db, "select count(*) from productos where presupuesto_texto is null")[0][0] > 0
    assert query(db, "select count(distinct aplica_enfoque_genero) from productos")[0][0] == 2


@pytest.mark.parametrize(
    "value",
    ["a\x1fb", "\x1e", "a\x1db", "a\rb", "a\nb\x1fc"],
    ids=["field", "null", "line-break", "cr", "field-and-lines"],
)
def test_a_value_holding_a_separator_is_refused(value):
    with pytest.raises(RowTextError):
        encode([(1, value)], prefix="2021-09-21")


def test_nulls_booleans_and_line_breaks_are_written_as_the_reader_expects():
    rows = encode([(1, None, True, "uno\ndos"), (2, "", False, "tres")], prefix="2021-09-21")
    assert rows.decode().split("\n") == [
        FIELD.join(["2021-09-21", "1", NULL, "True", f"uno{LINE_BREAK}dos"]),
        FIELD.join(["2021-09-21", "2", "", "False", "tres"]),
        "",
    ]
