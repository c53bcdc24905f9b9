"""Which of several files holding the same ficha is loaded: a rule of its own, independent of the working directory."""

from dataclasses import dataclass

RULE = "de los archivos con la misma ficha se carga el de ruta absoluta primera en orden alfabético"


@dataclass(frozen=True)
class Duplicate:
    """A file not loaded because `kept` holds the same ficha; `same_content` when the two files are identical."""

    ficha_id: str
    kept: str
    same_content: bool

    @property
    def message(self) -> str:
        # ficha_id is `año-partida-capítulo` (model.Ficha.ficha_id); codes are ASCII digits, so the split is exact.
        anio, partida, capitulo = self.ficha_id.split("-", 2)
        content = (
            "Ambos archivos tienen el mismo contenido."
            if self.same_content
            else "Los contenidos difieren: revise cuál es el correcto."
        )
        return (
            f"Ficha duplicada: año {anio}, partida {partida}, capítulo {capitulo} ya se cargó desde «{self.kept}»; "
            f"este archivo no se carga ({RULE}). {content}"
        )


class FirstPathWins:
    """Admits files in order of absolute path (as `sources.discover` lists them): the first of each ficha is kept.

    >>> rule = FirstPathWins()
    >>> rule.admit("2021-09-21", "a.txt", "abc") is None
    True
    >>> rule.admit("2021-09-21", "b.txt", "abc").kept
    'a.txt'
    """

    def __init__(self) -> None:
        self._kept: dict[str, tuple[str, str]] = {}  # ficha_id -> (archivo, sha256) of the file loaded

    def admit(self, ficha_id: str, archivo: str, sha256: str) -> Duplicate | None:
        """None when this file's ficha is loaded; otherwise why it is not."""
        kept = self._kept.setdefault(ficha_id, (archivo, sha256))
        if kept[0] == archivo:
            return None
        return Duplicate(ficha_id, kept[0], kept[1] == sha256)
