"""docs/esquema.md documents every table, and under each table's heading exactly that table's columns."""

import re

from helpers import ROOT, query

from etl import loader, model, rows

_SECTION = re.compile(r"^## `(\w+)`$", re.MULTILINE)
_COLUMN_ROW = re.compile(r"^\| `(\w+)` \|", re.MULTILINE)


def documented_columns(markdown: str) -> dict[str, list[str]]:
    """Columns named in the first cell of the table rows under each `## \\`table\\`` heading, in order."""
    headings = list(_SECTION.finditer(markdown))
    sections = {}
    for heading, following in zip(headings, [*headings[1:], None], strict=True):
        body = markdown[heading.end() : following.start() if following else len(markdown)]
        sections[heading[1]] = _COLUMN_ROW.findall(body)
    return sections


def test_each_table_documents_exactly_its_columns(real_db):
    docs = documented_columns((ROOT / "docs" / "esquema.md").read_text(encoding="utf-8"))
    rows = query(real_db, "select table_name, column_name from information_schema.columns order by table_name")
    actual: dict[str, set[str]] = {}
    for table, column in rows:
        actual.setdefault(table, set()).add(column)
    assert len(actual) == 11
    assert {table: set(columns) for table, columns in docs.items()} == actual
    assert all(len(columns) == len(set(columns)) for columns in docs.values()), "a column documented twice"


def test_a_column_documented_under_another_table_does_not_count():
    markdown = "## `a`\n| columna |\n|---|\n| `x` | texto |\n| `linea` | línea |\n## `b`\n| `x` | texto |\n"
    assert documented_columns(markdown) == {"a": ["x", "linea"], "b": ["x"]}


def test_load_columns_follow_the_schema(real_db):
    """The row types (loader.COLUMNS) list each table's columns in the order SCHEMA_SQL declares them."""
    for table, columns in loader.COLUMNS.items():
        declared = query(
            real_db,
            "select column_name from information_schema.columns where table_name = ? order by ordinal_position",
            [table],
        )
        assert tuple(name for (name,) in declared) == columns, table


def test_record_fields_line_up_with_their_tables_columns():
    """A row of a ficha's records is the ficha's id followed by the record's fields (etl.rows.ficha_columns)."""
    records = {
        "objetivos_ministeriales": model.Objetivo,
        "objetivos_institucionales": model.Objetivo,
        "productos": model.Producto,
        "clientes": model.Cliente,
        "objetivo_institucional_ministerial": model.Link,
        "objetivo_institucional_producto": model.Link,
        "producto_cliente": model.Link,
    }
    assert set(records) == set(rows.RECORD_TABLES)
    for table, record in records.items():
        columns = loader.COLUMNS[table]
        assert columns[0] == "ficha_id" and len(columns) == len(record._fields) + 1, table
        if record is not model.Link:  # a link's ends are named after the tables they join
            assert columns[1:] == record._fields, table
        else:
            assert columns[-1] == "linea", table
