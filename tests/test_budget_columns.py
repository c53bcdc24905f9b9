"""Older forms carry `Subproductos` and `Presupuesto AAAA (Miles de $)` in the product table: both are kept."""

import re

import pytest
from helpers import query

from etl.build import build
from etl.parser import parse

HEADER = (
    "Número\tProducto Estratégico\t{sub}\tDescripción\tClientes\tAplica Gestión Territorial\t"
    "Aplica Enfoque de Género\tPresupuesto 2015 (Miles de $)\t%"
)
ROWS = [
    "1\tServicio de educación pública.\tAsesoría técnica; capacitación docente\tProveer un servicio.\t1\tSi\tNo\t1.234.567\t45,2",
    "2\tAcceso a información.\t\tFomentar la participación.\t2\tNo\tSi\t\t12",
    "3\tTalleres.\tTalleres  para familias\tTalleres con la familia.\t1\tSi\tSi\tNo informado\t3,1",
    "4\tApoyo.\tApoyo\tApoyo a escuelas.\t2\tNo\tNo\t250000\t0,5",
]  # fmt: skip


def with_products(text: str, header: str, rows: list[str]) -> str:
    """The ficha with its product table replaced by `header` and `rows`."""
    table = re.compile(r"^Número\tProducto Estratégico\t.*?\n\n", re.MULTILINE | re.DOTALL)
    return table.sub(lambda _: "\n".join([header, *rows]) + "\n\n", text, count=1)


def products(text: str) -> list[tuple]:
    ficha = parse(text)
    return [(p.numero, p.nombre, p.subproductos, p.presupuesto_miles, p.presupuesto_texto) for p in ficha.productos]


@pytest.mark.parametrize("sub", ["Subproductos", "Subproducto(s)", "Subproducto-Productos Específicos"])
def test_subproducts_and_budget_are_kept(huasco_text, sub):
    assert products(with_products(huasco_text, HEADER.format(sub=sub), ROWS)) == [
        (1, "Servicio de educación pública.", "Asesoría técnica; capacitación docente", 1234567, "1.234.567"),
        (2, "Acceso a información.", "", None, ""),  # empty cells: the columns exist, the values are empty
        (3, "Talleres.", "Talleres para familias", None, "No informado"),  # not a number: only the text
        (4, "Apoyo.", "Apoyo", 250000, "250000"),
    ]


def test_the_other_columns_keep_their_values(huasco_text):
    ficha = parse(with_products(huasco_text, HEADER.format(sub="Subproductos"), ROWS))
    first = ficha.productos[0]
    assert (first.descripcion, first.aplica_gestion_territorial, first.aplica_enfoque_genero) == (
        "Proveer un servicio.",
        True,
        False,
    )
    assert [(link.origen, link.destino) for link in ficha.producto_cliente] == [(1, 1), (2, 2), (3, 1), (4, 2)]
    assert ficha.problemas == []


def test_a_percent_column_is_not_the_budget(huasco_text):
    """Without a budget column, the `%` beside where it would be is never read as one."""
    header = (
        "Número\tProducto Estratégico\tDescripción\tClientes\tAplica Gestión Territorial\tAplica Enfoque de Género\t%"
    )
    rows = [row.split("\t") for row in ROWS]
    rows = ["\t".join([*cells[:2], *cells[3:7], cells[8]]) for cells in rows]
    assert [
        (n, sub, miles, texto) for n, _, sub, miles, texto in products(with_products(huasco_text, header, rows))
    ] == [
        (1, None, None, None),
        (2, None, None, None),
        (3, None, None, None),
        (4, None, None, None),
    ]


def test_a_percent_of_budget_column_before_the_budget_is_not_the_budget(huasco_text):
    header = HEADER.format(sub="Subproductos").replace(
        "\tPresupuesto 2015 (Miles de $)\t%", "\t% del Presupuesto\tPresupuesto 2015 (Miles de $)"
    )
    rows = ["\t".join([*cells[:7], cells[8], cells[7]]) for cells in (row.split("\t") for row in ROWS)]
    assert [row[3:] for row in products(with_products(huasco_text, header, rows))] == [
        (1234567, "1.234.567"),
        (None, ""),
        (None, "No informado"),
        (250000, "250000"),
    ]


def test_absent_columns_are_null(real_db):
    assert query(real_db, "select count(*) from productos") == [(7,)]
    assert query(
        real_db,
        "select count(*) from productos "
        "where subproductos is null and presupuesto_miles is null and presupuesto_texto is null",
    ) == [(7,)]


def test_the_columns_reach_the_database(folder, huasco_text, tmp_path):
    folder.write("presupuesto.txt", with_products(huasco_text, HEADER.format(sub="Subproducto(s)"), ROWS))
    db = tmp_path / "fichas.duckdb"
    assert build([folder.path], db).rejected == 0
    rows = query(db, "select numero, subproductos, presupuesto_miles, presupuesto_texto from productos order by numero")
    assert rows == [
        (1, "Asesoría técnica; capacitación docente", 1234567, "1.234.567"),
        (2, "", None, ""),
        (3, "Talleres para familias", None, "No informado"),
        (4, "Apoyo", 250000, "250000"),
    ]
    assert query(db, "select sum(presupuesto_miles) from productos") == [(1484567,)]
