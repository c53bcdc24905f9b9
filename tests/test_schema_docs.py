"""Every table and column of the database is described in docs/esquema.md."""

from helpers import ROOT, query


def test_every_column_is_documented(real_db):
    docs = (ROOT / "docs" / "esquema.md").read_text(encoding="utf-8")
    columns = query(real_db, "select table_name, column_name from information_schema.columns order by all")
    tables = {table for table, _ in columns}
    assert len(tables) == 11
    missing = [f"{t}.{c}" for t, c in columns if f"`{c}`" not in docs] + [t for t in tables if f"## `{t}`" not in docs]
    assert missing == []
