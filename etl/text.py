"""Pure text helpers: decoding exports, normalising headings, Chilean numbers and link lists."""

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

from etl.errors import FichaError

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNPRINTABLE_LATIN1 = bytes(c for c in range(256) if not chr(c).isprintable())
_CONTROL_BYTES = bytes(c for c in range(128) if _CONTROL.match(chr(c)))  # the ASCII that `_CONTROL` matches
_SPACES = re.compile(r"\s+")
_THOUSANDS = re.compile(r"\d{1,3}(?:[. ]\d{3})+")
_LINK_SEPARATORS = re.compile(r"\s*(?:,|;|/|\by\b|\be\b)\s*")
_LINK_RANGE = re.compile(r"(\d+)\s*(?:-|al|a)\s*(\d+)")
_NO_LINK = {"", "-", "--", "no se vincula", "no aplica", "n/a", "no", "ninguno", "s/i"}
_YES = {"si", "s", "x"}
_NO = {"no", "n"}
MAX_BIGINT = 2**63
# Characters that take no room: zero-width space, joiners, word joiner, BOM, soft hyphen, bidi marks and controls.
_INVISIBLE = dict.fromkeys(
    [
        0x00AD,
        0x180E,
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
        0xFEFF,
    ]
)


SHORT_TEXT = 200  # characters: headings, title lines, column names, link and flag cells are shorter
T = TypeVar("T")


def short_text_cache(maxsize: int) -> Callable[[Callable[[str], T]], Callable[[str], T]]:
    """A cache for a function of one text, kept for short texts only: the texts that repeat across fichas are short,
    and a cache must not keep the megabyte lines of hostile files alive.

    The cached function is the cache's own `__getitem__`: a text seen before costs one dict lookup in C, without the
    Python call an lru cache behind a length check costs (a ficha asks a few dozen times). The cache empties itself
    when full: the texts that repeat come back at once."""

    def decorate(function: Callable[[str], T]) -> Callable[[str], T]:
        return _ShortTextCache(function, maxsize).__getitem__

    return decorate


class _ShortTextCache(dict):
    """Results of `function` by text; a text missing from it is computed, and kept if short."""

    def __init__(self, function: Callable[[str], T], maxsize: int):
        super().__init__()
        self.function = function
        self.maxsize = maxsize

    def __missing__(self, text: str) -> T:
        value = self.function(text)
        if len(text) <= SHORT_TEXT:
            if len(self) >= self.maxsize:
                self.clear()
            self[text] = value
        return value


def decode(raw: bytes) -> str:
    """Decode a ficha export: UTF-8 (with or without BOM), else Windows-1252, else Latin-1.

    Files with NUL bytes are binary, not text exports, and are refused.
    """
    if not raw.strip():
        raise FichaError("El archivo está vacío.")
    if b"\x00" in raw:
        raise FichaError("El archivo es binario (contiene bytes nulos), no un texto de ficha.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
    # UTF-8, Windows-1252 and Latin-1 decode a byte below 0x80 to the same character, and nothing else to one: a
    # file without control bytes (most) has no control characters to count, and deleting none of them is quick.
    has_control = len(raw.translate(None, _CONTROL_BYTES)) < len(raw)
    if has_control and len(_CONTROL.findall(text[:4096])) > 16:
        raise FichaError("El archivo es binario (demasiados caracteres de control), no un texto de ficha.")
    if "\r" in text:  # the search for a two-character "\r\n" is slow; most exports have no "\r" at all
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\xa0", " ")


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@functools.lru_cache(maxsize=4096)
def _without_marks(run: str) -> str:
    """A run of non-ASCII characters without its combining marks (the accents NFKD splits off)."""
    return "".join(character for character in run if not unicodedata.combining(character))


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced form used to recognise headings and column names."""
    if not text.isascii():  # ASCII has nothing to decompose: skip the costly part for most cells
        # Combining marks are never ASCII: only the runs of other characters are looked at (`str.translate` would
        # call back for every character).
        text = _NON_ASCII.sub(lambda run: _without_marks(run[0]), unicodedata.normalize("NFKD", text))
    # Every white space character but the ASCII space is unprintable: a printable text without two spaces in a row
    # has nothing to collapse.
    if not text.isprintable() or "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip().lower()


def clean(text: str) -> str:
    """Text as stored and shown: Unicode NFC, control and invisible characters dropped, white space collapsed.

    `EDUCACIÓN` typed with a combining accent, or with a zero-width or non-breaking space, becomes the same string.
    """
    # isprintable() is False for controls, NBSP and other odd spaces, zero-width and bidi characters; most cells
    # are printable, single-spaced and (ASCII or already) NFC, and need nothing more.
    if text.isprintable() and "  " not in text and (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return text.strip()
    text = _CONTROL.sub("", text).translate(_INVISIBLE)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def already_clean(cells: Iterable[str]) -> bool:
    """Whether `clean` leaves each of these stripped cells as it is (printable, single-spaced, NFC), checked on all of
    them at once: a ficha's tables seldom hold a cell that needs cleaning.

    Joined by `|`, the cells are all that exactly when the joined text is: `|` is a space-free printable character
    that composes with nothing and is in no other character's decomposition, so normalization never crosses it.
    """
    joined = "|".join(cells)
    if "  " in joined:
        return False
    try:
        latin1 = joined.encode("latin-1")
    except UnicodeEncodeError:  # a character past Latin-1 (a dash, a curly quote): the slow checks
        return joined.isprintable() and unicodedata.is_normalized("NFC", joined)
    # Latin-1 text is NFC (no character of it decomposes canonically or composes with another), and deleting its
    # few unprintable bytes is quicker than asking each character whether it is printable.
    return len(latin1.translate(None, _UNPRINTABLE_LATIN1)) == len(latin1)


def parse_quantity(text: str) -> int | None:
    """`13.331` -> 13331 and `19.458.310` -> 19458310 (Chilean thousands); anything else -> None.

    Numbers too large for the BIGINT column are not counts either -> None (the text is kept beside it).
    """
    value = text.strip()
    if value.isdecimal():  # not isdigit(): `²` is a digit that int() refuses
        number = int(value)
    elif _THOUSANDS.fullmatch(value):
        number = int(value.replace(".", "").replace(" ", ""))
    else:
        return None
    return number if number < MAX_BIGINT else None


@short_text_cache(maxsize=4096)  # link cells repeat: `1`, `1, 2`, `No se vincula`
def parse_links(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """`1, 2 y 3` -> ((1, 2, 3), ()); returns the numbers and the pieces that are not numbers.

    `No se vincula`, `-` or an empty cell mean no link at all.
    """
    value = fold(text).rstrip(".")
    if value in _NO_LINK:
        return (), ()
    numbers: list[int] = []
    unknown: list[str] = []
    # Most cells are digits and commas (`1, 2`): splitting at the commas alone gives the same pieces, faster.
    plain = value.replace(",", "").replace(" ", "").isdecimal()
    for piece in value.split(",") if plain else _LINK_SEPARATORS.split(value):
        piece = piece.strip().rstrip(".")
        if not piece:
            continue
        if piece.isdecimal():
            numbers.append(int(piece))
        elif span := _LINK_RANGE.fullmatch(piece):
            first, last = int(span[1]), int(span[2])
            if first <= last and last - first < 100:
                numbers.extend(range(first, last + 1))
            else:
                unknown.append(piece)
        else:
            unknown.append(piece)
    return tuple(dict.fromkeys(numbers)), tuple(unknown)


@short_text_cache(maxsize=256)  # flag cells are a handful of spellings of yes and no
def parse_flag(text: str) -> bool | None:
    """`Si`/`Sí`/`SI` -> True, `No`/`NO` -> False, empty or anything else -> None (unknown)."""
    value = fold(text).rstrip(".")
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None
