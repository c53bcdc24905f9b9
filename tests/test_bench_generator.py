"""The benchmark's synthetic fichas: deterministic, marked as synthetic, varied, and loaded by the real ETL exactly."""

import pytest
from helpers import FICHAS_DIR, query

from bench.generator import MINISTERIOS, SYNTHETIC_MARK, generate, plan, write_corpus
from bench.measure import TABLES
from etl.build import build
from etl.text import decode, fold

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


def _cell(text: str, label: str) -> str:
    """The value beside `label` in the identity block, tab or pipe table alike."""
    line = next(line for line in text.split("\n") if line.lstrip("| ").startswith(label))
    return [cell.strip() for cell in line.replace("|", "\t").split("\t") if cell.strip()][1]


def test_the_corpus_has_the_variety_of_real_exports():
    items = list(generate(400, SEED))
    texts = [item.text for item in items]
    assert {item.encoding for item in items} == {"utf-8", "utf-8-sig", "cp1252"}
    assert any(item.path.endswith(".md") and "| --- |" in item.text for item in items)
    assert any("\r\n" in text for text in texts)
    assert any("Objetivos Relevantes del Ministerio" in text for text in texts)
    assert any("Clientes / Usuarios / Beneficiarios" in text for text in texts)
    assert any("Aplica Enfoque" not in text for text in texts)
    assert any("\tSubproductos\t" in text and "(Miles de $)\t%" in text for text in texts)


def test_ministries_are_spelled_many_ways():
    spellings = {_cell(item.text, "MINISTERIO") for item in generate(400, SEED)}
    assert len({fold(name.replace("\u200b", "")) for name in spellings}) == len(MINISTERIOS) == 25
    marks = ("\u200b", "\xa0", "  ", "\u0301")  # zero-width space, non-breaking space, doubled space, NFD accent
    assert {mark for name in spellings for mark in marks if mark in name} == set(marks)
    assert any(name.isupper() for name in spellings) and any(name.startswith("Ministerio de") for name in spellings)


def _service(path: str) -> tuple[str, str]:
    """(partida, capítulo) from a generated file's name."""
    _, _, partida, capitulo = path.rsplit(".", 1)[0].split("_")
    return partida, capitulo


def test_different_services_share_names():
    """Identity is partida + capítulo: this corpus makes charts that group by name visibly wrong."""
    names = {_service(item.path): _cell(item.text, "SERVICIO") for item in generate(300, SEED)}
    partidas_by_name: dict[str, set[str]] = {}
    for (partida, _), name in names.items():
        partidas_by_name.setdefault(name, set()).add(partida)
    assert sum(len(partidas) > 1 for partidas in partidas_by_name.values()) >= 5


def _objectives(text: str) -> list[str]:
    """Every numbered row's second cell: objectives, products and clients, as written."""
    rows = [line.split("\t") for line in text.split("\n") if "\t" in line]
    return [cells[1] for cells in rows if cells[0].isdigit()]


def test_a_service_changes_a_little_from_year_to_year():
    by_service: dict[tuple[str, str], list[str]] = {}
    for item in generate(300, SEED):
        by_service.setdefault(_service(item.path), []).append(item.text)
    three_years = [[_objectives(text) for text in texts] for texts in by_service.values() if len(texts) == 3]
    assert len(three_years) >= 60
    changed = [rows for rows in three_years if rows[0] != rows[2]]
    kept = [rows for rows in three_years if len(set(rows[0]) & set(rows[2])) >= len(rows[0]) // 2]
    assert len(changed) >= len(three_years) // 2  # most services edit something over two years
    assert len(kept) >= len(three_years) * 3 // 4  # yet most of what they say stays


def test_ten_thousand_fichas_are_the_same_services_over_five_years():
    pairs = plan(10_000, SEED)
    assert len({(anio, service.partida, service.capitulo) for anio, service in pairs}) == 10_000
    assert {anio for anio, _ in pairs} == {2021, 2022, 2023, 2024, 2025}
    services = {(service.partida, service.capitulo) for _, service in pairs}
    assert 2_000 <= len(services) <= 2_200
    assert max(int(capitulo) for _, capitulo in services) <= 99


def test_small_corpora_span_three_years():
    assert {anio for anio, _ in plan(300, SEED)} == {2023, 2024, 2025}


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
        "productos_con_presupuesto": count("select count(presupuesto_miles) from productos"),
        "suma_presupuesto": count("select sum(presupuesto_miles) from productos"),
        "productos_presupuesto_texto": count(
            "select count(*) from productos where presupuesto_texto is not null and presupuesto_miles is null"
        ),
    }
    assert set(expected) <= set(loaded)
    assert loaded == {key: expected[key] for key in loaded}
    assert count("select count(*) from problemas where nivel = 'error'") == 0
