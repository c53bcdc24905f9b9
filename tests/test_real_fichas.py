"""The two shipped fichas load with exact values: every count, link, flag and quantification."""

import re
import shutil

import duckdb
import pytest
from helpers import query

from etl import loader
from etl.errors import IntegrityError


def test_table_counts(real_db):
    expected = {
        "fichas": 2,
        "objetivos_ministeriales": 11 + 3,
        "objetivos_institucionales": 6 + 5,
        "productos": 2 + 5,
        "clientes": 2 + 12,
        "objetivo_institucional_ministerial": 53 + 11,
        "objetivo_institucional_producto": 8 + 14,
        "producto_cliente": 4 + 53,
        "problemas": 0,
        "archivos": 2,
    }
    actual = {table: query(real_db, f"select count(*) from {table}")[0][0] for table in expected}
    assert actual == expected


def test_fichas_rows(real_db):
    rows = query(
        real_db,
        "select ficha_id, anio, periodo_inicio, periodo_fin, ministerio, partida, servicio, capitulo, archivo "
        "from fichas order by ficha_id",
    )
    assert rows == [
        ("2021-05-70", 2021, 2019, 2022, "MINISTERIO DEL INTERIOR Y SEGURIDAD PÚBLICA", "05",
         "GOBIERNO REGIONAL REGIÓN LOS LAGOS", "70", "data/fichas/002_b87f4e61cff57db4.txt"),
        ("2021-09-21", 2021, 2019, 2022, "MINISTERIO DE EDUCACION", "09",
         "SERVICIO LOCAL DE EDUCACIÓN HUASCO", "21", "data/fichas/000_049fc97d0de0459f.txt"),
    ]  # fmt: skip


def test_text_sections(real_db):
    ley, mision = query(real_db, "select ley_organica, mision from fichas where ficha_id = '2021-09-21'")[0]
    assert ley == "Ley N°21,040, del 24 de noviembre de 2017 (CREA EL SISTEMA DE EDUCACIÓN PÚBLICA)."
    assert mision.startswith("Proveer un servicio educativo, responsable de la calidad")
    assert mision.endswith("incorporación de las familias en los procesos de aprendizaje.")


def test_objectives(real_db):
    rows = query(real_db, "select numero, descripcion from objetivos_ministeriales where ficha_id = '2021-05-70'")
    assert rows == [
        (1, "Contar con mayores atribuciones y competencias a nivel regional y desarrollar acciones de asociativismo "
            "a nivel regional, provincial y comunal para resolver los problemas comunes y apoyar a los territorios "
            "más rezagados o vulnerables."),
        (2, "Incrementar la participación de los gobiernos regionales en la decisión de la inversión pública; "
            "fomentando el aumento de los recursos de inversión regional"),
        (3, "Promover la descentralización administrativa, política y fiscal."),
    ]  # fmt: skip
    # A description full of numbers and commas is one cell, never split.
    (desc,) = query(
        real_db, "select descripcion from objetivos_institucionales where ficha_id='2021-05-70' and numero=5"
    )[0]
    assert "1) Liderazgo, 2) Ciudadanía, socios y colaboradores" in desc
    assert desc.endswith("en la etapa de Autoevaluación")


def test_links(real_db):
    huasco = query(
        real_db,
        "select objetivo_institucional, list(objetivo_ministerial order by objetivo_ministerial) "
        "from objetivo_institucional_ministerial where ficha_id = '2021-09-21' group by 1 order by 1",
    )
    assert huasco[0] == (1, [1, 2, 3, 5, 7, 8, 9, 10, 11])
    assert huasco[3] == (4, [1, 2, 3, 4, 5, 6, 7, 8, 9, 11])
    products = query(
        real_db,
        "select objetivo_institucional, list(producto order by producto) from objetivo_institucional_producto "
        "where ficha_id = '2021-05-70' group by 1 order by 1",
    )
    assert products == [(1, [1, 2]), (2, [1, 3]), (3, [2, 3]), (4, [3, 4, 5]), (5, [1, 2, 3, 4, 5])]
    clients = query(
        real_db,
        "select producto, list(cliente order by cliente) from producto_cliente where ficha_id = '2021-05-70' "
        "group by 1 order by 1",
    )
    assert clients[1] == (2, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12])
    assert clients[3] == (4, [3, 4, 5, 6, 7, 8, 9])


def test_flags(real_db):
    rows = query(
        real_db,
        "select ficha_id, count(*), count_if(aplica_enfoque_genero), count_if(aplica_gestion_territorial), "
        "count_if(aplica_enfoque_genero is null) from productos group by 1 order by 1",
    )
    assert rows == [("2021-05-70", 5, 5, 0, 0), ("2021-09-21", 2, 2, 0, 0)]


def test_quantifications(real_db):
    rows = query(real_db, "select ficha_id, numero, cuantificacion, cuantificacion_texto from clientes order by 1, 2")
    by_key = {(fid, n): (value, text) for fid, n, value, text in rows}
    assert by_key[("2021-09-21", 1)] == (13331, "13.331")
    assert by_key[("2021-05-70", 10)] == (828708, "828.708")
    assert by_key[("2021-05-70", 11)] == (250000, "250.000")
    assert by_key[("2021-05-70", 12)] == (1500, "1.500")
    assert by_key[("2021-05-70", 1)] == (16, "16")


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (None, None),
        (
            "insert into productos select * from productos where ficha_id = '2021-09-21' and numero = 1",
            "«productos» repite la clave (ficha_id, numero)",
        ),
        (
            "update fichas set capitulo = '70', partida = '05' where ficha_id = '2021-09-21'",
            "«fichas» repite la clave (anio, partida, capitulo)",
        ),
        (
            "insert into producto_cliente values ('2021-09-21', 1, 99, 1)",
            "«producto_cliente» cita en (ficha_id, cliente) una fila de «clientes» que no existe, p. ej. ('2021-09-21', 99)",
        ),
        ("delete from fichas where ficha_id = '2021-05-70'", "«productos» cita en (ficha_id) una fila de «fichas»"),
    ],
)
def test_keys_and_links_are_checked_after_the_load(real_db, tmp_path, breakage, message):
    """Keys and links are not declared (DuckDB would check them row by row) but checked set-based before the swap:
    the real database passes, and each kind of broken row fails the check with a message naming it."""
    copy = tmp_path / "copia.duckdb"
    shutil.copyfile(real_db, copy)
    with duckdb.connect(str(copy)) as con:
        if breakage is None:
            loader.check_integrity(con, copy)
            return
        con.execute(breakage)
        with pytest.raises(IntegrityError, match=re.escape(message)) as raised:
            loader.check_integrity(con, copy)
    assert str(raised.value).startswith(f"No se escribió la base «{copy}»: la base construida no es coherente")
