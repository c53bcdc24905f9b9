"""Checks that never lose data: rejected files are named with a reason, broken links are recorded, duplicates load once."""

import pytest
from helpers import HUASCO, LOS_LAGOS, query

from etl.build import build
from etl.errors import FichaError
from etl.parser import parse
from etl.text import decode

FORMULARIO_H = """**FORMULARIO H: INDICADORES DE DESEMPEÑO AÑO 2021**

MINISTERIO\tMINISTERIO DE EDUCACION\tPARTIDA\t09
SERVICIO\tSERVICIO LOCAL DE EDUCACIÓN HUASCO\tCAPITULO\t21

Producto Estratégico\tIndicador\tFórmula
1\tTasa de asistencia\t(a/b)*100
"""


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "vacío"),
        (b"   \n\n", "vacío"),
        (b"\x00" * 64, "binario"),
        (bytes(range(256)) * 8, "binario"),
        (bytes(range(1, 32)) * 8, "demasiados caracteres de control"),
        (FORMULARIO_H.encode(), "Formulario H"),
        ("Una carta cualquiera.\nSin título de ficha.".encode(), "No es una Ficha"),
    ],
)
def test_not_a_ficha_is_rejected(raw, reason):
    with pytest.raises(FichaError, match=reason):
        parse(decode(raw))


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda t: t.replace("MINISTERIO\tMINISTERIO DE EDUCACION\t", "\t\t"), "Falta MINISTERIO"),
        (lambda t: t.replace("SERVICIO\tSERVICIO LOCAL DE EDUCACIÓN HUASCO\t", ""), "Falta SERVICIO"),
        (lambda t: t.replace("PARTIDA\t09", "PARTIDA\t"), "Falta PARTIDA"),
        (lambda t: t.replace("CAPITULO\t21", ""), "Falta CAPÍTULO"),
        (lambda t: t.replace("(Formulario A1) 2021", "(Formulario A1)"), "Falta el año"),
        (lambda t: t.replace("PARTIDA\t09", "PARTIDA\tnueve"), "no es un código"),
    ],
)
def test_ficha_missing_identity_is_rejected(edit, reason, huasco_text):
    with pytest.raises(FichaError, match=reason):
        parse(edit(huasco_text))


def test_dangling_links_are_recorded_with_line(lagos_text):
    text = lagos_text.replace("\t1, 3\t1,2\n", "\t1, 12\t1,2\n").replace("\t3,4,5,6,7,8,9\tNo", "\t3,4,6\tNo")
    text = text.replace("Subcriterio 5.1 del Modelo de Gestión, sobre la gestión de inversiones.\t3,4,6", "X\t3,4,60")
    ficha = parse(text)
    messages = [(p.seccion, p.linea, p.mensaje) for p in ficha.problemas]
    assert (
        "Objetivos institucionales",
        27,
        "La fila 1 cita el objetivo ministerial 12, que no existe (hay 3).",
    ) in messages
    assert ("Productos estratégicos", 39, "La fila 4 cita el cliente 60, que no existe (hay 12).") in messages
    assert [(link.origen, link.destino) for link in ficha.objetivo_institucional_ministerial][:2] == [(1, 1), (2, 1)]


def test_dangling_links_load_the_ficha_and_land_in_problemas(folder, lagos_text, tmp_path):
    folder.write("lagos.txt", lagos_text.replace("\t1, 3\t1,2\n", "\t1, 12\t1,2\n"))
    db = tmp_path / "f.duckdb"
    report = build([folder.path], db)
    assert (report.loaded, report.rejected) == (1, 0)
    assert query(db, "select archivo, nivel, seccion, linea, mensaje from problemas") == [
        (
            report.archivos[0][0],
            "advertencia",
            "Objetivos institucionales",
            27,
            "La fila 1 cita el objetivo ministerial 12, que no existe (hay 3).",
        )
    ]


def test_duplicate_ficha_loads_once(folder, huasco_text, tmp_path):
    folder.write("a.txt", huasco_text)
    folder.write("b_copia.txt", huasco_text.replace("Proveer un servicio", "Proveer  un servicio"))
    db = tmp_path / "f.duckdb"
    report = build([folder.path], db)
    assert (report.loaded, report.rejected) == (1, 1)
    assert query(db, "select count(*) from fichas") == [(1,)]
    assert query(db, "select count(*) from clientes") == [(2,)]
    ((archivo, nivel, mensaje),) = query(db, "select archivo, nivel, mensaje from problemas")
    assert archivo.endswith("b_copia.txt") and nivel == "error"
    assert "Ficha duplicada: año 2021, partida 09, capítulo 21 ya se cargó desde" in mensaje
    assert query(db, "select estado from archivos order by archivo") == [("cargada",), ("duplicada",)]


def test_bad_files_beside_good_ones(folder, tmp_path):
    folder.write("buena.txt", HUASCO.read_bytes())
    folder.write("sub/otra_buena.md", LOS_LAGOS.read_bytes())
    folder.write("vacia.txt", b"")
    folder.write("binaria.txt", b"\x00\x01\x02" * 100)
    folder.write("formulario_h.txt", FORMULARIO_H)
    folder.write("cortada.pdf", b"%PDF-1.4")
    db = tmp_path / "f.duckdb"
    report = build([folder.path], db)
    assert (report.loaded, report.rejected) == (2, 4)
    rejected = query(db, "select archivo, mensaje from problemas where nivel = 'error' order by archivo")
    names = [archivo.rsplit("/", 1)[-1] for archivo, _ in rejected]
    assert names == ["binaria.txt", "cortada.pdf", "formulario_h.txt", "vacia.txt"]
    assert rejected[1][1].startswith("PDF truncado")
    assert "Formulario H" in rejected[2][1]


def test_bad_flag_and_link_text_warn_and_keep_the_row(huasco_text):
    text = huasco_text.replace("\t1,2\tNo\tSi\n1", "\t1, dos\tQuizás\tSi\n1").replace(
        "\t1,2\tNo\tSi", "\t1,dos\tQuizás\tSi"
    )
    ficha = parse(text)
    assert [p.aplica_gestion_territorial for p in ficha.productos] == [None, None]
    assert sum("Vínculo no reconocido" in p.mensaje for p in ficha.problemas) == 2
    assert sum("no es Sí ni No" in p.mensaje for p in ficha.problemas) == 2
    assert [(link.origen, link.destino) for link in ficha.producto_cliente] == [(1, 1), (2, 1)]


def test_a_line_of_a_million_tabs_is_one_row_with_a_warning(huasco_text):
    """Past MAX_CELLS separators the rest of the line stays in one cell (a tab bomb costs one string)."""
    bomb = "1\tEstudiantes" + "\t" * 1_000_000 + "13.331"
    ficha = parse(
        huasco_text.replace("1\tEstudiantes de los establecimientos educacionales del territorio\t13.331", bomb)
    )
    assert [c.descripcion for c in ficha.clientes][0] == "Estudiantes"
    assert any("La fila tiene 65 celdas y el encabezado 3" in p.mensaje for p in ficha.problemas)


def test_a_row_wider_or_narrower_than_its_header_warns_unless_only_empty_cells_are_cut(huasco_text):
    row = "1\tEstudiantes de los establecimientos educacionales del territorio\t13.331"
    cliente = parse(huasco_text).clientes[0]
    for edited, warning in [
        (row + "\t\t", None),
        (row + "\t\tsobra", "La fila tiene 5 celdas y el encabezado 3; se ignoran las sobrantes."),
        (
            "1\tEstudiantes de los establecimientos educacionales del territorio",
            "La fila tiene 2 celdas y el encabezado 3; las faltantes quedan vacías.",
        ),
    ]:
        ficha = parse(huasco_text.replace(row, edited))
        assert [(p.linea, p.mensaje) for p in ficha.problemas] == ([(cliente.linea, warning)] if warning else [])
        assert ficha.clientes[0].descripcion == cliente.descripcion
