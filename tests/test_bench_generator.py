"""The benchmark's synthetic fichas: deterministic, marked as synthetic, varied, and loaded by the real ETL exactly."""

import pytest
from helpers import FICHAS_DIR, query

from bench.generator import SYNTHETIC_MARK, generate, plan, write_corpus
from bench.measure import TABLES
from etl.build import build
from etl.text import decode

SEED = 11
N = 60


def test_same_seed_same_fichas():
    assert list(generate(N, SEED)) == list(generate(N, SEED))


def test_other_seed_other_fichas():
    first, other = list(generate(N, SEED)), list(generate(N, SEED + 1))
    assert [item.text for item in first] != [item.text for item in other]


def test_every_file_says_it_is_synthetic_in_its_first_line():
    for item in generate(N, SEED):
        assert decode(item.data()).split("\n")[0] == SYNTHETIC_MARK, item.path


def test_the_corpus_has_the_variety_of_real_exports():
    items = list(generate(400, SEED))
    texts = [item.text for item in items]
    assert {item.encoding for item in items} == {"utf-8", "utf-8-sig", "cp1252"}
    assert any(item.path.endswith(".md") and "| --- |" in item.text for item in items)
    assert any("\r\n" in text for text in texts)
    assert any("Objetivos Relevantes del Ministerio" in text for text in texts)
    assert any("Clientes / Usuarios / Beneficiarios" in text for text in texts)
    assert any("Aplica Enfoque" not in text for text in texts)
    assert len({text.split("MINISTERIO\t", 1)[-1].split("\t")[0] for text in texts if "MINISTERIO\t" in text}) == 25


def test_ten_thousand_fichas_span_many_years_each_service_once_a_year():
    pairs = plan(10_000, SEED)
    keys = {(anio, service.partida, service.capitulo) for anio, service in pairs}
    assert len(keys) == 10_000
    assert len({anio for anio, _ in pairs}) >= 20


def test_synthetic_fichas_never_go_into_the_real_folder():
    with pytest.raises(ValueError, match="never"):
        write_corpus(FICHAS_DIR / "sinteticas", 1)


def test_the_real_etl_loads_exactly_what_was_generated(tmp_path):
    expected = write_corpus(tmp_path / "fichas", N, SEED)
    db = tmp_path / "fichas.duckdb"
    report = build([tmp_path / "fichas"], db)
    assert (report.loaded, report.rejected) == (N, 0)

    def count(sql: str) -> int:
        return query(db, sql)[0][0] or 0

    loaded = {table: count(f"select count(*) from {table}") for table in TABLES}
    loaded |= {
        "productos_genero_nulo": count("select count(*) from productos where aplica_enfoque_genero is null"),
        "productos_territorial_nulo": count("select count(*) from productos where aplica_gestion_territorial is null"),
        "clientes_cuantificacion_nula": count("select count(*) from clientes where cuantificacion is null"),
        "suma_cuantificacion": count("select sum(cuantificacion) from clientes"),
        "fichas_sin_periodo": count("select count(*) from fichas where periodo_inicio is null"),
    }
    assert set(expected) <= set(loaded)
    assert loaded == {key: expected[key] for key in loaded}
    assert count("select count(*) from problemas where nivel = 'error'") == 0
