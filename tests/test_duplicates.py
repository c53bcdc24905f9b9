"""The duplicate rule and the batching helper, on their own, without files."""

from etl.duplicates import RULE, Duplicate, FirstPathWins
from etl.loader import batched


def test_the_first_file_of_each_ficha_is_kept():
    rule = FirstPathWins()
    assert rule.admit("2021-09-21", "/a/ficha.txt", "s1") is None
    assert rule.admit("2021-05-70", "/a/otra.txt", "s2") is None
    assert rule.admit("2021-09-21", "/b/copia.txt", "s1") == Duplicate("2021-09-21", "/a/ficha.txt", True)
    assert rule.admit("2021-09-21", "/c/cambiada.txt", "s3") == Duplicate("2021-09-21", "/a/ficha.txt", False)
    assert rule.admit("2021-09-21", "/a/ficha.txt", "s1") is None  # the kept file itself


def test_the_message_states_the_ficha_the_rule_and_whether_the_files_differ():
    same = Duplicate("2021-09-21", "a.txt", True).message
    assert same.startswith("Ficha duplicada: año 2021, partida 09, capítulo 21 ya se cargó desde «a.txt»")
    assert RULE in same and same.endswith("Ambos archivos tienen el mismo contenido.")
    assert Duplicate("2021-09-21", "a.txt", False).message.endswith(
        "Los contenidos difieren: revise cuál es el correcto."
    )


def test_batches_by_count_and_by_weight():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched([], 3)) == []
    # Only the heavy items count: the light ones ride along in the batch they fall in.
    items = ["x", "-", "x", "-", "-", "x", "x"]
    assert list(batched(items, 2, weight=lambda item: item == "x")) == [["x", "-", "x"], ["-", "-", "x", "x"]]
