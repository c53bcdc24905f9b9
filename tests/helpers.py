"""What test modules share: where the real fichas are, reading them, and querying a built database."""

import dataclasses
import os
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FICHAS_DIR = ROOT / "data" / "fichas"
HUASCO = FICHAS_DIR / "000_049fc97d0de0459f.txt"
LOS_LAGOS = FICHAS_DIR / "002_b87f4e61cff57db4.txt"


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def content(ficha) -> dict:
    """A parsed ficha without line numbers or problems, for comparing two renderings of one ficha."""

    def strip(value):
        if hasattr(value, "_asdict"):  # a record (named tuple)
            value = value._asdict()
        if isinstance(value, list):
            return [strip(item) for item in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("linea", "problemas")}
        return value

    return strip(dataclasses.asdict(ficha))


def query(db: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall()


def every_table(db: Path, skip_tables=frozenset(), skip_columns=frozenset()) -> dict[str, list[tuple]]:
    """Every table's rows, sorted, to compare two databases table by table."""
    with duckdb.connect(str(db), read_only=True) as con:
        names = [name for (name,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        result = {}
        for table in sorted(set(names) - set(skip_tables)):
            columns = [column for (column,) in con.execute(
                "select column_name from duckdb_columns() where table_name = $t order by column_index", {"t": table}
            ).fetchall() if column not in skip_columns]  # fmt: skip
            selected = ", ".join(f'"{column}"' for column in columns)
            result[table] = sorted(con.execute(f"select {selected} from {table}").fetchall(), key=repr)
        return result


def drop_root_read_override() -> list[str]:
    """As root, permission bits do not stop reads: run the ETL as root without the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    caps = "-dac_override,-dac_read_search"
    return ["setpriv", f"--bounding-set={caps}", f"--inh-caps={caps}", "--"]


def page_tables(at) -> dict:
    """Each table an AppTest run shows, by its title (a grid's accessible name is the title of its heading)."""
    return {frame.proto.alt: frame.value for frame in at.dataframe}


# -- the app under AppTest ---------------------------------------------------------------------------------------


def assert_clean(at) -> None:
    """No exception and no error message on the page."""
    assert not at.exception, at.exception
    assert [error.value for error in at.error] == []


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def shown_table(at, title: str):
    """The dataframe shown under the heading `title` (the grid's accessible name is its title)."""
    assert title in [heading.value for heading in at.header], [heading.value for heading in at.header]
    (shown,) = [frame for frame in at.dataframe if frame.proto.alt == title]
    return shown.value


def sections(at) -> tuple[str | None, list[str]]:
    """The page's sections (`ui.PageTables.sections`: tabs bound to the URL): their key and labels, as drawn
    (None and none when the page has no sections)."""

    def containers(block):
        for child in getattr(block, "children", {}).values():
            if getattr(child, "type", None) == "tab_container" and child.proto.tab_container.query_param_key:
                yield child
            yield from containers(child)

    found = list(containers(at.main))
    if not found:
        return None, []
    (found,) = found
    return found.proto.tab_container.query_param_key, [tab.label for tab in found.children.values()]


def open_section(at, label: str):
    """Open the page's section `label`, as a click on its tab does."""
    key, labels = sections(at)
    assert label in labels, labels
    at.session_state[key] = label
    return at.run()
